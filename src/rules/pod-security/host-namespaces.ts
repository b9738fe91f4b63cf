// Baseline "Host Namespaces": hostNetwork, hostPID and hostIPC must be unset or false.

import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { inspectPod, PSS_REFERENCES, podViolation } from './pss-check-helpers.ts';
import { examplePod } from './pss-example-pods.ts';

const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

export default defineRule({
  id: 'host-namespaces',
  title: 'Host namespaces shared',
  severity: 'high',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: {
    'pss-baseline': ['host-namespaces'],
    'pss-restricted': ['host-namespaces'],
    'cis-k8s': ['5.2.3', '5.2.4', '5.2.5'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    "A pod that shares the node's network, process or IPC namespace can sniff and reach host-local services, " +
    'see and signal every process on the node, or read shared memory of other workloads. The baseline level ' +
    'forbids `hostNetwork`, `hostPID` and `hostIPC`.',
  remediation:
    'Remove `spec.hostNetwork`, `spec.hostPID` and `spec.hostIPC` (or set them to `false`). Expose network ' +
    'services through a Service or an Ingress rather than the host network.',
  references: PSS_REFERENCES,
  examples: {
    pass: [examplePod('own-namespaces')],
    fail: [
      examplePod('host-network', (pod) => {
        pod.spec.hostNetwork = true;
      }),
      examplePod('host-pid-ipc', (pod) => {
        pod.spec.hostPID = true;
        pod.spec.hostIPC = true;
      }),
    ],
  },
  check: (object) =>
    inspectPod(object, (pod) => {
      const out: Violation[] = [];
      for (const field of HOST_NAMESPACE_FIELDS)
        if (pod.spec[field] === true)
          out.push(podViolation('host namespaces', `${field}=true`, [...pod.specPath, field]));
      return out;
    }),
});
