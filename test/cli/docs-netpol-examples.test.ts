// docs/netpol.md shows real output of `netpol can-reach` and `netpol matrix` on its example manifests (the objects
// of test/fixtures/netpol/shop): each example in the page must still be what the command prints, so the page cannot
// drift from the program unnoticed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runPalisade } from './cli-harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PAGE = readFileSync(join(ROOT, 'docs', 'netpol.md'), 'utf8');
const MANIFESTS = join(ROOT, 'test', 'fixtures', 'netpol', 'shop');

/** The output the page shows after `$ <command>`: the lines up to the next blank-then-`$` or the code block's end. */
function shownOutput(command: string): string {
  const start = PAGE.indexOf(`$ ${command}\n`);
  assert.notEqual(start, -1, `docs/netpol.md has no example "$ ${command}"`);
  const rest = PAGE.slice(start + command.length + 3);
  const end = Math.min(
    ...['\n\n$ ', '\n```'].map((marker) => rest.indexOf(marker)).filter((index) => index !== -1),
  );
  return `${rest.slice(0, end)}\n`;
}

describe('docs/netpol.md examples match what the commands print', () => {
  for (const command of [
    'palisade netpol can-reach Deployment/shop/web shop/api manifests/',
    'palisade netpol can-reach payments/payments shop/api manifests/',
    'palisade netpol matrix manifests/',
  ])
    it(command, async () => {
      const args = command
        .split(' ')
        .slice(1)
        .map((arg) => (arg === 'manifests/' ? MANIFESTS : arg));
      const run = await runPalisade(args);
      assert.equal(run.stderr, '');
      assert.equal(run.stdout, shownOutput(command));
    });
});
