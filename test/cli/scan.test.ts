import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runPalisade } from './cli-harness.ts';

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      privileged: true
`;

const ESC = '\u001b[';
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'palisade-cli-'));
  await writeFile(join(dir, 'pod.yaml'), PRIVILEGED_POD);
});
after(async () => rm(dir, { recursive: true, force: true }));

const json = async (args: string[], options: Parameters<typeof runPalisade>[1] = {}) => {
  const run = await runPalisade(['scan', ...args, '--format', 'json', '--no-config'], {
    cwd: dir,
    ...options,
  });
  return { ...run, report: JSON.parse(run.stdout) };
};

describe('palisade scan', () => {
  test('finds a privileged container with file, line and column of the field', async () => {
    const { code, report } = await json([join(dir, 'pod.yaml'), '--rule', 'privileged-container']);
    assert.equal(code, 1);
    const [finding] = report.findings;
    assert.equal(finding.ruleId, 'privileged-container');
    assert.deepEqual(finding.resource, { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web' });
    assert.equal(finding.location.line, 11);
    assert.equal(finding.location.column, 7);
    assert.equal(finding.location.path, 'spec.containers[0].securityContext.privileged');
    assert.match(finding.message, /"app"/);
  });

  test('reads stdin when the input is -', async () => {
    const { code, report } = await json(['-', '--rule', 'privileged-container'], { stdin: PRIVILEGED_POD });
    assert.equal(code, 1);
    assert.equal(report.findings[0].location.file, '<stdin>');
  });

  test('--fail-on above every finding exits 0; none never fails', async () => {
    assert.equal((await json(['pod.yaml', '--fail-on', 'critical', '--rule', 'host-path-volumes'])).code, 0);
    assert.equal((await json(['pod.yaml', '--fail-on', 'none'])).code, 0);
  });

  test('usage errors exit 2 with a message', async () => {
    const bad = await runPalisade(['scan', 'pod.yaml', '--fail-on', 'severe'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--fail-on must be one of/);
    const unknownRule = await runPalisade(['scan', 'pod.yaml', '--rule', 'no-such-rule'], { cwd: dir });
    assert.equal(unknownRule.code, 2);
    assert.match(unknownRule.stderr, /no-such-rule/);
    assert.equal((await runPalisade(['scan'], { cwd: dir })).code, 2);
    assert.equal((await runPalisade(['frobnicate'])).code, 2);
  });

  test('a missing input is reported and exits 3, other inputs are still scanned', async () => {
    const { code, report } = await json(['pod.yaml', 'missing.yaml']);
    assert.equal(code, 3);
    assert.ok(report.findings.length > 0);
    assert.ok(report.loadIssues.some((issue: { file: string }) => issue.file.includes('missing.yaml')));
  });

  test('--output writes the report to a file', async () => {
    const out = join(dir, 'report.sarif');
    const run = await runPalisade(['scan', 'pod.yaml', '--format', 'sarif', '--output', out, '--no-config'], {
      cwd: dir,
    });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(JSON.parse(await readFile(out, 'utf8')).version, '2.1.0');
  });

  test('colour only on a TTY, never with NO_COLOR', async () => {
    const plain = await runPalisade(['scan', 'pod.yaml', '--no-config'], { cwd: dir });
    assert.ok(!plain.stdout.includes(ESC), 'no escape codes');
    const tty = await runPalisade(['scan', 'pod.yaml', '--no-config'], { cwd: dir, tty: true });
    assert.ok(tty.stdout.includes(ESC), 'escape codes on a TTY');
    const noColor = await runPalisade(['scan', 'pod.yaml', '--no-config'], {
      cwd: dir,
      tty: true,
      env: { NO_COLOR: '1' },
    });
    assert.ok(!noColor.stdout.includes(ESC), 'NO_COLOR wins');
  });

  test('a number where a name belongs is reported as a wrong type, and every format still renders', async () => {
    await writeFile(
      join(dir, 'numeric-names.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: 7}\nspec: {containers: [{name: a, image: x}]}\n',
    );
    for (const format of ['table', 'json', 'sarif', 'junit']) {
      const run = await runPalisade(['scan', 'numeric-names.yaml', '--no-config', '--format', format], {
        cwd: dir,
      });
      assert.equal(run.code, 3, `${format}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /internal error/, format);
      assert.match(run.stdout, /Pod 7|Pod\/7|"name": ?"7"/, format);
    }
  });
});

describe('exceptions', () => {
  test('config exceptions suppress, stay counted, and expired ones stop applying', async () => {
    const project = join(dir, 'project');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'pod.yaml'), PRIVILEGED_POD);
    await writeFile(
      join(project, '.palisade.yaml'),
      `exceptions:
  - rule: privileged-container
    resource: { kind: Pod, namespace: "sh*", name: web }
    container: app
    reason: accepted for the demo
  - rule: privileged-container
    resource: { kind: Pod }
    reason: old
    expires: 2020-01-01
`,
    );
    const run = await runPalisade(['scan', 'project', '--rule', 'privileged-container', '--format', 'json'], {
      cwd: dir,
    });
    const report = JSON.parse(run.stdout);
    assert.equal(run.code, 0);
    assert.equal(report.summary.suppressed, 1);
    assert.equal(report.findings.length, 0);
    assert.equal(report.expiredExceptions.length, 1);
    const shown = await runPalisade(
      ['scan', 'project', '--rule', 'privileged-container', '--format', 'json', '--show-suppressed'],
      { cwd: dir },
    );
    const suppressed = JSON.parse(shown.stdout).findings[0];
    assert.deepEqual(suppressed.suppressed, { by: 'config', reason: 'accepted for the demo' });
    // The report names the configuration that applied, found above the input, and what it changes.
    assert.deepEqual(report.notices[0], {
      severity: 'info',
      message: `configuration ${join(project, '.palisade.yaml')} (found from the first input upward; --no-config to ignore it) applies to every input: 2 exceptions`,
    });
    const table = await runPalisade(['scan', 'project', '--rule', 'privileged-container'], { cwd: dir });
    assert.match(
      table.stdout,
      /INFO +configuration .*\.palisade\.yaml .*applies to every input: 2 exceptions/,
    );
    const none = await runPalisade(['scan', 'project', '--no-config', '--format', 'json'], { cwd: dir });
    assert.ok(
      !JSON.parse(none.stdout).notices.some((notice: { message: string }) =>
        /configuration/.test(notice.message),
      ),
    );
  });

  test('unknown rule ids and keys in the config are errors with file and line', async () => {
    const project = join(dir, 'bad-config');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'pod.yaml'), PRIVILEGED_POD);
    await writeFile(
      join(project, '.palisade.yaml'),
      'exceptions:\n  - rule: privileged-containr\n    resource: {kind: Pod}\n    reason: typo\nfailon: high\n',
    );
    const run = await runPalisade(['scan', 'bad-config'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /privileged-containr/);
    assert.match(run.stderr, /\.palisade\.yaml:5:1: unknown key "failon"/);
  });

  test('bad pssVersion and frameworks in the config are errors with file and line, before any scanning', async () => {
    const project = join(dir, 'bad-values');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, '.palisade.yaml'), 'pssVersion: v1.99\nframeworks: [pci-dss]\n');
    const run = await runPalisade(['scan', 'bad-values'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /\.palisade\.yaml:1:13: .*newer than the latest/);
    assert.match(run.stderr, /\.palisade\.yaml:2:13: unknown framework "pci-dss"/);
    const format = await runPalisade(['scan', 'pod.yaml', '--format', 'xml'], { cwd: dir });
    assert.equal(format.code, 2);
    assert.match(format.stderr, /unknown format "xml"/);
  });

  test('an exception without a reason is refused', async () => {
    const project = join(dir, 'no-reason');
    await mkdir(project, { recursive: true });
    await writeFile(
      join(project, '.palisade.yaml'),
      'exceptions:\n  - rule: privileged-container\n    resource: {kind: Pod}\n',
    );
    const run = await runPalisade(['scan', 'no-reason'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /needs a reason/);
  });

  test('annotation exceptions suppress the named rules only', async () => {
    const annotated = PRIVILEGED_POD.replace(
      '  namespace: shop\n',
      '  namespace: shop\n  annotations:\n    palisade.dev/ignore: "privileged-container, nope"\n    palisade.dev/ignore-reason: lab pod\n',
    );
    const { report } = await json(['-', '--show-suppressed'], { stdin: annotated });
    const privileged = report.findings.filter((f: { ruleId: string }) => f.ruleId === 'privileged-container');
    assert.deepEqual(privileged[0].suppressed, { by: 'annotation', reason: 'lab pod' });
    assert.ok(report.findings.some((f: { suppressed?: unknown }) => f.suppressed === undefined));
    assert.ok(report.notices.some((n: { message: string }) => /unknown rule "nope"/.test(n.message)));
  });
});

describe('catalogue', () => {
  test('rules lists and filters by framework; explain renders a rule', async () => {
    const all = await runPalisade(['rules', '--format', 'json']);
    const cis = await runPalisade(['rules', '--format', 'json', '--framework', 'pss-baseline']);
    const allRules = JSON.parse(all.stdout);
    const baseline = JSON.parse(cis.stdout);
    assert.ok(baseline.length > 0 && baseline.length < allRules.length);
    assert.ok(baseline.every((rule: { frameworks: object }) => 'pss-baseline' in rule.frameworks));
    const explain = await runPalisade(['explain', 'privileged-container']);
    assert.equal(explain.code, 0);
    assert.match(explain.stdout, /## Remediation/);
    assert.equal((await runPalisade(['explain', 'nope'])).code, 2);
  });

  test('docs/rules is up to date with the rule metadata', async () => {
    const run = await runPalisade(['docs', '--check']);
    assert.equal(run.code, 0, run.stderr);
  });
});
