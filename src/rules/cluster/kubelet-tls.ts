import { type KubeObject, nameOf, valueText } from '../../core/kube-object.ts';
import { configzSource, isLiveKubeletConfig, KUBELET_SOURCE_ANNOTATION } from '../../core/kubelet-source.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { kubeletConfig } from './kubelet-examples.ts';
import { isWeakCipherSuite, isWeakTlsVersion } from './tls-settings.ts';

/**
 * A live configuration showing `<cert-dir>/kubelet.crt` and `kubelet.key`: when neither a certificate nor
 * serverTLSBootstrap is configured, the kubelet fills in these paths at start-up and generates a self-signed pair
 * there, before /configz shows its configuration. A file naming them was written by someone, and is taken at its word.
 */
function showsGeneratedPair(obj: KubeObject): boolean {
  if (!isLiveKubeletConfig(obj)) return false;
  const cert = obj.tlsCertFile;
  const key = obj.tlsPrivateKeyFile;
  if (typeof cert !== 'string' || typeof key !== 'string' || !cert.endsWith('/kubelet.crt')) return false;
  return key === `${cert.slice(0, -'kubelet.crt'.length)}kubelet.key`;
}

/** A configuration as a node's /configz shows it. */
function liveConfig(fields: Record<string, unknown>): KubeObject {
  const object = kubeletConfig(fields);
  object.metadata.annotations = { [KUBELET_SOURCE_ANNOTATION]: configzSource('node-1') };
  return object;
}

const GENERATED_PAIR = {
  serverTLSBootstrap: undefined,
  tlsCertFile: '/var/lib/kubelet/pki/kubelet.crt',
  tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet.key',
};

export default defineRule({
  id: 'kubelet-tls',
  title: 'Kubelet serves TLS with a self-signed certificate, old protocol versions or weak suites',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['KubeletConfiguration'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['4.2.9', '4.2.12'], 'nsa-cisa': ['encryption'] },
  description:
    'Without `tlsCertFile`/`tlsPrivateKeyFile` and without `serverTLSBootstrap: true`, the kubelet serves port 10250 with a self-signed certificate that the API server cannot verify. ' +
    'It generates that pair as `<cert-dir>/kubelet.crt` and `kubelet.key` and fills in those paths before its live configuration (`/configz`) is read, so a live configuration naming them without `serverTLSBootstrap` is reported too (a configuration file naming them is taken as written). ' +
    'A `tlsMinVersion` below TLS 1.2 (unset, the kubelet uses TLS 1.2), or `tlsCipherSuites` with CBC, 3DES, RC4 or non-forward-secret suites, weaken every exec, log and port-forward stream; ' +
    'as for the API server, the suites must be set explicitly unless `tlsMinVersion` is `VersionTLS13` (then Go fixes them). ' +
    "Data: each node's live configuration (`nodes/<name>/proxy/configz`), else kubeadm's `kube-system/kubelet-config` ConfigMap, or a KubeletConfiguration file.",
  remediation:
    'Set `serverTLSBootstrap: true` (and approve kubelet-serving CSRs) or provide `tlsCertFile`/`tlsPrivateKeyFile`; set `tlsMinVersion: VersionTLS12` and only ECDHE AES-GCM or ChaCha20 suites.',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/'],
  examples: {
    pass: [
      kubeletConfig(),
      // A file that names the pair: configured by someone.
      kubeletConfig(GENERATED_PAIR),
      liveConfig({
        serverTLSBootstrap: undefined,
        tlsCertFile: '/etc/kubernetes/pki/kubelet-serving.crt',
        tlsPrivateKeyFile: '/etc/kubernetes/pki/kubelet-serving.key',
      }),
      kubeletConfig({ tlsCipherSuites: undefined, tlsMinVersion: 'VersionTLS13' }),
    ],
    fail: [
      kubeletConfig({ serverTLSBootstrap: undefined }),
      // The live configuration of a default kubeadm node: the kubelet filled in its generated pair.
      liveConfig(GENERATED_PAIR),
      kubeletConfig({ tlsMinVersion: 'VersionTLS10' }),
      kubeletConfig({ tlsCipherSuites: ['TLS_RSA_WITH_3DES_EDE_CBC_SHA'] }),
      kubeletConfig({ tlsCipherSuites: undefined, tlsMinVersion: undefined }),
    ],
  },
  check: (obj) => {
    const name = nameOf(obj);
    const violations: Violation[] = [];
    const hasCertificate =
      typeof obj.tlsCertFile === 'string' &&
      obj.tlsCertFile !== '' &&
      typeof obj.tlsPrivateKeyFile === 'string';
    if (!hasCertificate && obj.serverTLSBootstrap !== true)
      violations.push({
        message: `kubelet ${name}: no serving certificate (tlsCertFile) and no serverTLSBootstrap: it serves a self-signed certificate`,
        path: ['serverTLSBootstrap'],
      });
    else if (obj.serverTLSBootstrap !== true && showsGeneratedPair(obj))
      violations.push({
        message: `kubelet ${name}: serves ${valueText(obj.tlsCertFile)}, the pair it generates self-signed when no certificate is configured (its live configuration shows these paths either way); set serverTLSBootstrap or a CA-signed tlsCertFile`,
        path: ['tlsCertFile'],
      });
    // As for the API server (1.2.29): TLS 1.3 suites are fixed by Go, otherwise the suites must be explicit.
    if (obj.tlsMinVersion === 'VersionTLS13') return violations;
    // Unset, the kubelet's floor is TLS 1.2 (component-base's default TLS version).
    if (
      typeof obj.tlsMinVersion === 'string' &&
      obj.tlsMinVersion !== '' &&
      isWeakTlsVersion(obj.tlsMinVersion)
    )
      violations.push({
        message: `kubelet ${name}: tlsMinVersion ${obj.tlsMinVersion} allows obsolete TLS`,
        path: ['tlsMinVersion'],
      });
    const suites = Array.isArray(obj.tlsCipherSuites)
      ? obj.tlsCipherSuites.filter((suite): suite is string => typeof suite === 'string')
      : [];
    if (suites.length === 0)
      violations.push({
        message: `kubelet ${name}: tlsCipherSuites is not set: the Go defaults apply`,
        path: ['tlsCipherSuites'],
      });
    const weak = suites.filter(isWeakCipherSuite);
    if (weak.length > 0)
      violations.push({
        message: `kubelet ${name}: tlsCipherSuites allows weak suites: ${weak.join(', ')}`,
        path: ['tlsCipherSuites'],
      });
    return violations;
  },
});
