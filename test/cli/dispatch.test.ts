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
