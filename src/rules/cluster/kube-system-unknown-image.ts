import { containerViolations, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';

/**
 * Registries and repositories of Kubernetes itself and of widely used system add-ons (CNI, DNS, cloud providers'
 * node agents). An image elsewhere in kube-system is not necessarily bad, but it deserves a look.
 */
const KNOWN_PREFIXES: readonly string[] = [
  'registry.k8s.io/',
  'k8s.gcr.io/',
  'gcr.io/k8s-staging-',
  'gke.gcr.io/',
  'gcr.io/gke-release/',
  'mcr.microsoft.com/oss/kubernetes',
  'mcr.microsoft.com/aks/',
  'mcr.microsoft.com/containernetworking/',
  'public.ecr.aws/eks/',
  'public.ecr.aws/eks-distro/',
  'docker.io/calico/',
  'calico/',
  'quay.io/calico/',
  'quay.io/tigera/',
  'quay.io/cilium/',
  'docker.io/flannel/',
  'flannel/',
  'ghcr.io/flannel-io/',
  'quay.io/coreos/flannel',
  'docker.io/weaveworks/',
  'weaveworks/',
  'docker.io/coredns/',
  'coredns/',
  'rancher/mirrored-',
  'docker.io/rancher/mirrored-',
  'quay.io/metallb/',
];
/**
 * Amazon's per-region EKS add-on registries (China's regions under amazonaws.com.cn): `<account>.dkr.ecr.<region>.
 * amazonaws.com/eks/kube-proxy`, `/amazon/aws-network-policy-agent`, and the VPC CNI's own repositories
 * `/amazon-k8s-cni` and `/amazon-k8s-cni-init` (a tag or digest follows them, not a slash).
 */
const EKS_REGISTRY =
  /^\d+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/(?:(?:eks|amazon)\/|amazon-k8s-cni(?:-init)?(?:[:@]|$))/;

export function isKnownSystemImage(image: string): boolean {
  return KNOWN_PREFIXES.some((prefix) => image.startsWith(prefix)) || EKS_REGISTRY.test(image);
}

export default defineRule({
  id: 'kube-system-unknown-image',
  title: 'Workload in kube-system runs an image that is not a known system component',
  severity: 'medium',
  domain: 'cluster',
  kinds: WORKLOAD_KINDS,
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.7.1'], 'nsa-cisa': ['namespaces'], 'mitre-attack': ['T1036.005'] },
  description:
    'kube-system holds the most privileged workloads of a cluster and is a favourite hiding place: a pod there looks like part of the platform. ' +
    "Images outside the registries of Kubernetes, the major clouds' system add-ons and common CNIs (Calico, Cilium, Flannel, Weave) are reported for review; applications belong in their own namespaces. " +
    'Data: pod-bearing objects in kube-system (static and mirror pods included), their container images.',
  remediation:
    'Move application and tooling workloads out of kube-system; for a legitimate add-on from another registry, suppress the finding with the palisade.dev/ignore annotation and a reason.',
  references: [
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces',
  ],
  examples: {
    pass: [
      deployment(
        'coredns',
        { containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.1' }] },
        { namespace: 'kube-system' },
      ),
      deployment(
        'web',
        { containers: [{ name: 'web', image: 'example.com/web:1.0' }] },
        { namespace: 'shop' },
      ),
    ],
    fail: [
      deployment(
        'metrics-helper',
        { containers: [{ name: 'helper', image: 'docker.io/library/alpine:3.20' }] },
        { namespace: 'kube-system' },
      ),
    ],
  },
  check: (obj) => {
    if (obj.metadata.namespace !== 'kube-system') return [];
    return containerViolations(obj, (container, out) => {
      const image = container.container.image;
      if (typeof image !== 'string' || image === '' || isKnownSystemImage(image)) return;
      out.push({
        message: `container ${container.name} in kube-system runs ${image}, which is not from a known system registry`,
        path: [...container.path, 'image'],
        container: container.name,
      });
    });
  },
});
