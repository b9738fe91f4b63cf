import { isRecord, type KubeObject, nameOf } from '../../core/kube-object.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { internalLoadBalancerAnnotation } from '../../exposure/internal-load-balancer.ts';
import { fullRange, type IpFamily, parseCidr, subtract } from '../../netpol/ip-range.ts';
import { object } from '../example-objects.ts';

/**
 * Whether a source range admits every address of its family: any /0 (`0.0.0.0/0`, `::/0`, `0::/0`, `10.1.2.3/0`:
 * the API server parses the CIDR, and a zero-length prefix keeps no bits of the address).
 */
function isOpenRange(text: string): boolean {
  return coveredFamilies([text]).length > 0;
}

/** The families whose every address the ranges cover, alone or together (`0.0.0.0/1` with `128.0.0.0/1`). */
function coveredFamilies(texts: readonly string[]): IpFamily[] {
  const ranges = texts.flatMap((text) => parseCidr(text.trim())?.range ?? []);
  return ([4, 6] as const).filter(
    (family) =>
      ranges.some((range) => range.family === family) && subtract(fullRange(family), ranges).length === 0,
  );
}
/** Read by cloud providers when `spec.loadBalancerSourceRanges` is empty (the field wins when both are set). */
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

function annotationRanges(obj: KubeObject): string[] {
  const value = obj.metadata.annotations?.[SOURCE_RANGES_ANNOTATION];
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((range) => range.trim())
    .filter((range) => range !== '');
}

const PASS: KubeObject[] = [
  object('v1', 'Service', 'web', {
    spec: {
      type: 'LoadBalancer',
      loadBalancerSourceRanges: ['203.0.113.0/24'],
      selector: { app: 'web' },
      ports: [{ port: 443 }],
    },
  }),
  {
    ...object('v1', 'Service', 'internal', {
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443 }] },
    }),
    metadata: { name: 'internal', annotations: { 'networking.gke.io/load-balancer-type': 'Internal' } },
  },
  {
    ...object('v1', 'Service', 'annotated', {
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443 }] },
    }),
    metadata: {
      name: 'annotated',
      annotations: { [SOURCE_RANGES_ANNOTATION]: '203.0.113.0/24, 198.51.100.0/24' },
    },
  },
];

const FAIL: KubeObject[] = [
  object('v1', 'Service', 'web', {
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443 }] },
  }),
  object('v1', 'Service', 'open', {
    spec: {
      type: 'LoadBalancer',
      loadBalancerSourceRanges: ['0.0.0.0/0'],
      selector: { app: 'web' },
      ports: [{ port: 443 }],
    },
  }),
  {
    ...object('v1', 'Service', 'open-annotation', {
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443 }] },
    }),
    metadata: {
      name: 'open-annotation',
      annotations: { [SOURCE_RANGES_ANNOTATION]: '10.0.0.0/8,0.0.0.0/0' },
    },
  },
];

function coveringViolations(
  name: string,
  ranges: readonly string[],
  path: Violation['path'],
  where: string,
): Violation[] {
  return coveredFamilies(ranges).map((family) => ({
    message: `Service "${name}" allows ${where} that together cover every IPv${family} address: any address can reach it`,
    path,
  }));
}

export default defineRule({
  id: 'load-balancer-service',
  title: 'LoadBalancer Service open to any address',
  severity: 'low',
  domain: 'network',
  kinds: ['Service'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'nsa-cisa': ['network-separation'] },
  description:
    'A Service of type LoadBalancer asks the cloud provider for an external load balancer, usually with a public address reachable from the whole Internet, and also opens node ports on every node (those are reported by `node-port-service`). ' +
    'Flagged when nothing restricts it: no `loadBalancerSourceRanges`, in the field or in the `service.beta.kubernetes.io/load-balancer-source-ranges` annotation that providers read when the field is empty (or, in either, a range with a zero-length prefix such as `0.0.0.0/0` or `::/0`, or ranges that together cover every IPv4 or IPv6 address), and no cloud annotation that makes the load balancer internal (AWS, Azure, GKE, OpenStack, OCI, IBM, Alibaba). ' +
    'Many services are meant to be public; the severity is low and the finding is a prompt to confirm it.',
  remediation:
    'Restrict clients with `spec.loadBalancerSourceRanges`, make the load balancer internal with your provider annotation, or expose the application through a shared Ingress/Gateway instead. Set `allocateLoadBalancerNodePorts: false` where the provider supports it.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer',
    'https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (obj) => {
    const spec = obj.spec;
    if (!isRecord(spec) || spec.type !== 'LoadBalancer' || internalLoadBalancerAnnotation(obj) !== undefined)
      return [];
    const ranges = spec.loadBalancerSourceRanges;
    const name = nameOf(obj);
    const out: Violation[] = [];
    if (!Array.isArray(ranges) || ranges.length === 0) {
      const annotated = annotationRanges(obj);
      if (annotated.length > 0) {
        const path = ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION];
        for (const range of annotated)
          if (isOpenRange(range))
            out.push({
              message: `Service "${name}" allows source range ${range} in annotation ${SOURCE_RANGES_ANNOTATION}: any address can reach it`,
              path,
            });
        if (out.length === 0)
          out.push(...coveringViolations(name, annotated, path, `annotation ${SOURCE_RANGES_ANNOTATION}`));
        return out;
      }
      out.push({
        message: `Service "${name}" is of type LoadBalancer with no loadBalancerSourceRanges: any address can reach it`,
        path: ['spec', 'loadBalancerSourceRanges'],
      });
    } else {
      ranges.forEach((range, index) => {
        if (typeof range === 'string' && isOpenRange(range))
          out.push({
            message: `Service "${name}" allows loadBalancerSourceRanges ${range}: any address can reach it`,
            path: ['spec', 'loadBalancerSourceRanges', index],
          });
      });
      if (out.length === 0)
        out.push(
          ...coveringViolations(
            name,
            ranges.filter((range): range is string => typeof range === 'string'),
            ['spec', 'loadBalancerSourceRanges'],
            'loadBalancerSourceRanges',
          ),
        );
    }
    return out;
  },
});
