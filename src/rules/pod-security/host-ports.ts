// Baseline "Host Ports": no container port may be bound to a host port.

import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import {
  asArray,
  asRecord,
  containerViolation,
  describeContainer,
  inspectPod,
  isSet,
  PSS_REFERENCES,
} from './pss-check-helpers.ts';
import { examplePod } from './pss-example-pods.ts';

export default defineRule({
  id: 'host-ports',
  title: 'Host port',
  severity: 'high',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {
    'pss-baseline': ['host-ports'],
    'pss-restricted': ['host-ports'],
    'cis-k8s': ['5.2.13'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    "A host port binds a container port on the node's own network interfaces, bypassing network policies and " +
    'tying the pod to nodes where the port is free. The baseline level forbids any non-zero `hostPort` on ' +
    'containers, init containers and ephemeral containers.',
  remediation:
    'Remove `hostPort` from the container ports and expose the workload through a Service (ClusterIP, ' +
    'NodePort or LoadBalancer) or an Ingress.',
  references: PSS_REFERENCES,
  examples: {
    pass: [
      examplePod('container-port', (pod) => {
        pod.spec.containers[0]!.ports = [{ containerPort: 8080 }];
      }),
    ],
    fail: [
      examplePod('host-port', (pod) => {
        pod.spec.containers[0]!.ports = [{ containerPort: 8080, hostPort: 8080 }];
      }),
    ],
  },
  check: (object) =>
    inspectPod(object, (_pod, containers) => {
      const out: Violation[] = [];
      for (const container of containers)
        asArray(container.container.ports).forEach((port, index) => {
          const hostPort = asRecord(port)?.hostPort;
          if (isSet(hostPort) && hostPort !== 0)
            out.push(
              containerViolation(
                container,
                'hostPort',
                `${describeContainer(container)} uses hostPort ${String(hostPort)}`,
                [...container.path, 'ports', index, 'hostPort'],
              ),
            );
        });
      return out;
    }),
});
