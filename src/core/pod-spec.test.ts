import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from './kube-object.ts';
import { containersOf, podTemplateOf, WORKLOAD_KINDS } from './pod-spec.ts';
import { effectiveSecurityContext } from './security-context.ts';

const podSpec = {
  securityContext: { runAsUser: 1000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', securityContext: { runAsUser: 0 } }, { name: 'sidecar' }],
  initContainers: [{ name: 'init', securityContext: { privileged: true } }],
  ephemeralContainers: [{ name: 'debug' }],
};

function wrap(kind: string): KubeObject {
  const template = { metadata: { labels: { app: 'x' } }, spec: podSpec };
  const apiVersion: Record<string, string> = {
    Deployment: 'apps/v1',
    ReplicaSet: 'apps/v1',
    StatefulSet: 'apps/v1',
    DaemonSet: 'apps/v1',
    Job: 'batch/v1',
    CronJob: 'batch/v1',
    Rollout: 'argoproj.io/v1alpha1',
    DeploymentConfig: 'apps.openshift.io/v1',
    Configuration: 'serving.knative.dev/v1',
  };
  const base = { apiVersion: apiVersion[kind] ?? 'v1', kind, metadata: { name: 'n' } };
  switch (kind) {
    case 'Pod':
      return { ...base, spec: podSpec };
    case 'PodTemplate':
      return { ...base, template };
    case 'CronJob':
      return { ...base, spec: { jobTemplate: { spec: { template } } } };
    default:
      return { ...base, spec: { template } };
  }
}

test('every pod-bearing kind exposes its pod spec and all container types', () => {
  assert.equal(WORKLOAD_KINDS.length, 12);
  for (const kind of WORKLOAD_KINDS) {
    const view = podTemplateOf(wrap(kind));
    assert.ok(view, kind);
    const containers = containersOf(view);
    assert.deepEqual(
      containers.map((c) => `${c.type}/${c.name}`),
      ['containers/app', 'containers/sidecar', 'initContainers/init', 'ephemeralContainers/debug'],
    );
    assert.deepEqual(containers[2]?.path.slice(-2), ['initContainers', 0]);
  }
});

test('other kinds and missing specs have no pod template', () => {
  assert.equal(podTemplateOf({ apiVersion: 'v1', kind: 'Service', metadata: {}, spec: {} }), undefined);
  assert.equal(podTemplateOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: {} }), undefined);
});

test('container security context overrides the pod, pod fills the gaps, container-only fields do not inherit', () => {
  const view = podTemplateOf(wrap('Deployment'))!;
  const [app, sidecar] = containersOf(view);
  const appContext = effectiveSecurityContext(view, app!);
  const runAsUser = appContext.get('runAsUser');
  assert.deepEqual(
    { value: runAsUser.value, from: runAsUser.from, path: runAsUser.path },
    {
      value: 0,
      from: 'container',
      path: ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsUser'],
    },
  );
  const sidecarContext = effectiveSecurityContext(view, sidecar!);
  assert.equal(sidecarContext.get('runAsUser').value, 1000);
  assert.equal(sidecarContext.get('runAsUser').from, 'pod');
  assert.deepEqual(sidecarContext.get('seccompProfile').value, { type: 'RuntimeDefault' });
  const privileged = sidecarContext.get('privileged');
  assert.equal(privileged.from, 'unset');
  assert.deepEqual(privileged.path, [
    'spec',
    'template',
    'spec',
    'containers',
    1,
    'securityContext',
    'privileged',
  ]);
});

test('a custom resource that shares a pod-bearing kind name is not read as one', () => {
  const custom: KubeObject = {
    apiVersion: 'example.com/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: { template: { spec: { containers: [{ name: 'a' }] } } },
  };
  assert.equal(podTemplateOf(custom), undefined);
  assert.ok(
    podTemplateOf({ ...custom, apiVersion: 'extensions/v1beta1' }),
    'old extensions group still counts',
  );
});

test('custom resources with pod templates are read in their own API groups only', () => {
  const template = { spec: { containers: [{ name: 'a' }] } };
  const cases: [apiVersion: string, kind: string, pod: boolean][] = [
    ['argoproj.io/v1alpha1', 'Rollout', true],
    ['apps.openshift.io/v1', 'DeploymentConfig', true],
    ['v1', 'DeploymentConfig', true],
    ['serving.knative.dev/v1', 'Service', false],
    ['serving.knative.dev/v1', 'Configuration', true],
    ['v1', 'Service', false],
    ['pkg.crossplane.io/v1', 'Configuration', false],
    ['example.com/v1', 'Rollout', false],
    ['example.com/v1', 'constructor', false],
  ];
  for (const [apiVersion, kind, pod] of cases) {
    const view = podTemplateOf({ apiVersion, kind, metadata: { name: 'x' }, spec: { template } });
    assert.equal(view !== undefined, pod, `${apiVersion} ${kind}`);
    if (view) assert.deepEqual(containersOf(view)[0]?.path, ['spec', 'template', 'spec', 'containers', 0]);
  }
});
