// Acceptance: a scan of the recorded real cluster gives the same findings as a scan of the same objects from files
// (apart from locations), and a snapshot of it scans offline with identical results.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readSnapshotFile } from '../../src/cluster/snapshot-file.ts';
import { snapshotInventory } from '../../src/cluster/snapshot-inventory.ts';
import { runPalisade } from '../cli/cli-harness.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';
import { ADMIN_TOKEN, TLS, TOKENS, tempDir, writeKubeconfig } from './replay-fixtures.ts';
import { ReplayServer, readRecordings } from './replay-server.ts';

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  resource: { kind: string; namespace?: string; name: string };
  location: { type: string; path: string };
  container?: string;
}
interface JsonReport {
  findings: JsonFinding[];
  loadIssues: { code: string; message: string; severity: string }[];
  notices: { message: string }[];
}

/** A finding without where it was read from: what must agree between the cluster and files. */
function withoutLocation(finding: JsonFinding): string {
  const { kind, namespace, name } = finding.resource;
  return [
    finding.ruleId,
    finding.severity,
    kind,
    namespace ?? '',
    name,
    finding.container ?? '',
    finding.location.path,
    finding.message,
  ].join(' | ');
}

function parseReport(text: string): JsonReport {
  return JSON.parse(text) as JsonReport;
}

const skip = skipWithoutShared('cluster-recordings', 'admin-list.jsonl');

describe('cluster scan versus files', { skip }, () => {
  let server: ReplayServer;
  let directory: string;
  let kubeconfig: string;
  const common = [
    '--page-size',
    '100',
    '--no-kubelet-config',
    '-f',
    'json',
    '--fail-on',
    'none',
    '--no-config',
  ];

  before(async () => {
    server = await ReplayServer.start({
      recordings: readRecordings(
        sharedPath('cluster-recordings', 'admin-discovery.jsonl'),
        sharedPath('cluster-recordings', 'admin-list.jsonl'),
      ),
      tokens: TOKENS,
      tls: TLS,
    });
    directory = tempDir();
    kubeconfig = writeKubeconfig(directory, server.url, { token: ADMIN_TOKEN });
  });
  after(() => server.close());

  test('live scan, snapshot scan and file scan agree', async () => {
    const live = await runPalisade(['scan', '--cluster', '--kubeconfig', kubeconfig, ...common]);
    const liveReport = parseReport(live.stdout);
    assert.ok(liveReport.findings.length > 500, `only ${liveReport.findings.length} findings`);
    assert.ok(liveReport.findings.every((finding) => finding.location.type === 'cluster'));
    // Kinds other rules need that the recording did not list are reported, never silently missing.
    for (const issue of liveReport.loadIssues.filter((issue) => issue.severity === 'error'))
      assert.match(issue.message, /not scanned: failed \(HTTP 501: replay server: no recorded response/);

    const snapshotFile = join(directory, 'cluster.json');
    const taken = await runPalisade([
      'snapshot',
      '--kubeconfig',
      kubeconfig,
      '--page-size',
      '100',
      '--no-kubelet-config',
      '-o',
      snapshotFile,
    ]);
    assert.match(taken.stderr, /palisade snapshot: \d+ objects of \d+ kinds from replay/);
    const offline = await runPalisade(['scan', snapshotFile, ...common.slice(3)]);
    const offlineReport = parseReport(offline.stdout);
    assert.deepEqual(offlineReport.findings, liveReport.findings);
    assert.deepEqual(offlineReport.notices, liveReport.notices);
    assert.deepEqual(offlineReport.loadIssues, liveReport.loadIssues);

    // The same objects as manifests: one JSON document each (JSON is YAML), in one file.
    const { snapshot } = await readSnapshotFile(snapshotFile, 'cluster.json');
    const { entries } = snapshotInventory(snapshot);
    const manifests = join(directory, 'objects.yaml');
    writeFileSync(manifests, entries.map((entry) => `---\n${JSON.stringify(entry.object)}\n`).join(''));
    const files = await runPalisade(['scan', manifests, ...common.slice(3)]);
    const filesReport = parseReport(files.stdout);
    assert.deepEqual(filesReport.loadIssues, []);
    assert.ok(filesReport.findings.every((finding) => finding.location.type === 'file'));
    assert.deepEqual(
      filesReport.findings.map(withoutLocation).sort(),
      liveReport.findings.map(withoutLocation).sort(),
    );
  });

  test('control-plane checks find what the recorded static pods configure, and say what is not observable', async () => {
    const live = await runPalisade([
      'scan',
      '--cluster',
      '--kubeconfig',
      kubeconfig,
      ...common,
      '--framework',
      'cis-k8s',
    ]);
    const report = parseReport(live.stdout);
    const messages = report.findings.map((finding) => `${finding.ruleId}: ${finding.message}`);
    // Read from the recorded kube-apiserver and etcd command lines (see the recordings' README).
    assert.ok(
      messages.some((m) => m.startsWith('apiserver-anonymous-auth:') && m.includes('not set (default true)')),
    );
    assert.ok(
      messages.some(
        (m) => m.startsWith('apiserver-token-auth-file:') && m.includes('/etc/kubernetes/tokens.csv'),
      ),
    );
    assert.ok(
      messages.some((m) => m.startsWith('apiserver-etcd-tls:') && m.includes('http://127.0.0.1:2379')),
    );
    assert.ok(
      messages.some((m) => m.startsWith('apiserver-audit-log:') && m.includes('--audit-log-maxage=7')),
    );
    assert.ok(
      messages.some((m) => m.startsWith('etcd-tls:') && m.includes('--client-cert-auth is not true')),
    );
    assert.ok(
      !messages.some((m) => m.startsWith('apiserver-authorization-mode:')),
      'Node,RBAC is configured',
    );
    assert.ok(
      !messages.some((m) => m.startsWith('apiserver-encryption-at-rest:')),
      'a provider config is given',
    );
    const notices = report.notices.map((notice) => notice.message);
    assert.ok(
      notices.some((n) => n.includes('--encryption-provider-config=/etc/kubernetes/encryption-config.yaml')),
    );
    assert.ok(notices.some((n) => n.includes('--audit-policy-file=/etc/kubernetes/audit-policy.yaml')));
    assert.ok(notices.some((n) => n.startsWith('kubelet configuration not observable on 3 node(s)')));
  });
});
