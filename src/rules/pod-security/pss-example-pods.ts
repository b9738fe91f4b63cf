// Example pods for the rules' metadata (docs and the registry-wide tests): a pod that meets the restricted
// level at the latest version, and edits of it that break exactly one control.
import type { KubeObject } from '../../core/kube-object.ts';
import type { Container, PodSpec } from '../../core/pod-spec.ts';

export interface ExamplePod extends KubeObject {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: PodSpec & { containers: Container[] };
}

/** A restricted-compliant pod, optionally edited. Every call builds a fresh object. */
export function examplePod(name: string, edit?: (pod: ExamplePod) => void): ExamplePod {
  const pod: ExamplePod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/app:1.0',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
  edit?.(pod);
  return pod;
}

/** The first container's security context, created when missing. */
export function appSecurityContext(pod: ExamplePod): NonNullable<Container['securityContext']> {
  const container = pod.spec.containers[0]!;
  container.securityContext ??= {};
  return container.securityContext;
}
