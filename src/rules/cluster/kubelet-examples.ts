// Example kubelet configurations (the shape of a KubeletConfiguration file or of a node's /configz) for rule examples.
import type { KubeObject } from '../../core/kube-object.ts';
import { object } from '../example-objects.ts';

export const HARDENED_KUBELET: Record<string, unknown> = {
  authentication: {
    anonymous: { enabled: false },
    webhook: { enabled: true, cacheTTL: '2m0s' },
    x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' },
  },
  authorization: { mode: 'Webhook' },
  readOnlyPort: 0,
  rotateCertificates: true,
  serverTLSBootstrap: true,
  protectKernelDefaults: true,
  makeIPTablesUtilChains: true,
  tlsMinVersion: 'VersionTLS12',
  tlsCipherSuites: [
    'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  ],
};

/** A KubeletConfiguration: the hardened one with top-level `fields` replaced (undefined removes a field). */
export function kubeletConfig(fields: Record<string, unknown> = {}): KubeObject {
  const merged: Record<string, unknown> = { ...HARDENED_KUBELET, ...fields };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  return object('kubelet.config.k8s.io/v1beta1', 'KubeletConfiguration', 'node-1', merged);
}
