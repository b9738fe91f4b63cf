// Snapshots read from standard input, large snapshots in directories, FIFOs, `snapshot -o` targets, and a password
// in the kubeconfig's server URL: end to end against the replay server.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runPalisade } from '../cli/cli-harness.ts';
import { ADMIN_TOKEN, FIXTURE_DIR, TLS, TOKENS, tempDir, writeKubeconfig } from './replay-fixtures.ts';
import { ReplayServer, readRecordings } from './replay-server.ts';

interface Report {
  findings: { ruleId: string; resource: { name: string }; location: { type: string } }[];
  loadIssues: { severity: string; code: string; message: string; file: string }[];
  notices: { severity: string; message: string }[];
}

const JSON_ARGS = ['-f', 'json', '--fail-on', 'none', '--no-config'];
// A command that would block forever fails the test instead of hanging the suite; no time is asserted.
const HANG_GUARD = { timeout: 60_000 };

const privilegedOf = (report: Report) =>
  report.findings
    .filter((finding) => finding.ruleId === 'privileged-container')
    .map((finding) => `${finding.resource.name}@${finding.location.type}`)
    .sort();

describe('snapshot input and output', () => {
  let server: ReplayServer;
  let directory: string;
  let kubeconfig: string;
  let snapshotFile: string;
  let snapshotText: string;

  before(async () => {
    server = await ReplayServer.start({
      recordings: readRecordings(join(FIXTURE_DIR, 'small-cluster.jsonl')),
      tokens: TOKENS,
      tls: TLS,
    });
    directory = tempDir('palisade-snapshot-io-');
    kubeconfig = writeKubeconfig(directory, server.url, { token: ADMIN_TOKEN });
    snapshotFile = join(directory, 'snap.json');
    const taken = await runPalisade([
      'snapshot',
      '--kubeconfig',
      kubeconfig,
      '--page-size',
      '2',
      '-o',
      snapshotFile,
    ]);
    assert.equal(taken.code, 3, taken.stderr); // the recorded identity may not list Secrets
    snapshotText = readFileSync(snapshotFile, 'utf8');
  });
  after(() => server.close());

  test('`scan -` reads a snapshot from standard input like the same file', async () => {
    const fromFile = JSON.parse((await runPalisade(['scan', snapshotFile, ...JSON_ARGS])).stdout) as Report;
    const run = await runPalisade(['scan', '-', ...JSON_ARGS], { stdin: snapshotText });
    assert.doesNotMatch(run.stderr, /ENOENT|<stdin>/);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(privilegedOf(report), ['debug@cluster', 'web@cluster']);
    assert.deepEqual(report.findings, fromFile.findings);
    // Manifests on standard input are still read as manifests.
    const manifest = await runPalisade(['scan', '-', ...JSON_ARGS], {
      stdin:
        'apiVersion: v1\nkind: Pod\nmetadata: {name: piped}\nspec:\n  containers: [{name: a, image: x:1, securityContext: {privileged: true}}]\n',
    });
    assert.deepEqual(privilegedOf(JSON.parse(manifest.stdout) as Report), ['piped@file']);
  });

  test('a snapshot over the 8 MiB manifest document limit is read as a snapshot, in a directory and on stdin', async () => {
    const big = JSON.parse(snapshotText) as { items: unknown[] };
    big.items.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'bulk', namespace: 'shop' },
      data: { blob: 'x'.repeat(9 * 1024 * 1024) },
    });
    const text = JSON.stringify(big);
    const folder = join(directory, 'big');
    mkdirSync(folder);
    writeFileSync(join(folder, 'cluster.json'), text);
    for (const [args, stdin] of [
      [[folder], undefined],
      [['-'], text],
    ] as const) {
      const run = await runPalisade(['scan', ...args, ...JSON_ARGS], stdin === undefined ? {} : { stdin });
      const report = JSON.parse(run.stdout) as Report;
      assert.deepEqual(privilegedOf(report), ['debug@cluster', 'web@cluster'], args.join(' '));
      assert.ok(!report.loadIssues.some((issue) => issue.code === 'document-too-large'), args.join(' '));
    }
  });

  test('only a top-level apiVersion and kind make a snapshot; an invalid one is an error for its file alone', async () => {
    const folder = join(directory, 'lookalikes');
    mkdirSync(folder);
    const pod = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'shop' },
      spec: { containers: [{ name: 'a', image: 'x:1', securityContext: { privileged: true } }] },
    });
    // A manifest quoting the snapshot's apiVersion and kind deeper down is a manifest.
    writeFileSync(
      join(folder, 'nested.json'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          pod('listed'),
          {
            apiVersion: 'example.com/v1',
            kind: 'Thing',
            metadata: { name: 't', namespace: 'shop' },
            spec: { payload: { apiVersion: 'palisade.dev/v1alpha1', kind: 'ClusterSnapshot' } },
          },
        ],
      }),
    );
    const invalid = JSON.stringify({ ...JSON.parse(snapshotText), takenAt: 5 });
    writeFileSync(join(folder, 'invalid-snapshot.json'), invalid);
    writeFileSync(join(folder, 'truncated-snapshot.json'), snapshotText.slice(0, 300));
    writeFileSync(join(folder, 'good.json'), JSON.stringify(pod('good')));
    const inputs = ['nested.json', 'invalid-snapshot.json', 'truncated-snapshot.json', 'good.json'].map(
      (name) => join(folder, name),
    );
    for (const args of [inputs, [folder]]) {
      const run = await runPalisade(['scan', ...args, ...JSON_ARGS]);
      const report = JSON.parse(run.stdout) as Report;
      assert.equal(run.code, 3, args.join(' '));
      assert.deepEqual(privilegedOf(report), ['good@file', 'listed@file'], args.join(' '));
      assert.deepEqual(
        report.loadIssues
          .filter((issue) => issue.code === 'snapshot-invalid')
          .map((issue) => issue.file.replace(/.*\//, ''))
          .sort(),
        ['invalid-snapshot.json', 'truncated-snapshot.json'],
        args.join(' '),
      );
    }
    const piped = await runPalisade(['scan', '-', ...JSON_ARGS], { stdin: invalid });
    assert.equal(piped.code, 3);
    assert.match(piped.stdout, /snapshot-invalid/);
  });

  test('a FIFO given as input is refused with a clear error instead of blocking', HANG_GUARD, async () => {
    const fifo = join(directory, 'input.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = await runPalisade(['scan', fifo, ...JSON_ARGS]);
    assert.equal(run.code, 3);
    const report = JSON.parse(run.stdout) as Report;
    assert.ok(
      report.loadIssues.some(
        (issue) => issue.severity === 'error' && /input\.fifo.*not a regular file/.test(issue.message),
      ),
      JSON.stringify(report.loadIssues),
    );
  });

  test(
    'snapshot -o refuses FIFOs, directories and links to them; follows a link to a file',
    HANG_GUARD,
    async () => {
      const fifo = join(directory, 'out.fifo');
      execFileSync('mkfifo', [fifo]);
      const linkToFifo = join(directory, 'link-to-fifo.json');
      symlinkSync(fifo, linkToFifo);
      const folder = join(directory, 'out-dir');
      mkdirSync(folder);
      for (const [target, why] of [
        [fifo, /not a regular file/],
        [linkToFifo, /symbolic link to something other than a regular file/],
        [folder, /a directory/],
      ] as const) {
        const run = await runPalisade(['snapshot', '--kubeconfig', kubeconfig, '-o', target]);
        assert.equal(run.code, 3, target);
        assert.match(run.stderr, /cannot write snapshot/);
        assert.match(run.stderr, why);
      }
      assert.ok(lstatSync(fifo).isFIFO(), 'the FIFO is left as it was');
      assert.equal(statSync(fifo).mode & 0o777, lstatSync(fifo).mode & 0o777);

      const real = join(directory, 'real.json');
      writeFileSync(real, 'old', { mode: 0o644 });
      const link = join(directory, 'link.json');
      symlinkSync(real, link);
      const run = await runPalisade(['snapshot', '--kubeconfig', kubeconfig, '-o', link]);
      assert.equal(run.code, 3, run.stderr);
      assert.equal(readlinkSync(link), real, 'the link stays a link');
      assert.match(readFileSync(real, 'utf8'), /"kind": "ClusterSnapshot"/);
      assert.equal(statSync(real).mode & 0o777, 0o600);
    },
  );

  test('a password in the server URL is never printed nor stored, and the cluster is still read', async () => {
    const secretDir = tempDir('palisade-userinfo-');
    const withPassword = server.url.replace('https://', 'https://admin:hunter2-secret@');
    const config = writeKubeconfig(secretDir, withPassword, { token: ADMIN_TOKEN });
    const file = join(secretDir, 'snap.json');
    const taken = await runPalisade(['snapshot', '--kubeconfig', config, '--page-size', '2', '-o', file]);
    assert.equal(taken.code, 3, taken.stderr);
    const stored = readFileSync(file, 'utf8');
    assert.equal((JSON.parse(stored) as { server: string }).server, server.url);
    const scan = await runPalisade([
      'scan',
      '--cluster',
      '--kubeconfig',
      config,
      '--page-size',
      '2',
      ...JSON_ARGS,
    ]);
    assert.deepEqual(privilegedOf(JSON.parse(scan.stdout) as Report), ['debug@cluster', 'web@cluster']);
    // An unreachable server's error names the server: without the password.
    const closed = writeKubeconfig(secretDir, 'https://admin:hunter2-secret@127.0.0.1:1', {
      token: ADMIN_TOKEN,
    });
    const failed = await runPalisade(['scan', '--cluster', '--kubeconfig', closed, ...JSON_ARGS]);
    assert.equal(failed.code, 3);
    for (const text of [taken.stderr, stored, scan.stdout, scan.stderr, failed.stdout, failed.stderr])
      assert.ok(!text.includes('hunter2'), text.slice(0, 300));
  });

  test('a token that an HTTP header cannot carry is a configuration error naming the user, never shown', async () => {
    const config = writeKubeconfig(tempDir('palisade-badtoken-'), server.url, {
      token: 'first-line\nsecond-line',
    });
    const run = await runPalisade(['scan', '--cluster', '--kubeconfig', config, ...JSON_ARGS]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /users\[0\] \(replay-user\): token contains a line break/);
    assert.doesNotMatch(run.stderr, /internal error|first-line|second-line/);
  });

  test('a snapshot taken without TLS verification says so when scanned', async () => {
    const insecure = JSON.parse(snapshotText) as Record<string, unknown>;
    insecure.tlsVerified = false;
    const file = join(directory, 'insecure.json');
    writeFileSync(file, JSON.stringify(insecure));
    const report = JSON.parse((await runPalisade(['scan', file, ...JSON_ARGS])).stdout) as Report;
    assert.ok(
      report.notices.some(
        (notice) => notice.severity === 'warning' && /TLS verification is OFF/.test(notice.message),
      ),
    );
  });
});
