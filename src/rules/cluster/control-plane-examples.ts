// Example static pods shaped like kubeadm's, with flag sets that pass every control-plane check, for rule examples.
import type { KubeObject } from '../../core/kube-object.ts';
import type { ControlPlaneComponent } from './control-plane-flags.ts';

const PKI = '/etc/kubernetes/pki';

/** Flags of a hardened control plane, per component: every check passes on these. */
export const HARDENED_FLAGS: Record<ControlPlaneComponent, readonly string[]> = {
  'kube-apiserver': [
    '--advertise-address=10.0.0.11',
    '--anonymous-auth=false',
    '--authorization-mode=Node,RBAC',
    '--enable-admission-plugins=NodeRestriction,PodSecurity,DenyServiceExternalIPs',
    `--client-ca-file=${PKI}/ca.crt`,
    `--tls-cert-file=${PKI}/apiserver.crt`,
    `--tls-private-key-file=${PKI}/apiserver.key`,
    '--tls-min-version=VersionTLS12',
    '--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    `--kubelet-client-certificate=${PKI}/apiserver-kubelet-client.crt`,
    `--kubelet-client-key=${PKI}/apiserver-kubelet-client.key`,
    `--kubelet-certificate-authority=${PKI}/ca.crt`,
    '--etcd-servers=https://127.0.0.1:2379',
    `--etcd-cafile=${PKI}/etcd/ca.crt`,
    `--etcd-certfile=${PKI}/apiserver-etcd-client.crt`,
    `--etcd-keyfile=${PKI}/apiserver-etcd-client.key`,
    `--service-account-key-file=${PKI}/sa.pub`,
    `--service-account-signing-key-file=${PKI}/sa.key`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-account-lookup=true',
    '--profiling=false',
    '--audit-policy-file=/etc/kubernetes/audit-policy.yaml',
    '--audit-log-path=/var/log/kubernetes/audit/audit.log',
    '--audit-log-maxage=30',
    '--audit-log-maxbackup=10',
    '--audit-log-maxsize=100',
    '--encryption-provider-config=/etc/kubernetes/encryption-config.yaml',
  ],
  'kube-controller-manager': [
    '--bind-address=127.0.0.1',
    '--kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--profiling=false',
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${PKI}/sa.key`,
    `--root-ca-file=${PKI}/ca.crt`,
    '--feature-gates=RotateKubeletServerCertificate=true',
  ],
  'kube-scheduler': [
    '--bind-address=127.0.0.1',
    '--kubeconfig=/etc/kubernetes/scheduler.conf',
    '--profiling=false',
  ],
  etcd: [
    '--data-dir=/var/lib/etcd',
    '--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.11:2379',
    '--advertise-client-urls=https://10.0.0.11:2379',
    '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
    '--key-file=/etc/kubernetes/pki/etcd/server.key',
    '--client-cert-auth=true',
    '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
    '--listen-peer-urls=https://10.0.0.11:2380',
    '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
    '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
    '--peer-client-cert-auth=true',
    '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
  ],
};

/** A static pod running `component` with `flags` as its command line. */
export function staticPod(component: ControlPlaneComponent, flags: readonly string[]): KubeObject {
  const image =
    component === 'etcd' ? 'registry.k8s.io/etcd:3.5.15-0' : `registry.k8s.io/${component}:v1.31.0`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: component,
      namespace: 'kube-system',
      labels: { component, tier: 'control-plane' },
    },
    spec: {
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      containers: [{ name: component, image, command: [component, ...flags] }],
    },
  };
}

/** The hardened pod of `component` with flags replaced (`--name=value`) or removed (`--name` with `remove`). */
export function podWith(
  component: ControlPlaneComponent,
  changes: { set?: readonly string[]; remove?: readonly string[] },
): KubeObject {
  const nameOf = (flag: string) => flag.slice(2).split('=')[0];
  const removed = new Set([...(changes.remove ?? []), ...(changes.set ?? [])].map(nameOf));
  const flags = HARDENED_FLAGS[component].filter((flag) => !removed.has(nameOf(flag)));
  return staticPod(component, [...flags, ...(changes.set ?? [])]);
}
