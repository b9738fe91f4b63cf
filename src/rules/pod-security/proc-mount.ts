// Baseline "/proc Mount Type": the default /proc masks must stay, except (v1.35+) in a user-namespace pod.
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { procMountViolations } from './proc-mount-checks.ts';
import { inspectPod, isRelaxedUserNamespacePod, PSS_REFERENCES } from './pss-check-helpers.ts';
import { appSecurityContext, examplePod } from './pss-example-pods.ts';

export default defineRule({
  id: 'proc-mount',
  title: 'Unmasked /proc mount',
  severity: 'high',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  // Restricted uses proc-mount-restricted, which keeps the check for user-namespace pods too.
  frameworks: { 'pss-baseline': ['proc-mount'], 'nsa-cisa': ['pod-security'] },
  description:
    'The container runtime masks and makes read-only sensitive paths of /proc (such as /proc/kcore and ' +
    '/proc/sys). `procMount: Unmasked` removes those masks and exposes kernel interfaces to the container. The ' +
    'baseline level allows only `Default`; from policy v1.35 a pod with its own user namespace ' +
    '(`hostUsers: false`) may use any value, since the mounts are then confined to that namespace.',
  remediation: 'Remove `securityContext.procMount` from the container, or set it to `Default`.',
  references: PSS_REFERENCES,
  examples: {
    pass: [
      examplePod('default-proc', (pod) => {
        appSecurityContext(pod).procMount = 'Default';
      }),
    ],
    fail: [
      examplePod('unmasked-proc', (pod) => {
        appSecurityContext(pod).procMount = 'Unmasked';
      }),
    ],
  },
  check: (object, context) =>
    inspectPod(object, (pod, containers) =>
      isRelaxedUserNamespacePod(pod, context.pssVersion) ? [] : procMountViolations(pod, containers),
    ),
});
