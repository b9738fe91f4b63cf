// Restricted "Capabilities": containers must drop ALL and may add back only NET_BIND_SERVICE (v1.22+).
// It replaces the baseline capabilities control in the restricted level, so before v1.22 it applies that check.

import { containersOf, isWindowsPod, podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { atLeast } from '../../core/pss-version.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import {
  addViolation,
  baselineCapabilityViolations,
  capabilitiesOf,
  forbiddenAdded,
} from './capability-checks.ts';
import {
  asArray,
  containerSecurityContextPath,
  containerViolation,
  describeContainer,
  inspectPod,
  isExemptWindowsPod,
  PSS_REFERENCES,
} from './pss-check-helpers.ts';
import { appSecurityContext, examplePod } from './pss-example-pods.ts';
import { appendToList } from './pss-fix-helpers.ts';

const RESTRICTED_FROM = 22;

function dropsAll(capabilities: Record<string, unknown> | undefined): boolean {
  return asArray(capabilities?.drop).includes('ALL');
}

export default defineRule({
  id: 'capabilities-drop-all',
  title: 'Capabilities not dropped',
  severity: 'medium',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {
    'pss-restricted': ['capabilities'],
    'cis-k8s': ['5.2.8', '5.2.9', '5.2.10'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    'Containers start with a default set of Linux capabilities (including `NET_RAW`, `CHOWN`, `SETUID` and ' +
    '`DAC_OVERRIDE`) that most processes never need. From policy v1.22 the restricted level requires every ' +
    'container to drop `ALL` and allows adding back only `NET_BIND_SERVICE`; before v1.22 it applies the ' +
    'baseline allow-list. From v1.25, Windows pods (`spec.os.name: windows`) are exempt.',
  remediation:
    'Set `securityContext.capabilities.drop: ["ALL"]` on every container, init container and ephemeral ' +
    'container, and remove everything but `NET_BIND_SERVICE` from `capabilities.add`.',
  references: PSS_REFERENCES,
  examples: {
    pass: [
      examplePod('drop-all-bind', (pod) => {
        appSecurityContext(pod).capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] };
      }),
    ],
    fail: [
      examplePod('no-drop', (pod) => {
        delete appSecurityContext(pod).capabilities;
      }),
      examplePod('drop-some', (pod) => {
        appSecurityContext(pod).capabilities = { drop: ['NET_RAW'] };
      }),
    ],
  },
  check: (object, context) =>
    inspectPod(object, (pod, containers) => {
      if (!atLeast(context.pssVersion, RESTRICTED_FROM)) return baselineCapabilityViolations(containers);
      if (isExemptWindowsPod(pod, context.pssVersion)) return [];
      const out: Violation[] = [];
      for (const container of containers) {
        const capabilities = capabilitiesOf(container);
        if (!dropsAll(capabilities))
          out.push(
            containerViolation(
              container,
              'unrestricted capabilities',
              `${describeContainer(container)} must set securityContext.capabilities.drop=["ALL"]`,
              containerSecurityContextPath(container, 'capabilities', 'drop'),
            ),
          );
        const forbidden = forbiddenAdded(container, (capability) => capability === 'NET_BIND_SERVICE');
        if (forbidden.length > 0) out.push(addViolation(container, forbidden, 'unrestricted capabilities'));
      }
      return out;
    }),
  // Adds "ALL" to capabilities.drop; forbidden added capabilities are left for a human to remove.
  fix: (object) => {
    const pod = podTemplateOf(object);
    if (!pod || isWindowsPod(pod)) return [];
    return containersOf(pod).flatMap((container) =>
      dropsAll(capabilitiesOf(container))
        ? []
        : appendToList(object, container.path, ['securityContext', 'capabilities', 'drop'], 'ALL'),
    );
  },
});
