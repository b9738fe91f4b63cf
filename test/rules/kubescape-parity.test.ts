// Cases found by running Palisade's rules over the test inputs of kubescape's regolibrary and comparing the
// results: each test pins the Kubernetes semantics Palisade follows where the two disagreed. The manifests are
// written for these tests, not copied.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/core/kube-object.ts';
import type { Rule } from '../../src/core/rule.ts';
import { cronJob, pod } from '../../src/rules/example-objects.ts';
import { findRule } from '../../src/rules/index.ts';
import { clusterRole, roleBinding, user } from '../../src/rules/rbac/rbac-examples.ts';
import { contextOf } from '../../src/rules/workload/rule-test-support.ts';

function rule(id: string): Rule {
  const found = findRule(id);
  assert.ok(found, id);
  return found;
}

function violations(id: string, target: KubeObject, others: readonly KubeObject[] = []) {
  return rule(id).check(target, contextOf([target, ...others]));
}

const SOCKET_RULE = 'container-runtime-socket-mount';

describe('kubescape parity: container-runtime-socket-mount and subPath', () => {
  it('a subPath narrows a hostPath of /run to a directory without a runtime socket', () => {
    // kubescape's hostPath tests mount one volume several times through subPaths; the mount then exposes only
    // that part of the volume, not the runtime sockets elsewhere in /run.
    const target = pod('config-reader', {
      volumes: [{ name: 'host-run', hostPath: { path: '/run' } }],
      containers: [
        {
          name: 'app',
          image: 'app:1.0',
          volumeMounts: [{ name: 'host-run', mountPath: '/etc/app', subPath: 'app-config', readOnly: true }],
        },
      ],
    });
    assert.deepEqual(violations(SOCKET_RULE, target), []);
  });

  it('a subPath onto the socket itself is still flagged, and the message names the subPath', () => {
    const target = cronJob('builder', {
      volumes: [{ name: 'host-run', hostPath: { path: '/var/run/' } }],
      initContainers: [
        {
          name: 'setup',
          image: 'tools:1.0',
          volumeMounts: [{ name: 'host-run', mountPath: '/docker.sock', subPath: 'docker.sock' }],
        },
      ],
      containers: [{ name: 'job', image: 'job:1.0' }],
    });
    const found = violations(SOCKET_RULE, target);
    assert.deepEqual(
      found.map((violation) => violation.path.join('.')),
      ['spec.jobTemplate.spec.template.spec.initContainers.0.volumeMounts.0'],
    );
    assert.match(
      found[0]?.message ?? '',
      /\/var\/run\/docker\.sock \(volume "host-run", subPath "docker\.sock"\)/,
    );
  });

  it('the whole host filesystem with a subPath elsewhere exposes no socket', () => {
    const target = pod('reader', {
      volumes: [{ name: 'root', hostPath: { path: '/' } }],
      containers: [
        {
          name: 'app',
          image: 'app:1.0',
          volumeMounts: [{ name: 'root', mountPath: '/host-etc', subPath: 'etc/ssl', readOnly: true }],
        },
      ],
    });
    assert.deepEqual(violations(SOCKET_RULE, target), []);
  });

  it('a subPathExpr with variables is judged on the whole volume', () => {
    const target = pod('per-pod', {
      volumes: [{ name: 'host-run', hostPath: { path: '/run' } }],
      containers: [
        {
          name: 'app',
          image: 'app:1.0',
          env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          volumeMounts: [{ name: 'host-run', mountPath: '/state', subPathExpr: '$(POD_NAME)' }],
        },
      ],
    });
    assert.equal(violations(SOCKET_RULE, target).length, 1);
  });

  it('a subPath leaving /var through the /var/run symlink is not flagged: the kubelet refuses the mount', () => {
    const target = pod('escape', {
      volumes: [{ name: 'host-var', hostPath: { path: '/var' } }],
      containers: [
        {
          name: 'app',
          image: 'app:1.0',
          volumeMounts: [{ name: 'host-var', mountPath: '/docker.sock', subPath: 'run/docker.sock' }],
        },
      ],
    });
    assert.deepEqual(violations(SOCKET_RULE, target), []);
  });
});

describe('kubescape parity: RBAC resource matching (kubescape reads pods/* as a wildcard)', () => {
  it('resources: ["pods/*"] does not grant pods/exec: only "*" and "*/<subresource>" are RBAC wildcards', () => {
    const role = clusterRole('pod-subresources', [
      { apiGroups: [''], resources: ['pods/*'], verbs: ['create', 'get'] },
    ]);
    const binding = roleBinding('team', 'dave-pods', { kind: 'ClusterRole', name: 'pod-subresources' }, [
      user('dave'),
    ]);
    assert.deepEqual(violations('pod-exec-access', binding, [role]), []);
  });

  it('resources: ["*/exec"] does grant pods/exec', () => {
    const role = clusterRole('any-exec', [{ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] }]);
    const binding = roleBinding('team', 'dave-exec', { kind: 'ClusterRole', name: 'any-exec' }, [
      user('dave'),
    ]);
    assert.equal(violations('pod-exec-access', binding, [role]).length, 1);
  });
});
