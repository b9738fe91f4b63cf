// Baseline "Privileged Containers": no container may set securityContext.privileged=true.

import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { effectiveSecurityContext } from '../../core/security-context.ts';
import { containerViolation, describeContainer, inspectPod, PSS_REFERENCES } from './pss-check-helpers.ts';
import { appSecurityContext, examplePod } from './pss-example-pods.ts';

export default defineRule({
  id: 'privileged-container',
  title: 'Privileged container',
  severity: 'critical',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {
    'pss-baseline': ['privileged'],
    'pss-restricted': ['privileged'],
    'cis-k8s': ['5.2.2'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    'A privileged container runs with every Linux capability, sees all host devices and is not confined by ' +
    'seccomp, AppArmor or SELinux: a compromise of the container is a compromise of the node. The Pod Security ' +
    'Standards baseline level forbids it for containers, init containers and ephemeral containers.',
  remediation:
    'Remove `securityContext.privileged: true` from the container (or set it to `false`). Grant the specific ' +
    'capabilities the workload needs instead, and run node agents that truly need host access in a dedicated, ' +
    'privileged namespace.',
  references: PSS_REFERENCES,
  examples: {
    pass: [examplePod('not-privileged')],
    fail: [
      examplePod('privileged', (pod) => {
        appSecurityContext(pod).privileged = true;
      }),
    ],
  },
  check: (object) =>
    inspectPod(object, (pod, containers) =>
      containers.flatMap((container) => {
        const privileged = effectiveSecurityContext(pod, container).get('privileged');
        return privileged.value === true
          ? [
              containerViolation(
                container,
                'privileged',
                `${describeContainer(container)} must not set securityContext.privileged=true`,
                privileged.path,
              ),
            ]
          : [];
      }),
    ),
});
