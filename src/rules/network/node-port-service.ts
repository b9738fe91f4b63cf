import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import { defineRule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';

const PORTS = [{ port: 80, targetPort: 8080 }];

const PASS: KubeObject[] = [
  object('v1', 'Service', 'web', { spec: { selector: { app: 'web' }, ports: PORTS } }),
  object('v1', 'Service', 'internal', {
    spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: PORTS },
  }),
];

const FAIL: KubeObject[] = [
  object('v1', 'Service', 'web', {
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] },
  }),
];

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
    'LoadBalancer Services also allocate node ports but are reported by `load-balancer-service`.',
  remediation:
    'Use `type: ClusterIP` and expose the application through an Ingress or Gateway; if external access is needed without one, prefer a LoadBalancer with `loadBalancerSourceRanges`.',
  references: ['https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport'],
  examples: { pass: PASS, fail: FAIL },
  check: (obj) => {
    const spec = obj.spec;
    if (!isRecord(spec) || spec.type !== 'NodePort') return [];
    return [
      {
        message: `Service "${obj.metadata.name ?? ''}" is of type NodePort: its ports are open on every node`,
        path: ['spec', 'type'],
      },
    ];
  },
});
