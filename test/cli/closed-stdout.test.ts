// A reader that stops early (`palisade scan -f json | head`): the executable stops writing, as Unix tools do on
// SIGPIPE, and exits with the command's own code; never an unhandled EPIPE with a stack trace, never a hang.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'palisade-closed-stdout-'));
  // Enough objects for a report far larger than a pipe's buffer (64 KiB), so writes outlive the reader.
  const deployments = Array.from(
    { length: 300 },
    (_, index) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: app-${index}, namespace: shop }
spec:
  selector: { matchLabels: { app: app-${index} } }
  template:
    metadata: { labels: { app: app-${index} } }
    spec:
      containers: [{ name: app, image: "nginx:latest", securityContext: { privileged: true } }]
`,
  );
  await writeFile(join(dir, 'many.yaml'), deployments.join('---\n'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** Runs the executable, destroys its stdout after the first chunk, and collects stderr and the exit code. */
function runAndCloseStdout(
  args: readonly string[],
  stdinText?: string,
): Promise<{ code: number | null; stderr: string; chunks: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    let stderr = '';
    let chunks = 0;
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.stdout.on('data', () => {
      chunks++;
      child.stdout.destroy();
    });
    child.stdin.on('error', () => {});
    if (stdinText === undefined) child.stdin.end();
    else child.stdin.end(stdinText);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, chunks });
    });
  });
}

it('a scan whose reader stops early exits with its own code, without a stack trace', {
  timeout: 90_000,
}, async () => {
  const run = await runAndCloseStdout(['scan', 'many.yaml', '--format', 'json', '--no-config']);
  assert.equal(run.chunks, 1);
  // 1: findings at or above the failing severity, as when the whole report is read.
  assert.equal(run.code, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /EPIPE|Unhandled|unsettled|\n\s+at /);
});

it('a watcher whose reader stops early shuts down cleanly', { timeout: 90_000 }, async () => {
  const event = (index: number) =>
    JSON.stringify({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      stage: 'ResponseComplete',
      requestURI: '/api/v1/namespaces/shop/secrets/db',
      verb: 'get',
      user: { username: 'mallory', groups: ['system:authenticated'] },
      sourceIPs: ['10.0.0.9'],
      objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiVersion: 'v1' },
      responseStatus: { code: 200 },
      requestReceivedTimestamp: '2026-11-22T10:00:00.000000Z',
      stageTimestamp: '2026-11-22T10:00:00.100000Z',
    });
  const rules = join(dir, 'rules.yaml');
  await writeFile(
    rules,
    `- rule: Secret Read
  desc: every Secret read
  condition: ka.target.resource = secrets and ka.verb = get
  output: "secret read by %ka.user.name (%evt.num)"
  priority: NOTICE
  source: k8s_audit
`,
  );
  const events = Array.from({ length: 20_000 }, (_, index) => event(index)).join('\n');
  const run = await runAndCloseStdout(['watch', '--stdin', '--rules', rules, '--no-builtin'], events);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /watch stopped/);
  assert.doesNotMatch(run.stderr, /EPIPE|Unhandled|unsettled|\n\s+at /);
});

it('a standard output that fails (a full disk) is said once and exits 3, never 1 ("findings") or a stack trace', {
  skip: existsSync('/dev/full') ? false : 'no /dev/full here',
}, async () => {
  for (const format of ['table', 'json', 'sarif']) {
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawnSync(
        process.execPath,
        [MAIN, 'scan', '--fail-on', 'none', '-f', format, join(dir, 'many.yaml')],
        { cwd: dir, stdio: ['ignore', full, 'pipe'], encoding: 'utf8', timeout: 60_000 },
      );
      assert.equal(child.status, 3, `${format}: ${child.stderr}`);
      assert.equal(
        child.stderr,
        'palisade: cannot write to standard output: ENOSPC: no space left on device, write\n',
        format,
      );
      // `> /dev/full 2>&1`: the message cannot be written either, and the exit code stays 3.
      const both = spawnSync(
        process.execPath,
        [MAIN, 'scan', '--fail-on', 'none', '-f', format, join(dir, 'many.yaml')],
        { cwd: dir, stdio: ['ignore', full, full], timeout: 60_000 },
      );
      assert.equal(both.status, 3, format);
    } finally {
      closeSync(full);
    }
  }
});

it('a directory as standard input is an error (exit 3), not an empty input that passes', () => {
  const directory = openSync(dir, 'r');
  try {
    const child = spawnSync(process.execPath, [MAIN, 'scan', '--fail-on', 'none', '-'], {
      cwd: dir,
      stdio: [directory, 'pipe', 'pipe'],
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(child.status, 3, child.stdout + child.stderr);
    assert.match(child.stdout, /ERROR\s+read-failed\s+cannot read <stdin>: standard input is a directory/);
    const watch = spawnSync(process.execPath, [MAIN, 'watch', '-'], {
      cwd: dir,
      stdio: [directory, 'pipe', 'pipe'],
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(watch.status, 3, watch.stdout + watch.stderr);
    assert.equal(watch.stderr, 'palisade watch: stdin: standard input is a directory\n');
  } finally {
    closeSync(directory);
  }
});
