// The condition language: grammar, operators, missing-field semantics, macros, lists, transformers and val().
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ListItem } from '../../src/detect/condition/ast.ts';
import { ConditionCompileError, ConditionCompiler } from '../../src/detect/condition/compile.ts';
import { ConditionSyntaxError, parseCondition } from '../../src/detect/condition/parser.ts';
import { compilePathPrefixes } from '../../src/detect/condition/path-prefix.ts';
import type { EventContext } from '../../src/detect/fields/field-definition.ts';
import { fieldByName, isFieldName } from '../../src/detect/fields/field-table.ts';
import { NO_FACTS } from '../../src/detect/state/event-facts.ts';
import { auditEvent, podCreate, podSpec } from './fixtures/events.ts';

function evaluator(
  condition: string,
  macros: Record<string, string> = {},
  lists: Record<string, string[]> = {},
  warnings: string[] = [],
) {
  const parsed = new Map(
    Object.entries(macros).map(([name, text]) => [name, parseCondition(text, isFieldName)]),
  );
  const listMap = new Map<string, ListItem[]>(
    Object.entries(lists).map(([name, items]) => [name, items.map((text) => ({ text, quoted: false }))]),
  );
  const compiler = new ConditionCompiler({
    field: fieldByName,
    macros: parsed,
    lists: listMap,
    warn: (m) => warnings.push(m),
  });
  return compiler.compile(parseCondition(condition, isFieldName));
}

function context(event = auditEvent()): EventContext {
  return { event, facts: NO_FACTS };
}

function check(
  condition: string,
  event = auditEvent(),
  macros: Record<string, string> = {},
  lists: Record<string, string[]> = {},
): boolean {
  return evaluator(condition, macros, lists)(context(event));
}

describe('condition grammar', () => {
  it('gives not, and, or their Falco precedence (not > and > or)', () => {
    assert.equal(check('ka.verb=get or ka.verb=create and ka.user.name=alice'), true);
    assert.equal(check('not ka.verb=get and ka.user.name=alice'), true);
    assert.equal(check('not (ka.verb=create and ka.user.name=alice)'), false);
    assert.equal(check('(ka.verb=get or ka.verb=create) and not ka.user.name=bob'), true);
  });

  it('reads operators without spaces, quoted strings with escapes, and keywords only as whole words', () => {
    assert.equal(check('ka.user.name="alice"'), true);
    assert.equal(check("ka.user.name='ali\\'ce'", auditEvent({ user: { username: "ali'ce" } })), true);
    assert.equal(check('ka.verb!=get'), true);
    assert.equal(check('ka.verb==create'), true);
    // `android` is not `and` followed by `roid`.
    assert.equal(check('ka.user.name=android', auditEvent({ user: { username: 'android' } })), true);
  });

  it("reads quoted strings with Falco's escapes and refuses the others, as Falco's parser does", () => {
    const named = (username: string) => auditEvent({ user: { username } });
    assert.equal(check(String.raw`ka.user.name="a\tb"`, named('a\tb')), true);
    assert.equal(check(String.raw`ka.user.name="a\\b\/c"`, named('a\\b/c')), true);
    assert.equal(check(String.raw`ka.user.name="say \"hi\""`, named('say "hi"')), true);
    assert.equal(check(String.raw`ka.user.name='it\'s'`, named("it's")), true);
    // A regex written for Falco escapes its backslashes: "\\d" is the pattern \d.
    assert.equal(check(String.raw`ka.user.name regex "user\\d+"`, named('user42')), true);
    for (const [text, pattern] of [
      [String.raw`ka.user.name regex "\d+"`, /unsupported string escape sequence: \\d/],
      [String.raw`ka.user.name = "it\'s"`, /invalid \\' escape in a "-quoted string/],
      [String.raw`ka.user.name = 'say \"hi\"'`, /invalid \\" escape in a '-quoted string/],
    ] as const)
      assert.throws(
        () => parseCondition(text, isFieldName),
        (error: unknown) => error instanceof ConditionSyntaxError && pattern.test(error.message),
        text,
      );
  });

  it('reads a quoted field argument as its value: jevt.value["/user/username"]', () => {
    assert.equal(check('jevt.value["/user/username"] = alice'), true);
    assert.equal(check("jevt.value['/user/username'] = alice"), true);
    assert.equal(check('jevt.value[/user/username] = alice'), true);
    assert.throws(() => parseCondition('jevt.value["/user" = alice', isFieldName), ConditionSyntaxError);
  });

  it('orders string fields byte by byte, as Falco does with strcmp, and numeric fields as numbers', () => {
    const named = (username: string) => auditEvent({ user: { username } });
    assert.equal(check('ka.user.name < 9', named('10')), true);
    assert.equal(check('ka.user.name > bob', named('carol')), true);
    assert.equal(check('ka.user.name >= carol', named('carol')), true);
    assert.equal(check('ka.user.name < B', named('a')), false);
    assert.equal(check('len(ka.user.name) > 9', named('ten-chars!')), true);
    assert.equal(check('len(ka.user.name) < 9', named('ten-chars!')), false);
  });

  it('matches pmatch paths component by component, with glob components, as libsinsp does', () => {
    const matches = (value: string, paths: string[]) => compilePathPrefixes(paths)(value);
    assert.equal(matches('/var/run/docker.sock', ['/var/run']), true);
    assert.equal(matches('/var/run', ['/var/run/']), true);
    assert.equal(matches('/var//run/x', ['/var/run']), true);
    assert.equal(matches('var/run', ['/var/run']), true);
    assert.equal(matches('/var/running', ['/var/run']), false);
    assert.equal(matches('/var', ['/var/run']), false);
    assert.equal(matches('/anything/at/all', ['/']), true);
    assert.equal(matches('/home/alice/.ssh/id_rsa', ['/home/*/.ssh']), true);
    assert.equal(matches('/home/alice/.sshx', ['/home/*/.ssh']), false);
    assert.equal(matches('/proc/12/root', ['/proc/[0-9]*/root']), true);
    assert.equal(
      check(
        'ka.req.pod.volumes.hostpath pmatch (/home/*/.ssh)',
        podCreate(podSpec({ volumes: [{ name: 'keys', hostPath: { path: '/home/alice/.ssh/keys' } }] })),
      ),
      true,
    );
  });

  it('reports syntax errors with the offset into the condition', () => {
    const cases: [string, RegExp][] = [
      ['ka.verb=create and', /unexpected end/],
      ['(ka.verb=create', /expected '\)'/],
      ['ka.verb', /expected an operator/],
      ['ka.verb in (a, b', /missing '\)'/],
      ['ka.user.name = "open', /unterminated/],
      ['ka.nosuch = 1', /unknown field 'ka.nosuch'/],
      ['jevt.value[/a = 1', /missing '\]'/],
    ];
    for (const [text, pattern] of cases) {
      assert.throws(
        () => parseCondition(text, isFieldName),
        (error: unknown) => error instanceof ConditionSyntaxError && pattern.test(error.message),
        text,
      );
    }
    try {
      parseCondition('ka.verb=create and ka.nosuch=1', isFieldName);
    } catch (error) {
      assert.equal((error as ConditionSyntaxError).offset, 19);
    }
  });

  it('refuses deeply nested input instead of overflowing the stack', () => {
    assert.throws(
      () => parseCondition(`${'('.repeat(5000)}ka.verb=get${')'.repeat(5000)}`, isFieldName),
      /nested too deeply/,
    );
    assert.throws(
      () => parseCondition(`${'not '.repeat(5000)}ka.verb=get`, isFieldName),
      /nested too deeply/,
    );
  });
});

describe('operators', () => {
  const event = podCreate(
    podSpec({
      containers: [
        { name: 'a', image: 'nginx:1.25', securityContext: { privileged: true } },
        { name: 'b', image: 'docker.io/library/busybox@sha256:00' },
      ],
      volumes: [{ name: 'root', hostPath: { path: '/etc/kubernetes/pki' } }],
    }),
    { requestURI: '/api/v1/namespaces/default/pods?fieldManager=kubectl-run&dryRun=All' },
  );

  const table: [string, boolean][] = [
    ['ka.uri startswith /api/v1', true],
    ['ka.uri endswith dryRun=All', true],
    ['ka.uri contains fieldManager', true],
    ['ka.uri icontains FIELDMANAGER', true],
    ['ka.uri contains FIELDMANAGER', false],
    ['ka.uri glob "/api/*/pods?*"', true],
    ['ka.uri iglob "/API/*"', true],
    ['ka.uri glob "/api/v[12]/*"', true],
    ['ka.uri glob "/api/v[!1]/*"', false],
    ['ka.target.name regex "w.b"', true],
    ['ka.target.name regex "e"', false],
    ['ka.uri.param[fieldManager] = kubectl-run', true],
    ['ka.uri.param[missing] exists', false],
    ['ka.req.pod.containers.image.repository in (nginx, docker.io/library/busybox)', true],
    ['ka.req.pod.containers.image.repository in (nginx)', false],
    ['ka.req.pod.containers.image.repository intersects (nginx)', true],
    ['ka.req.pod.containers.privileged intersects (true)', true],
    ['ka.req.pod.containers.image[1] = docker.io/library/busybox@sha256:00', true],
    // An index picks one element (the k8saudit plugin's optional index argument), out of range none.
    ['ka.user.groups[1] = system:authenticated', true],
    ['ka.user.groups[0] = system:authenticated', false],
    ['ka.user.groups intersects (system:authenticated)', true],
    ['ka.sourceips[0] = 10.0.0.5', true],
    ['ka.sourceips[1] exists', false],
    ['ka.req.pod.volumes.hostpath pmatch (/etc/kubernetes)', true],
    ['ka.req.pod.volumes.hostpath pmatch (/etc/kube)', false],
    ['ka.req.volume.hostpath[/etc/kubernetes*] = true', true],
    ['ka.req.volume.hostpath[/etc] = true', false],
    ['ka.response.code > 200', true],
    ['ka.response.code >= 201', true],
    ['ka.response.code < 300', true],
    ['ka.response.code startswith 2', true],
    ['ka.user.name bcontains 6c69', true],
    ['ka.user.name bstartswith 616c', true],
    ['ka.user.name bstartswith 6c', false],
    ['jevt.rawtime > 0', true],
    ['jevt.value[/user/groups/0] = developers', true],
    ['jevt.value[/annotations/authorization.k8s.io~1decision] = allow', true],
    ['jevt.value[/nothing/here] exists', false],
    ['tolower(ka.user.name) = alice', true],
    ['toupper(ka.user.name) = ALICE', true],
    ['len(ka.user.name) = 5', true],
    ['len(ka.req.pod.containers.image) = 2', true],
    ['basename(ka.uri) startswith "pods?"', true],
    ['ka.target.namespace = val(ka.target.namespace)', true],
    ['ka.user.name = val(ka.target.name)', false],
    // A transformer on the right compares with the transformed field, as libsinsp reads it.
    ['ka.user.name = tolower(ka.user.name)', true],
    ['ka.user.name = toupper(ka.user.name)', false],
    ['toupper(ka.user.name) = toupper(ka.user.name)', true],
    ['len(ka.user.name) = len(ka.target.namespace)', false],
    ['len(ka.user.name) < len(ka.uri)', true],
    ['ka.verb in tolower(ka.verb)', true],
  ];
  for (const [condition, expected] of table) {
    it(`${condition} -> ${expected}`, () => assert.equal(check(condition, event), expected));
  }

  it('treats a field that cannot be extracted as false for every comparison, so `not` makes it true', () => {
    const bare = auditEvent({ objectRef: undefined });
    assert.equal(check('ka.target.name = web', bare), false);
    assert.equal(check('ka.target.name != web', bare), false);
    assert.equal(check('not ka.target.name = web', bare), true);
    assert.equal(check('ka.target.name exists', bare), false);
    assert.equal(check('ka.target.name in (web)', bare), false);
  });

  it('decodes base64 with b64() and refuses what is not base64', () => {
    const event = auditEvent({ user: { username: Buffer.from('hidden').toString('base64') } });
    assert.equal(check('b64(ka.user.name) = hidden', event), true);
    assert.equal(check('b64(ka.user.name) exists', auditEvent({ user: { username: 'not base64!' } })), false);
  });

  it('refuses values that do not suit the operator or the field', () => {
    assert.throws(() => check('jevt.rawtime = soon'), /not a number/);
    assert.throws(() => check('ka.user.name regex "("'), /invalid regular expression/);
    assert.throws(() => check('ka.user.name bcontains zz'), /hex/);
    assert.throws(() => check('ka.user.name = (a, b)'), /takes a single value/);
    assert.throws(() => check('ka.uri.param = x'), /requires an argument/);
    assert.throws(() => check('ka.verb[x] = x'), /takes no argument/);
    assert.throws(() => check('ka.req.pod.containers.image[first] = x'), /numeric index/);
    assert.throws(() => check('ka.user.name pmatch val(ka.verb)'), /does not accept a field/);
  });

  it('warns when a list field meets an operator Falco refuses, and matches any element', () => {
    const warnings: string[] = [];
    const run = evaluator('ka.req.role.rules.resources contains exec', {}, {}, warnings);
    const event = auditEvent({
      requestObject: { rules: [{ resources: ['pods', 'pods/exec'], verbs: ['create'] }] },
    });
    assert.equal(run(context(event)), true);
    assert.equal(warnings.length, 1);
  });
});

describe('macros and lists', () => {
  it('expands macros (cached per event) and nested lists, and keeps unknown list names as values', () => {
    const macros = { is_create: 'ka.verb = create', alice_creates: 'is_create and ka.user.name in (admins)' };
    const lists = { admins: ['root', 'team'], team: ['alice', 'bob'] };
    assert.equal(check('alice_creates', auditEvent(), macros, lists), true);
    assert.equal(
      check('ka.user.name in (not_a_list)', auditEvent({ user: { username: 'not_a_list' } })),
      true,
    );
    assert.equal(check('ka.user.name in ("team")', auditEvent(), {}, lists), false);
  });

  it('names undefined and self-referencing macros', () => {
    assert.throws(
      () => check('nosuchmacro'),
      (error: unknown) =>
        error instanceof ConditionCompileError && /undefined macro 'nosuchmacro'/.test(error.message),
    );
    assert.throws(() => check('loop', auditEvent(), { loop: 'ka.verb=get or loop' }), /refers to itself/);
    assert.throws(
      () => check('ka.user.name in (a)', auditEvent(), {}, { a: ['b'], b: ['a'] }),
      /includes itself \(a -> b -> a\)/,
    );
  });
});
