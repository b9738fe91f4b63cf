import { isRecord, type KubeObject, nameOf } from '../../core/kube-object.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { object } from '../example-objects.ts';

const PORTS = [{ port: 80, targetPort: 8080 }];

const PASS: KubeObject[] = [
  object('v1', 'Service', 'web', { spec: { selector: { app: 'web' }, ports: PORTS } }),
  object('v1', 'Service', 'internal', {
    spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: PORTS },
  }),
  object('v1', 'Service', 'balanced', {
    spec: {
      type: 'LoadBalancer',
      allocateLoadBalancerNodePorts: false,
      selector: { app: 'web' },
      ports: PORTS,
    },
  }),
];

const FAIL: KubeObject[] = [
  object('v1', 'Service', 'web', {
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] },
  }),
  // allocateLoadBalancerNodePorts defaults to true: the load balancer forwards to a node port open on every node.
  object('v1', 'Service', 'balanced', {
    spec: {
      type: 'LoadBalancer',
      loadBalancerSourceRanges: ['203.0.113.0/24'],
      selector: { app: 'web' },
      ports: PORTS,
    },
  }),
  // Node ports set explicitly stay allocated even without automatic allocation.
  object('v1', 'Service', 'pinned', {
    spec: {
      type: 'LoadBalancer',
      allocateLoadBalancerNodePorts: false,
      selector: { app: 'web' },
      ports: [{ port: 80, nodePort: 30080 }],
    },
  }),
];

function loadBalancerViolations(name: string, spec: Record<string, unknown>): Violation[] {
  const why =
    'the node port is open on every node address, where loadBalancerSourceRanges and the load balancer do not filter clients';
  if (spec.allocateLoadBalancerNodePorts !== false)
    return [
      {
        message: `Service "${name}" is of type LoadBalancer and allocates node ports (allocateLoadBalancerNodePorts is not false): ${why}`,
        path: ['spec', 'allocateLoadBalancerNodePorts'],
      },
    ];
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  return ports.flatMap((port, index) =>
    isRecord(port) && typeof port.nodePort === 'number' && port.nodePort > 0
      ? [
          {
            message: `Service "${name}" is of type LoadBalancer with node port ${port.nodePort} set explicitly (allocateLoadBalancerNodePorts: false does not remove it): ${why}`,
            path: ['spec', 'ports', index, 'nodePort'],
          },
        ]
      : [],
  );
}

export default defineRule({
  id: 'node-port-service',
  title: 'Service exposed on every node (NodePort)',
  severity: 'medium',
  domain: 'network',
  kinds: ['Service'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'nsa-cisa': ['network-separation', 'network-policies'] },
  description:
    'A NodePort Service opens its port on every node of the cluster, on every node address, bypassing ingress controllers and their TLS, authentication and logging; node firewalls are then the only protection, and NetworkPolicies often do not apply to traffic arriving through node ports the way they do to pod-to-pod traffic. ' +
    'A LoadBalancer Service opens node ports too (the load balancer forwards to them) unless `spec.allocateLoadBalancerNodePorts: false`, and `loadBalancerSourceRanges` do not restrict them: it is flagged for its node ports, while its public exposure is reported by `load-balancer-service`.',
  remediation:
    'Use `type: ClusterIP` and expose the application through an Ingress or Gateway; if external access is needed without one, prefer a LoadBalancer with `loadBalancerSourceRanges` and `allocateLoadBalancerNodePorts: false` where the provider routes to pods directly (otherwise restrict node ports with node firewalls).',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport',
    'https://kubernetes.io/docs/concepts/services-networking/service/#load-balancer-nodeport-allocation',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (obj) => {
    const spec = obj.spec;
    if (!isRecord(spec)) return [];
    if (spec.type === 'LoadBalancer') return loadBalancerViolations(nameOf(obj), spec);
    if (spec.type !== 'NodePort') return [];
    return [
      {
        message: `Service "${nameOf(obj)}" is of type NodePort: its ports are open on every node`,
        path: ['spec', 'type'],
      },
    ];
  },
});
