// Command dispatch: every listed command loads, and names that are not commands are refused.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runPalisade } from './cli-harness.ts';

it('refuses names that are not commands, including Object.prototype properties', async () => {
  for (const name of ['nope', 'toString', 'constructor', '__proto__']) {
    const run = await runPalisade([name]);
    assert.equal(run.code, 2, name);
    assert.match(run.stderr, new RegExp(`unknown command "${name}"`));
  }
});

it('loads every command the help lists, each answering --help', async () => {
  const names = [
    'scan',
    'rules',
    'explain',
    'docs',
    'rbac',
    'netpol',
    'snapshot',
    'webhook',
    'test',
    'watch',
  ];
  names.push('ledger', 'sbom', 'db', 'scan-image', 'scan-deps', 'scan-sbom');
  for (const name of names) {
    const run = await runPalisade([name, '--help']);
    assert.notEqual(run.code, 3, `${name}: ${run.stderr}`);
    assert.doesNotMatch(run.stderr, /internal error/, name);
  }
});

it('escapes control characters of every error message, line by line, so that input cannot drive the terminal', async () => {
  const unknown = await runPalisade(['x\u001b[31m']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "x\\x1b\[31m"/);
  const config = await runPalisade(['scan', '--config', 'missing\u001b]0;title\u0007.yaml', '.']);
  assert.equal(config.code, 2, config.stderr);
  assert.ok(!config.stderr.includes('\u001b') && !config.stderr.includes('\u0007'), config.stderr);
  assert.match(config.stderr, /missing\\x1b\]0;title\\x07\.yaml/);
});

it('refuses an empty argument (an unset shell variable) instead of scanning the current directory', async () => {
  for (const args of [
    ['scan', ''],
    ['sbom', ' '],
    ['rbac', ''],
  ]) {
    const run = await runPalisade(args);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, new RegExp(`^palisade ${args[0]}: an empty argument was given`), args.join(' '));
    assert.equal(run.stdout, '');
  }
  // An empty option value too: `-n "$NS"` must not quietly mean every namespace.
  for (const args of [
    ['rbac', 'who-can', 'get', 'secrets', 'examples/shop', '-n', ''],
    ['rbac', 'can', 'user:a', 'get', 'pods', 'examples/shop', '--as-group', ' '],
    ['scan', 'examples/shop', '--rule', ''],
  ]) {
    const run = await runPalisade(args);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(
      run.stderr,
      /--(namespace|as-group|rule) was given an empty value \(an unset shell variable\?\)/,
    );
  }
  // Where an empty value means something (the core API group), it is kept.
  const core = await runPalisade(['rbac', 'who-can', 'get', 'pods', 'examples/shop', '--api-group', '']);
  assert.equal(core.code, 0, core.stderr);
  // Numbers are plain digits: 1e2, 0x10 or digits past 2^53 are refused, never read as another number.
  for (const [args, message] of [
    [
      ['webhook', 'manifests', '--cert-dir', 'x', '--replicas', '1e2'],
      /--replicas must be a whole number from 1 to 100 \(got "1e2"\)/,
    ],
    [
      ['webhook', 'certs', '--out', 'x', '--days', '0x10'],
      /--days must be a whole number from 1 to 3650 \(got "0x10"\)/,
    ],
    [
      ['watch', '--stdin', '--binding-window', '99999999999999999999'],
      /--binding-window must be a whole number/,
    ],
    [
      ['watch', '--stdin', '--rate-limit', '99999999999999999999/1'],
      /^palisade watch: --rate-limit must be N\/SECONDS or 0/,
    ],
  ] as const) {
    const run = await runPalisade([...args], { stdin: '' });
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, message, args.join(' '));
  }
  const unknown = await runPalisade(['scan', '--bogus']);
  assert.equal(unknown.stderr, 'palisade scan: unknown option --bogus; see palisade scan --help\n');
  // A typo gets the option it most likely meant, never parseArgs' advice about positionals.
  const typo = await runPalisade(['scan', 'examples/shop', '--formt', 'json']);
  assert.equal(typo.code, 2);
  assert.equal(
    typo.stderr,
    'palisade scan: unknown option --formt (did you mean --format?); see palisade scan --help\n',
  );
  const sub = await runPalisade(['webhook', 'manifests', '--namespce', 'x']);
  assert.match(
    sub.stderr,
    /manifests: unknown option --namespce \(did you mean --namespace\?\); see palisade webhook manifests --help/,
  );
});

it("palisade help COMMAND prints that command's help", async () => {
  const viaHelp = await runPalisade(['help', 'scan']);
  const viaFlag = await runPalisade(['scan', '--help']);
  assert.equal(viaHelp.code, 0);
  assert.equal(viaHelp.stdout, viaFlag.stdout);
  assert.match(viaHelp.stdout, /^Usage: palisade scan /);
});

it('answers --help for every subcommand too', async () => {
  for (const args of [
    ['watch', 'setup'],
    ['watch', 'fields'],
    ['watch', 'validate'],
    ['ledger', 'verify'],
    ['ledger', 'proof'],
    ['ledger', 'repair'],
    ['webhook', 'serve'],
    ['webhook', 'certs'],
    ['webhook', 'manifests'],
    ['db', 'import'],
  ]) {
    const run = await runPalisade([...args, '--help']);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stdout, /Usage/, args.join(' '));
  }
});
