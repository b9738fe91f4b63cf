import type { KubeObject } from '../../core/kube-object.ts';
import { containerViolations, isWindowsPod, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { effectiveSecurityContext } from '../../core/security-context.ts';
import { deployment, pod } from '../example-objects.ts';

const PASS: KubeObject[] = [
  // Set once at pod level: every container inherits it.
  deployment('web', {
    securityContext: { runAsGroup: 3000 },
    initContainers: [{ name: 'setup', image: 'busybox:1.36' }],
    containers: [{ name: 'app', image: 'web:1.0' }],
  }),
  deployment('own', {
    containers: [{ name: 'app', image: 'web:1.0', securityContext: { runAsGroup: 3000 } }],
  }),
  pod('win', {
    os: { name: 'windows' },
    containers: [{ name: 'app', image: 'mcr.microsoft.com/windows/nanoserver:ltsc2022' }],
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', {
    containers: [
      { name: 'app', image: 'web:1.0', securityContext: { runAsGroup: 3000 } },
      { name: 'sidecar', image: 'sidecar:1.0' },
    ],
  }),
];

export default defineRule({
  id: 'missing-run-as-group',
  title: 'Container primary group not set',
  severity: 'low',
  domain: 'workload',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'cis-k8s': ['5.7.3'], 'nsa-cisa': ['non-root-containers'] },
  description:
    'Without `runAsGroup` the container process gets the primary group the image defines, which is often the root group (GID 0); files the root group can write (much of a typical image, and anything created with a permissive umask) are then writable by the process. ' +
    'The effective value is read: a container inherits `runAsGroup` from the pod security context, so only containers with neither are flagged. Windows pods are skipped.',
  remediation:
    'Set `securityContext.runAsGroup` to a non-zero GID, once in the pod security context (inherited by every container) or per container:\n\n```yaml\nsecurityContext:\n  runAsUser: 10001\n  runAsGroup: 10001\n```',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
  examples: { pass: PASS, fail: FAIL },
  check: (object) =>
    containerViolations(object, (container, out, pod) => {
      if (isWindowsPod(pod)) return;
      const field = effectiveSecurityContext(pod, container).get('runAsGroup');
      if (field.value !== undefined) return;
      out.push({
        message: `container "${container.name}" does not set securityContext.runAsGroup, and neither does the pod`,
        path: field.path,
        container: container.name,
      });
    }),
});
