// Small AdmissionReview bodies of our own, so that server tests run without the shared corpus.
import type { KubeObject } from '../../src/core/kube-object.ts';

export function podReview(
  pod: KubeObject,
  options: { uid?: string; operation?: string; oldObject?: KubeObject; username?: string } = {},
): Record<string, unknown> {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: options.uid ?? 'd3b07384-d9a0-4c9b-8f6e-000000000001',
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      operation: options.operation ?? 'CREATE',
      userInfo: { username: options.username ?? 'alice', groups: ['system:authenticated'] },
      object: pod,
      oldObject: options.oldObject ?? null,
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    },
  };
}

export function privilegedPod(name = 'priv', namespace = 'team-a'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: {
      containers: [
        { name: 'app', image: 'registry.example.com/app:1.0', securityContext: { privileged: true } },
      ],
    },
  };
}

export function plainPod(name = 'plain', namespace = 'team-a'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] },
  };
}
