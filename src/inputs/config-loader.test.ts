import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { builtinRules } from '../rules/index.ts';
import { parseConfig, readConfigText } from './config-loader.ts';

const exception = (rule: string) =>
  `exceptions:\n  - ${rule}\n    resource: {kind: Pod, namespace: shop, name: debug}\n    reason: debugging\n`;

describe('config exceptions', () => {
  it('reads rule: and rules: together', () => {
    const config = parseConfig(
      exception('rule: privileged-container\n    rules: [host-namespaces]'),
      'c.yaml',
      builtinRules,
    );
    assert.deepEqual(config.exceptions[0]?.rules, ['privileged-container', 'host-namespaces']);
  });

  // Before, a `rule:` of the wrong type vanished: next to `rules:` the exception silently covered fewer rules.
  for (const [name, rule] of [
    ['a list', 'rule: [privileged-container]\n    rules: [host-namespaces]'],
    ['a mapping', 'rule: {id: privileged-container}\n    rules: [host-namespaces]'],
    ['a boolean', 'rule: true\n    rules: [host-namespaces]'],
    ['empty', 'rule:\n    rules: [host-namespaces]'],
  ] as const)
    it(`refuses rule: given as ${name}, with file and line`, () => {
      assert.throws(
        () => parseConfig(exception(rule), 'c.yaml', builtinRules),
        /c\.yaml:2:\d+: rule must be one rule id \(a string\); list several under rules:/,
      );
    });

  it('a number is read as the rule id it spells, and refused as unknown', () => {
    assert.throws(
      () => parseConfig(exception('rule: 5'), 'c.yaml', builtinRules),
      /unknown rule id in c\.yaml:2:\d+: exception: 5/,
    );
  });
});

describe('readConfigText', () => {
  it('refuses a FIFO, a link to a device and a directory at once, naming the file (never blocks or fills memory)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-config-'));
    try {
      const fifo = join(dir, 'fifo.yaml');
      execFileSync('mkfifo', [fifo]);
      const device = join(dir, 'zero.yaml');
      symlinkSync('/dev/zero', device);
      const directory = join(dir, '.palisade.yaml');
      mkdirSync(directory);
      // The FIFO in a child process: a regression would block its main thread in open(), which no test timeout
      // in this process could interrupt.
      const child = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { readConfigText } from ${JSON.stringify(join(import.meta.dirname, 'config-loader.ts'))};
           try { readConfigText(${JSON.stringify(fifo)}, 'config'); } catch (error) { console.log(error.message); }`,
        ],
        { encoding: 'utf8', timeout: 10_000 },
      );
      assert.equal(
        child.stdout,
        `cannot read config file ${fifo}: not a regular file (a FIFO, socket or device)\n`,
      );
      assert.throws(() => readConfigText(device, 'config'), {
        message: `cannot read config file ${device}: not a regular file (a FIFO, socket or device)`,
      });
      assert.throws(() => readConfigText(directory, 'config'), {
        message: `cannot read config file ${directory}: is a directory`,
      });
      const big = join(dir, 'big.yaml');
      writeFileSync(big, Buffer.alloc(4 * 1024 * 1024 + 1, 32));
      assert.throws(() => readConfigText(big, 'policy'), /cannot read policy file .*big\.yaml: larger than/);
      const ok = join(dir, 'ok.yaml');
      writeFileSync(ok, 'failOn: high\n');
      assert.equal(readConfigText(ok, 'config'), 'failOn: high\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
