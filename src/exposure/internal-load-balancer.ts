// Cloud annotations that make a LoadBalancer Service internal (reachable only from the private network).
import { isRecord, type KubeObject } from '../core/kube-object.ts';

export const INTERNAL_LOAD_BALANCER_ANNOTATIONS: Readonly<Record<string, (value: string) => boolean>> = {
  'service.beta.kubernetes.io/aws-load-balancer-internal': (v) => v !== 'false' && v !== '',
  'service.beta.kubernetes.io/aws-load-balancer-scheme': (v) => v === 'internal',
  'service.beta.kubernetes.io/azure-load-balancer-internal': (v) => v === 'true',
  'networking.gke.io/load-balancer-type': (v) => v.toLowerCase() === 'internal',
  'cloud.google.com/load-balancer-type': (v) => v.toLowerCase() === 'internal',
  'service.beta.kubernetes.io/openstack-internal-load-balancer': (v) => v === 'true',
  'service.beta.kubernetes.io/oci-load-balancer-internal': (v) => v === 'true',
  'service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type': (v) => v === 'private',
  'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': (v) => v === 'intranet',
};

/** The annotation that makes this Service's load balancer internal, if any. */
export function internalLoadBalancerAnnotation(service: KubeObject): string | undefined {
  const annotations = service.metadata.annotations;
  if (!isRecord(annotations)) return undefined;
  return Object.keys(INTERNAL_LOAD_BALANCER_ANNOTATIONS).find((key) => {
    const value = annotations[key];
    const test = INTERNAL_LOAD_BALANCER_ANNOTATIONS[key];
    return typeof value === 'string' && test !== undefined && test(value.trim());
  });
}
