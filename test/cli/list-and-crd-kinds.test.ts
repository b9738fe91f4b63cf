// What kubectl applies is what gets scanned: objects with `items` (any kind) are lists, and custom resources that
// run pods (Argo Rollouts, OpenShift DeploymentConfigs, Knative) get every workload rule. The expected objects
// were checked against `kubectl label --local -f FILE x=y -o json` (kubectl v1.32).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dump } from 'js-yaml';
import { builtinRules } from '../../src/rules/index.ts';
import { runPalisade } from './cli-harness.ts';

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'evil' },
  spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] },
};
const SPEC = { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] };

interface Case {
  name: string;
  document: unknown;
  /** `Kind/name` of objects flagged by privileged-container. */
  flagged: string[];
  /** `code severity` of load issues. */
  issues: string[];
}

const CASES: Case[] = [
  {
    name: 'a ConfigMap with items is a list: kubectl applies the Pod, not the ConfigMap',
    document: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'harmless' }, items: [POD] },
    flagged: ['Pod/evil'],
    issues: ['not-kubernetes warning'],
  },
  {
    name: 'kind List without apiVersion is applied',
    document: { kind: 'List', items: [POD] },
    flagged: ['Pod/evil'],
    issues: [],
  },
  {
    name: 'a kind ending in List, whatever its items',
    document: { apiVersion: 'apps/v1', kind: 'DeploymentList', items: [POD] },
    flagged: ['Pod/evil'],
    issues: [],
  },
  {
    name: 'typed list items take their kind from the list',
    document: { apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'a' }, spec: SPEC }] },
    flagged: ['Pod/a'],
    issues: [],
  },
  {
    name: 'items: null is an empty list: kubectl applies nothing',
    document: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'h' }, items: null },
    flagged: [],
    issues: ['not-kubernetes warning', 'empty-list info'],
  },
  {
    name: 'items that are not a list: kubectl refuses the file, the object is still scanned',
    document: { apiVersion: 'v1', kind: 'List', items: POD },
    flagged: [],
    issues: ['invalid-field-type warning', 'incomplete-object info'],
  },
  {
    name: 'items that are not objects are reported',
    document: { apiVersion: 'v1', kind: 'List', items: ['a', POD] },
    flagged: ['Pod/evil'],
    issues: ['not-kubernetes warning'],
  },
  {
    name: 'a list in a list: kubectl refuses it, its items are scanned anyway',
    document: { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'List', items: [POD] }] },
    flagged: ['Pod/evil'],
    issues: ['not-kubernetes warning'],
  },
  {
    name: 'an object with items in a list',
    document: {
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, items: [POD] }],
    },
    flagged: ['Pod/evil'],
    issues: ['not-kubernetes warning'],
  },
  ...(
    [
      ['argoproj.io/v1alpha1', 'Rollout'],
      ['apps.openshift.io/v1', 'DeploymentConfig'],
      ['v1', 'DeploymentConfig'],
      ['serving.knative.dev/v1', 'Configuration'],
    ] as const
  ).map(([apiVersion, kind]) => ({
    name: `${apiVersion} ${kind} gets the workload rules`,
    document: { apiVersion, kind, metadata: { name: 'r' }, spec: { template: { spec: SPEC } } },
    flagged: [`${kind}/r`],
    issues: [],
  })),
  {
    name: 'an unknown kind with a pod template is reported, never skipped in silence',
    document: {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'CloneSet',
      metadata: { name: 'c' },
      spec: { template: { spec: SPEC } },
    },
    flagged: [],
    issues: ['not-scanned warning'],
  },
  {
    name: 'a Knative Service (a kind name shared with the core Service) is reported as not checked',
    document: {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'k' },
      spec: { template: { spec: SPEC } },
    },
    flagged: [],
    issues: ['not-scanned warning'],
  },
  {
    name: 'an unknown kind with a job template is reported',
    document: {
      apiVersion: 'example.com/v1',
      kind: 'Batch',
      metadata: { name: 'b' },
      spec: { jobTemplate: { spec: { template: { spec: SPEC } } } },
    },
    flagged: [],
    issues: ['not-scanned warning'],
  },
  {
    name: 'a core Service and a Crossplane Configuration are not workloads',
    document: {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } },
        { apiVersion: 'pkg.crossplane.io/v1', kind: 'Configuration', metadata: { name: 'c' }, spec: {} },
      ],
    },
    flagged: [],
    issues: [],
  },
];

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'palisade-kinds-'));
});
after(async () => rm(dir, { recursive: true, force: true }));

async function scan(file: string, text: string, rule: string) {
  const path = join(dir, file);
  await writeFile(path, text);
  const run = await runPalisade(['scan', path, '--format', 'json', '--no-config', '--rule', rule]);
  const report = JSON.parse(run.stdout) as {
    findings: { ruleId: string; resource: { kind: string; name: string } }[];
    loadIssues: { code: string; severity: string }[];
  };
  return {
    flagged: report.findings.map((finding) => `${finding.resource.kind}/${finding.resource.name}`),
    issues: report.loadIssues.map((issue) => `${issue.code} ${issue.severity}`),
  };
}

describe('lists and custom workload kinds are scanned as kubectl applies them', () => {
  CASES.forEach((entry, index) => {
    test(entry.name, async () => {
      // kubectl reads JSON (what `kubectl get -o json` writes) and YAML through different decoders: both are checked.
      for (const [file, text] of [
        [`case-${index}.json`, JSON.stringify(entry.document)],
        [`case-${index}.yaml`, dump(entry.document)],
      ] as const) {
        const result = await scan(file, text, 'privileged-container');
        assert.deepEqual(result.flagged, entry.flagged, file);
        assert.deepEqual(result.issues, entry.issues, file);
      }
    });
  });

  test('Rollouts and DeploymentConfigs are long-running: probes are expected', async () => {
    const container = { name: 'c', image: 'nginx', ports: [{ containerPort: 8080 }] };
    const spec = { template: { spec: { containers: [container] } } };
    const list = dump({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec },
        { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'r' }, spec },
      ],
    });
    const result = await scan('probes.yaml', list, 'missing-readiness-probe');
    assert.deepEqual(result.flagged.sort(), ['DeploymentConfig/r', 'Rollout/r']);
  });

  test('no rule lists a kind twice: one finding per object', async () => {
    for (const rule of builtinRules) assert.equal(new Set(rule.kinds).size, rule.kinds.length, rule.id);
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'default' },
      spec: {},
    };
    const result = await scan('service.yaml', dump(service), 'default-namespace-used');
    assert.deepEqual(result.flagged, ['Service/s']);
  });
});
