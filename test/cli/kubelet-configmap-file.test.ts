// kubeadm's kubelet-config ConfigMap given as a file (`kubectl -n kube-system get cm kubelet-config -o yaml`) is
// checked as the KubeletConfiguration it holds, as it is in a snapshot: the kubelet rules used to pass it in silence.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runPalisade } from './cli-harness.ts';

const KUBELET = [
  'apiVersion: kubelet.config.k8s.io/v1beta1',
  'kind: KubeletConfiguration',
  'authentication:',
  '  anonymous:',
  '    enabled: yes',
  'rotateCertificates: true',
  'protectKernelDefaults: true',
].join('\n');

const configMap = (namespace: string) =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: kubelet-config',
    `  namespace: ${namespace}`,
    'data:',
    '  kubelet: |',
    ...KUBELET.split('\n').map((line) => `    ${line}`),
  ].join('\n');

/** Findings of kubelet-anonymous-auth on a file holding `text`, with the parts the tests compare. */
async function anonymousAuthFindings(path: string, text: string) {
  await writeFile(path, text);
  const run = await runPalisade([
    'scan',
    path,
    '--format',
    'json',
    '--no-config',
    '--rule',
    'kubelet-anonymous-auth',
  ]);
  const report = JSON.parse(run.stdout) as {
    findings: { ruleId: string; resource: { kind: string }; location: { line: number } }[];
  };
  return report.findings;
}

describe('kubelet-config ConfigMap in a file scan', () => {
  let directory = '';
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'palisade-kubelet-cm-'));
  });
  after(async () => rm(directory, { recursive: true, force: true }));

  test("is checked as its KubeletConfiguration, located at the ConfigMap's data.kubelet", async () => {
    const findings = await anonymousAuthFindings(
      join(directory, 'kubelet-config.yaml'),
      `${configMap('kube-system')}\n`,
    );
    assert.deepEqual(
      findings.map((finding) => `${finding.ruleId} ${finding.resource.kind} line ${finding.location.line}`),
      ['kubelet-anonymous-auth KubeletConfiguration line 7'],
    );
  });

  test("only for kubelets not otherwise seen: beside a node's own KubeletConfiguration it derives nothing", async () => {
    const node =
      'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmetadata:\n  name: node-a\n';
    assert.deepEqual(
      await anonymousAuthFindings(
        join(directory, 'with-node.yaml'),
        `${configMap('kube-system')}\n---\n${node}`,
      ),
      [],
    );
  });

  test('only in kube-system, where kubeadm keeps it', async () => {
    assert.deepEqual(
      await anonymousAuthFindings(join(directory, 'elsewhere.yaml'), `${configMap('default')}\n`),
      [],
    );
  });
});
