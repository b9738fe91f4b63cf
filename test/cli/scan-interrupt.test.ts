// Ctrl-C or SIGTERM stops a scan at once (exit 3, "interrupted"), also while it evaluates tens of thousands of
// objects or renders their findings: that work lets the event loop take a turn about every 50 ms.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { evaluate, evaluatePaced } from '../../src/core/engine.ts';
import { EventLoopPacer } from '../../src/core/event-loop-pacer.ts';
import { Inventory } from '../../src/core/inventory.ts';
import { parsePssVersion } from '../../src/core/pss-version.ts';
import { builtinRules } from '../../src/rules/index.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

function deployment(index: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: d${index}, namespace: ns}
spec:
  template:
    spec:
      containers: [{name: c, image: nginx:1.25, securityContext: {privileged: true}}]
`;
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'palisade-interrupt-'));
  // About ten seconds of work on a 2-core machine, most of it after loading.
  await writeFile(
    join(dir, 'big.yaml'),
    Array.from({ length: 60_000 }, (_, i) => deployment(i)).join('---\n'),
  );
});
after(() => rm(dir, { recursive: true, force: true }));

it('SIGTERM during a long scan exits 3 with "interrupted", not after writing the whole report', async () => {
  const child = spawn(process.execPath, [MAIN, 'scan', 'big.yaml', '-o', 'report.txt'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const killer = setTimeout(() => child.kill('SIGTERM'), 2_500);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  assert.equal(code, 3, stderr);
  assert.match(stderr, /palisade scan: interrupted/);
});

it("a paced evaluation gives the plain one's result, and stops with the signal's reason once it aborts", async () => {
  const objects = Array.from({ length: 200 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${i}`, namespace: 'ns' },
    spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] },
  }));
  const options = { rules: builtinRules, pssVersion: parsePssVersion('latest'), now: new Date(0) };
  const plain = evaluate(Inventory.of(objects), options);
  const paced = await evaluatePaced(Inventory.of(objects), options, new EventLoopPacer(undefined, 0));
  assert.deepEqual(paced, plain);

  const controller = new AbortController();
  setImmediate(() => controller.abort(new Error('stop')));
  await assert.rejects(
    evaluatePaced(Inventory.of(objects), options, new EventLoopPacer(controller.signal, 0)),
    /stop/,
  );
});
