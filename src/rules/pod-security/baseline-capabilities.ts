// Baseline "Capabilities": containers may add only capabilities of the runtime's default set.
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { BASELINE_ALLOWED_CAPABILITIES, baselineCapabilityViolations } from './capability-checks.ts';
import { codeList, inspectPod, PSS_REFERENCES } from './pss-check-helpers.ts';
import { appSecurityContext, examplePod } from './pss-example-pods.ts';

export default defineRule({
  id: 'baseline-capabilities',
  title: 'Capability added beyond the default set',
  severity: 'high',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  // Restricted replaces this control with capabilities-drop-all (before v1.22 that rule applies this check).
  frameworks: {
    'pss-baseline': ['capabilities'],
    'cis-k8s': ['5.2.8', '5.2.9'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    'Capabilities such as `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE` or `NET_RAW` give a container powers over the ' +
    'kernel and the network that lead to container escape or spoofing. The baseline level lets a container add ' +
    `only capabilities of the default set: ${codeList([...BASELINE_ALLOWED_CAPABILITIES].sort())}.`,
  remediation:
    'Remove the capabilities outside the default set from `securityContext.capabilities.add`. Better still, ' +
    'drop `ALL` and add back only what the process needs (usually nothing, or `NET_BIND_SERVICE`).',
  references: PSS_REFERENCES,
  examples: {
    pass: [
      examplePod('default-capability', (pod) => {
        appSecurityContext(pod).capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] };
      }),
    ],
    fail: [
      examplePod('sys-admin', (pod) => {
        appSecurityContext(pod).capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] };
      }),
      examplePod('net-raw', (pod) => {
        appSecurityContext(pod).capabilities = { add: ['NET_RAW'] };
      }),
    ],
  },
  check: (object) => inspectPod(object, (_pod, containers) => baselineCapabilityViolations(containers)),
});
