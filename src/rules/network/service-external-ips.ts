import { isRecord, type KubeObject, nameOf } from '../../core/kube-object.ts';
import { defineRule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';

const PASS: KubeObject[] = [
  object('v1', 'Service', 'web', { spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }),
  object('v1', 'Service', 'empty', {
    spec: { selector: { app: 'web' }, externalIPs: [], ports: [{ port: 80 }] },
  }),
];

const FAIL: KubeObject[] = [
  object('v1', 'Service', 'web', {
    spec: { selector: { app: 'web' }, externalIPs: ['198.51.100.10'], ports: [{ port: 80 }] },
  }),
];

export default defineRule({
  id: 'service-external-ips',
  title: 'Service sets externalIPs',
  severity: 'medium',
  domain: 'network',
  kinds: ['Service'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.2.3'], 'nsa-cisa': ['network-separation'] },
  description:
    "kube-proxy routes traffic for any address listed in a Service's `externalIPs` to that Service, cluster-wide and without any check that the address belongs to the Service's owner. " +
    'Anyone allowed to create or edit Services can therefore intercept traffic meant for another address, inside or outside the cluster (CVE-2020-8554, a design issue that will not be patched). ' +
    'Clusters should enable the `DenyServiceExternalIPs` admission plugin (CIS 1.2.3); workloads should not depend on the field.',
  remediation:
    'Remove `spec.externalIPs` and use a LoadBalancer Service (with MetalLB or your provider) or an Ingress/Gateway to receive external traffic.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/service/#external-ips',
    'https://github.com/kubernetes/kubernetes/issues/97076',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (obj) => {
    const spec = obj.spec;
    if (!isRecord(spec) || !Array.isArray(spec.externalIPs) || spec.externalIPs.length === 0) return [];
    const ips = spec.externalIPs.filter((ip) => typeof ip === 'string');
    return [
      {
        message: `Service "${nameOf(obj)}" claims externalIPs ${ips.join(', ')}: kube-proxy redirects cluster traffic for ${ips.length === 1 ? 'that address' : 'those addresses'} to it`,
        path: ['spec', 'externalIPs'],
      },
    ];
  },
});
