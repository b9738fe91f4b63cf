// Restricted "/proc Mount Type": only the default /proc masks, even in a user-namespace pod.
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { procMountViolations } from './proc-mount-checks.ts';
import { inspectPod, PSS_REFERENCES } from './pss-check-helpers.ts';
import { appSecurityContext, examplePod } from './pss-example-pods.ts';

export default defineRule({
  id: 'proc-mount-restricted',
  title: 'Unmasked /proc mount (restricted)',
  severity: 'medium',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'pss-restricted': ['proc-mount'], 'nsa-cisa': ['pod-security'] },
  description:
    '`procMount: Unmasked` removes the masks the container runtime puts on sensitive /proc paths. The ' +
    'restricted level allows only `Default` at every policy version, including for pods with their own user ' +
    'namespace (`hostUsers: false`), which the baseline level relaxes from v1.35.',
  remediation: 'Remove `securityContext.procMount` from the container, or set it to `Default`.',
  references: PSS_REFERENCES,
  examples: {
    pass: [
      examplePod('default-proc', (pod) => {
        pod.spec.hostUsers = false;
        appSecurityContext(pod).procMount = 'Default';
      }),
    ],
    fail: [
      examplePod('unmasked-proc-userns', (pod) => {
        pod.spec.hostUsers = false;
        appSecurityContext(pod).procMount = 'Unmasked';
      }),
    ],
  },
  check: (object) => inspectPod(object, (pod, containers) => procMountViolations(pod, containers)),
});
