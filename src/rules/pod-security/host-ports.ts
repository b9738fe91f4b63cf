// Baseline "Host Ports": no container port may be bound to a host port.

import { valueText } from '../../core/kube-object.ts';
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
    'containers, init containers and ephemeral containers. On the host network (`hostNetwork: true`) the API ' +
    "server sets each container and init container port's `hostPort` to its `containerPort`, and Pod Security " +
    'Admission judges the pod with those values: such ports are reported too.',
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
      examplePod('host-network-port', (pod) => {
        pod.spec.hostNetwork = true;
        pod.spec.containers[0]!.ports = [{ containerPort: 9100 }];
      }),
    ],
  },
  check: (object) =>
    inspectPod(object, (pod, containers) => {
      const out: Violation[] = [];
      const hostNetwork = pod.spec.hostNetwork === true;
      for (const container of containers)
        asArray(container.container.ports).forEach((port, index) => {
          const fields = asRecord(port);
          const hostPort = fields?.hostPort;
          const path = [...container.path, 'ports', index, 'hostPort'];
          if (isSet(hostPort) && hostPort !== 0)
            out.push(
              containerViolation(
                container,
                'hostPort',
                `${describeContainer(container)} uses hostPort ${valueText(hostPort)}`,
                path,
              ),
            );
          // On the host network the API server defaults hostPort to containerPort (containers and init containers),
          // and Pod Security Admission judges the defaulted pod.
          else if (hostNetwork && container.type !== 'ephemeralContainers' && isSet(fields?.containerPort))
            out.push(
              containerViolation(
                container,
                'hostPort',
                `${describeContainer(container)} uses hostPort ${valueText(fields?.containerPort)} (hostNetwork: true, so the API server sets hostPort to containerPort)`,
                path,
              ),
            );
        });
      return out;
    }),
});
