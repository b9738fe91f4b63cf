// Small AdmissionReview bodies of our own, so that server tests run without the shared corpus; and the policies,
// objects and requests the decision tests build.
import type { AdmissionRequest } from '../../src/admission/admission-review.ts';
import { CompiledPolicy } from '../../src/admission/compiled-policy.ts';
import { parseAdmissionPolicy } from '../../src/admission/policy-config.ts';
import type { KubeObject } from '../../src/core/kube-object.ts';
import { builtinRules } from '../../src/rules/index.ts';

/** An admission policy from the YAML after its apiVersion and kind, compiled against the built-in rules. */
export function compilePolicy(yaml: string): CompiledPolicy {
  return new CompiledPolicy(
    parseAdmissionPolicy(
      `apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\n${yaml}`,
      'policy.yaml',
      builtinRules,
    ),
    builtinRules,
  );
}

export function podObject(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'team', ...metadata }, spec };
}

/** A CREATE request for `object` by user alice (a Pod's resource, or a Namespace's). */
export function admissionRequest(
  object: KubeObject,
  extra: Partial<AdmissionRequest> = {},
): AdmissionRequest {
  return {
    apiVersion: 'admission.k8s.io/v1',
    uid: 'u1',
    kind: { group: '', version: 'v1', kind: object.kind },
    resource: { group: '', version: 'v1', resource: object.kind === 'Namespace' ? 'namespaces' : 'pods' },
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    operation: 'CREATE',
    userInfo: { username: 'alice', groups: [] },
    object,
    dryRun: false,
    ...extra,
  } as AdmissionRequest;
}

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
