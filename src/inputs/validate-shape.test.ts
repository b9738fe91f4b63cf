import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPath, type KubeObject } from '../core/kube-object.ts';
import { validateShape } from './validate-shape.ts';

const pod = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec,
});
const container = (fields: Record<string, unknown>) =>
  pod({ containers: [{ name: 'c', image: 'i', ...fields }] });

function errorPaths(object: KubeObject): string[] {
  return validateShape(object).map((error) => formatPath(error.path));
}

describe('validateShape', () => {
  const bad: { name: string; object: KubeObject; path: string }[] = [
    { name: 'containers as a string', object: pod({ containers: 'x' }), path: 'spec.containers' },
    {
      name: 'securityContext as a list',
      object: container({ securityContext: [] }),
      path: 'spec.containers[0].securityContext',
    },
    {
      name: 'an integer beyond int64 (the API server cannot decode it)',
      object: pod({ securityContext: { runAsUser: 1e26 } }),
      path: 'spec.securityContext.runAsUser',
    },
    {
      name: 'an int-or-string port beyond int64',
      object: container({ livenessProbe: { httpGet: { port: -1e30 } } }),
      path: 'spec.containers[0].livenessProbe.httpGet.port',
    },
    {
      name: 'privileged as a string',
      object: container({ securityContext: { privileged: 'yes' } }),
      path: 'spec.containers[0].securityContext.privileged',
    },
    {
      name: 'runAsUser as a string',
      object: pod({ securityContext: { runAsUser: '0' }, containers: [] }),
      path: 'spec.securityContext.runAsUser',
    },
    {
      name: 'capabilities.add as a string',
      object: container({ securityContext: { capabilities: { add: 'NET_ADMIN' } } }),
      path: 'spec.containers[0].securityContext.capabilities.add',
    },
    {
      name: 'labels as a list',
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: ['a'] as never } },
      path: 'metadata.labels',
    },
    { name: 'volumes as a mapping', object: pod({ containers: [], volumes: {} }), path: 'spec.volumes' },
    {
      name: 'containerPort as a string',
      object: container({ ports: [{ containerPort: '80' }] }),
      path: 'spec.containers[0].ports[0].containerPort',
    },
    { name: 'hostNetwork as a string', object: pod({ hostNetwork: 'true' }), path: 'spec.hostNetwork' },
    {
      name: 'label value as a number',
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { v: 1 as never } } },
      path: 'metadata.labels.v',
    },
    {
      name: 'env value as a number',
      object: container({ env: [{ name: 'A', value: 8080 }] }),
      path: 'spec.containers[0].env[0].value',
    },
    {
      name: 'init container',
      object: pod({ initContainers: [{ securityContext: { runAsNonRoot: 'true' } }] }),
      path: 'spec.initContainers[0].securityContext.runAsNonRoot',
    },
    {
      name: 'Deployment pod template',
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { template: { spec: { hostPID: 1 } } },
      },
      path: 'spec.template.spec.hostPID',
    },
    {
      name: 'CronJob pod template',
      object: {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'c' },
        spec: { jobTemplate: { spec: { template: { spec: { containers: {} } } } } },
      },
      path: 'spec.jobTemplate.spec.template.spec.containers',
    },
    {
      name: 'spec as a list',
      object: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: [] },
      path: 'spec',
    },
    {
      name: 'Service port',
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's' },
        spec: { ports: [{ port: 'http' }] },
      },
      path: 'spec.ports[0].port',
    },
    {
      name: 'Ingress tls hosts',
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'i' },
        spec: { tls: [{ hosts: 'a' }] },
      },
      path: 'spec.tls[0].hosts',
    },
    {
      name: 'ConfigMap data value',
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { port: 8080 } },
      path: 'data.port',
    },
    {
      name: 'Role verbs',
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'r' },
        rules: [{ verbs: '*' }],
      },
      path: 'rules[0].verbs',
    },
    {
      name: 'RoleBinding subjects',
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'b' },
        subjects: {},
      },
      path: 'subjects',
    },
    {
      name: 'fractional integer',
      object: pod({ securityContext: { fsGroup: 1.5 } }),
      path: 'spec.securityContext.fsGroup',
    },
  ];
  for (const { name, object, path } of bad)
    it(`refuses ${name}`, () => assert.deepEqual(errorPaths(object), [path]));

  it('accepts well-typed objects, nulls, quantities, int-or-string and unknown fields', () => {
    const object = container({
      securityContext: { privileged: false, runAsUser: 1000, capabilities: { drop: ['ALL'], add: null } },
      resources: { limits: { cpu: 0.5, memory: '128Mi' } },
      livenessProbe: { httpGet: { port: 'http' } },
      ports: [{ containerPort: 80 }],
      somethingNew: { anything: [1, 'x'] },
    });
    assert.deepEqual(errorPaths(object), []);
  });

  it("quantities follow the API server's grammar and are not negative", () => {
    const limits = (cpu: unknown) => validateShape(container({ resources: { limits: { cpu } } }));
    for (const good of [
      '500m',
      '1',
      '0.5',
      '.5',
      '2.',
      '128Mi',
      '1Gi',
      '1G',
      '1e3',
      '1E',
      '+1',
      '-0',
      0,
      1.5,
      // Placeholders of template engines are left to the engine.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder as users write it, not a template
      '${GPUS}',
      '<memory>',
    ])
      assert.deepEqual(limits(good), [], String(good));
    for (const bad of ['abc', '-1Gi', '1 Gi', '128MB', '1ki', '', '1.2.3', 'Gi', -1, '0x10']) {
      const errors = limits(bad);
      assert.deepEqual(
        errors.map((error) => formatPath(error.path)),
        ['spec.containers[0].resources.limits.cpu'],
        String(bad),
      );
      // Never the value itself (see below): what is wrong with it.
      assert.equal(errors[0]?.actual, bad === -1 ? 'a negative number' : 'a string that is not one');
    }
  });

  it('checks custom resources only for their metadata', () => {
    const object: KubeObject = {
      apiVersion: 'x.io/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { containers: 'x' },
    };
    assert.deepEqual(errorPaths(object), []);
  });

  it('describes what was expected and the type found, never the value (it may be a secret)', () => {
    const [error] = validateShape(container({ securityContext: { privileged: 'yes' } }));
    assert.equal(error?.expected, 'a boolean');
    assert.equal(error?.actual, 'a string');
    const [pin] = validateShape({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      stringData: { pin: 20242024 },
    } as never);
    assert.equal(pin?.actual, 'an integer');
  });
});
