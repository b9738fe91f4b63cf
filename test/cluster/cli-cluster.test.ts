// `palisade scan --cluster` and `palisade snapshot` end to end, against the replay server and this repo's fixture.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runPalisade } from '../cli/cli-harness.ts';
import { ADMIN_TOKEN, FIXTURE_DIR, TLS, TOKENS, tempDir, writeKubeconfig } from './replay-fixtures.ts';
import { ReplayServer, readRecordings } from './replay-server.ts';

interface Report {
  inputs: string[];
  findings: {
    ruleId: string;
    message: string;
    resource: { kind: string; name: string };
    location: { type: string; context?: string };
  }[];
  loadIssues: { severity: string; code: string; message: string; file: string }[];
  notices: { message: string }[];
}

describe('cluster commands', () => {
  let server: ReplayServer;
  let directory: string;
  let kubeconfig: string;
  const json = ['--page-size', '2', '-f', 'json', '--fail-on', 'none', '--no-config'];

  before(async () => {
    server = await ReplayServer.start({
      recordings: readRecordings(join(FIXTURE_DIR, 'small-cluster.jsonl')),
      tokens: TOKENS,
      tls: TLS,
    });
    directory = tempDir();
    kubeconfig = writeKubeconfig(directory, server.url, { token: ADMIN_TOKEN });
  });
  after(() => server.close());

  test('--help of both commands, and usage errors', async () => {
    for (const command of ['scan', 'snapshot']) {
      const help = await runPalisade([command, '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /--kubeconfig PATH/);
    }
    for (const [args, message] of [
      [['scan', '--context', 'prod', 'x.yaml'], /--context needs --cluster/],
      [['scan', '--cluster', '--namespace', 'Not_Valid'], /not a valid namespace name/],
      [['scan', '--cluster', '--page-size', '0'], /--page-size must be a whole number/],
      [['snapshot', '--kubeconfig', 'k'], /-o FILE/],
      [['snapshot', 'file.yaml', '-o', 'x.json'], /snapshot reads a cluster, not files/],
      // A kubeconfig that is not there is a configuration error, as a --config file that is not there.
      [
        ['scan', '--cluster', '--kubeconfig', join(directory, 'absent')],
        /cannot read kubeconfig .*absent: no such file/,
      ],
      [
        ['snapshot', '--kubeconfig', join(directory, 'absent'), '-o', join(directory, 'x.json')],
        /no such file/,
      ],
    ] as const) {
      const run = await runPalisade(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
    }
  });

  test('scan --cluster: findings with cluster locations, forbidden kinds reported, exit 3', async () => {
    const run = await runPalisade(['scan', '--cluster', '--kubeconfig', kubeconfig, ...json]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /could not be scanned completely/);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(report.inputs, ['cluster:replay']);
    const privileged = report.findings
      .filter((finding) => finding.ruleId === 'privileged-container')
      .map((finding) => `${finding.resource.kind}/${finding.resource.name}`)
      .sort();
    // The pod and ReplicaSet of Deployment web carry its template: reported once, on the Deployment.
    assert.deepEqual(privileged, ['Deployment/web', 'Pod/debug']);
    assert.ok(
      report.findings.every(
        (finding) => finding.location.type === 'cluster' && finding.location.context === 'replay',
      ),
    );
    const kubelet = report.findings.filter((finding) => finding.resource.kind === 'KubeletConfiguration');
    assert.ok(
      kubelet.some(
        (finding) => finding.ruleId === 'kubelet-anonymous-auth' && finding.resource.name === 'node-a',
      ),
    );
    assert.ok(
      kubelet.some(
        (finding) => finding.ruleId === 'kubelet-read-only-port' && finding.message.includes('10255'),
      ),
    );
    assert.ok(
      report.findings.some(
        (finding) => finding.ruleId === 'node-kubelet-version' && finding.resource.name === 'node-b',
      ),
    );
    const errors = report.loadIssues.filter((issue) => issue.severity === 'error');
    assert.deepEqual(
      errors.map((issue) => [issue.code, issue.file]),
      [['not-scanned', 'cluster:replay']],
    );
    assert.match(errors[0]?.message ?? '', /Secret .* not scanned: forbidden/);
    assert.ok(report.notices.some((notice) => /node-b.*connection refused/.test(notice.message)));
    assert.ok(
      report.notices.some((notice) => notice.message.startsWith('etcd configuration not observable')),
    );
  });

  test('--namespace reads one namespace; refusals there are warnings, so a namespaced identity can pass', async () => {
    const run = await runPalisade([
      'scan',
      '--cluster',
      '--kubeconfig',
      kubeconfig,
      '--namespace',
      'shop',
      '--no-kubelet-config',
      ...json,
    ]);
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(run.code, 0, run.stderr);
    const names = new Set(
      report.findings.map((finding) => `${finding.resource.kind}/${finding.resource.name}`),
    );
    assert.ok(names.has('Pod/debug') && names.has('Deployment/web'));
    assert.ok(!names.has('Pod/kube-apiserver-node-a'));
    assert.deepEqual(
      report.loadIssues.filter((issue) => issue.code === 'not-scanned').map((issue) => issue.severity),
      ['warning', 'warning'],
    );
  });

  test('snapshot never passes terminal control from the kubeconfig or the server to the terminal', async () => {
    const config = JSON.parse(readFileSync(kubeconfig, 'utf8')) as {
      'current-context': string;
      contexts: { name: string }[];
    };
    const hostile = 'replay\u001b]0;owned\u0007\u001b[2J';
    config['current-context'] = hostile;
    (config.contexts[0] as { name: string }).name = hostile;
    const escaping = join(directory, 'escaping-kubeconfig');
    writeFileSync(escaping, JSON.stringify(config));
    const taken = await runPalisade([
      'snapshot',
      '--kubeconfig',
      escaping,
      '--page-size',
      '2',
      '-o',
      join(directory, 'escaping.json'),
    ]);
    assert.equal(taken.code, 3, taken.stderr);
    assert.match(taken.stderr, /from replay\\x1b\]0;owned\\x07\\x1b\[2J \(/);
    assert.ok(!taken.stderr.includes('\u001b'), taken.stderr);
  });

  test('snapshot writes a private file that scans offline with the same report', async () => {
    const file = join(directory, 'snap.json');
    const taken = await runPalisade(['snapshot', '--kubeconfig', kubeconfig, '--page-size', '2', '-o', file]);
    assert.equal(taken.code, 3);
    assert.match(taken.stderr, /error: Secret \(v1 secrets\) not scanned: forbidden/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('static-pod-secret'));
    const live = await runPalisade(['scan', '--cluster', '--kubeconfig', kubeconfig, ...json]);
    const offline = await runPalisade(['scan', file, ...json.slice(2)]);
    const strip = (report: Report) => ({ ...report, inputs: [] });
    assert.deepEqual(strip(JSON.parse(offline.stdout) as Report), strip(JSON.parse(live.stdout) as Report));
  });

  test('a snapshot inside a scanned directory is read as a snapshot, next to the manifests there', async () => {
    const folder = join(directory, 'mixed');
    mkdirSync(folder);
    const taken = await runPalisade([
      'snapshot',
      '--kubeconfig',
      kubeconfig,
      '--page-size',
      '2',
      '-o',
      join(folder, 'cluster.json'),
    ]);
    assert.equal(taken.code, 3);
    writeFileSync(
      join(folder, 'app.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: from-file, namespace: shop}\nspec:\n  containers: [{name: a, image: x:1, securityContext: {privileged: true}}]\n',
    );
    const run = await runPalisade(['scan', folder, ...json.slice(2)]);
    const report = JSON.parse(run.stdout) as Report;
    const privileged = report.findings
      .filter((finding) => finding.ruleId === 'privileged-container')
      .map((finding) => `${finding.resource.name}@${finding.location.type}`)
      .sort();
    assert.deepEqual(privileged, ['debug@cluster', 'from-file@file', 'web@cluster']);
    assert.ok(!report.loadIssues.some((issue) => issue.code === 'incomplete-object'));
  });

  test('a damaged snapshot is an error naming it; stray items are reported, not dropped', async () => {
    const bad = join(directory, 'bad.json');
    writeFileSync(bad, '{"apiVersion": "palisade.dev/v1alpha1", "kind": "ClusterSnapshot", "items": [');
    const broken = await runPalisade(['scan', bad, ...json.slice(2)]);
    assert.equal(broken.code, 3);
    // An error against that file in the report (the other inputs are still scanned), not the end of the scan.
    const brokenReport = JSON.parse(broken.stdout) as Report;
    assert.ok(
      brokenReport.loadIssues.some(
        (issue) =>
          issue.code === 'snapshot-invalid' && /snapshot .*bad\.json: not valid JSON/.test(issue.message),
      ),
      broken.stdout,
    );
    const stray = join(directory, 'stray.json');
    writeFileSync(
      stray,
      JSON.stringify({
        apiVersion: 'palisade.dev/v1alpha1',
        kind: 'ClusterSnapshot',
        context: 'ctx',
        server: 'https://x',
        takenAt: '2026-11-22T00:00:00Z',
        coverage: [],
        items: [
          { kind: 'Pod' },
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 's', namespace: 'a' },
            data: { k: 'c2VjcmV0' },
          },
        ],
      }),
    );
    const run = await runPalisade(['scan', stray, ...json.slice(2)]);
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(run.code, 3);
    assert.ok(
      report.loadIssues.some(
        (issue) =>
          issue.severity === 'error' &&
          /snapshot .*stray\.json: items\[0\] has no apiVersion; not scanned/.test(issue.message),
      ),
    );
  });

  test('progress is drawn on a terminal stderr only, and an interrupted scan stops with exit 3', async () => {
    const args = ['scan', '--cluster', '--kubeconfig', kubeconfig, ...json];
    const terminal = await runPalisade(args, { cwd: directory, stderrTty: true });
    assert.ok(terminal.stderr.includes(`\r\u001b[Kdiscovering APIs of ${server.url}`));
    const redirected = await runPalisade(args, { cwd: directory });
    assert.ok(!redirected.stderr.includes('\u001b['));
    const controller = new AbortController();
    controller.abort();
    const interrupted = await runPalisade(args, { cwd: directory, signal: controller.signal });
    assert.equal(interrupted.code, 3);
    assert.match(interrupted.stderr, /interrupted/);
  });
  test('TLS verification turned off is warned about on stderr, in the report, and kept in the snapshot', async () => {
    const insecureDir = tempDir();
    const insecure = writeKubeconfig(
      insecureDir,
      server.url,
      { token: ADMIN_TOKEN },
      { 'insecure-skip-tls-verify': true },
    );
    const scan = await runPalisade(['scan', '--cluster', '--kubeconfig', insecure, ...json]);
    assert.match(scan.stderr, /palisade scan: warning: TLS verification is OFF for https:\/\/127\.0\.0\.1/);
    const report = JSON.parse(scan.stdout) as Report;
    assert.ok(report.notices.some((notice) => /TLS verification is OFF/.test(notice.message)));

    const taken = await runPalisade(
      ['snapshot', '--kubeconfig', insecure, '--page-size', '2', '-o', 'insecure.json'],
      { cwd: insecureDir },
    );
    // Exit 3 as for the verified cluster: the recording has kinds the user may not list.
    assert.equal(taken.code, 3, taken.stderr);
    assert.match(taken.stderr, /TLS verification is OFF/);
    const snapshot = JSON.parse(readFileSync(join(insecureDir, 'insecure.json'), 'utf8')) as {
      tlsVerified?: boolean;
    };
    assert.equal(snapshot.tlsVerified, false);

    const verified = await runPalisade(['scan', '--cluster', '--kubeconfig', kubeconfig, ...json]);
    assert.doesNotMatch(verified.stderr, /TLS verification/);
  });
});
