import { getPath } from '../../core/kube-object.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { kubeletConfig } from './kubelet-examples.ts';

export default defineRule({
  id: 'kubelet-certificate-rotation',
  title: 'Kubelet certificates are not rotated',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['KubeletConfiguration'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['4.2.10', '4.2.11'], 'nsa-cisa': ['authentication'] },
  description:
    "Without `rotateCertificates: true` the kubelet's client certificate is not renewed and the node drops out when it expires (or it is issued for too long). " +
    'Turning off the `RotateKubeletServerCertificate` feature gate stops serving certificates from being renewed. ' +
    'In a configuration file `rotateCertificates` defaults to false. ' +
    "Data: each node's live configuration (`nodes/<name>/proxy/configz`), else kubeadm's `kube-system/kubelet-config` ConfigMap, or a KubeletConfiguration file.",
  remediation:
    'Set `rotateCertificates: true`, `serverTLSBootstrap: true`, and leave the `RotateKubeletServerCertificate` feature gate on.',
  references: ['https://kubernetes.io/docs/tasks/tls/certificate-rotation/'],
  examples: {
    pass: [kubeletConfig()],
    fail: [
      kubeletConfig({ rotateCertificates: undefined }),
      kubeletConfig({ featureGates: { RotateKubeletServerCertificate: false } }),
    ],
  },
  check: (obj) => {
    const name = obj.metadata.name ?? '';
    const violations: Violation[] = [];
    if (obj.rotateCertificates !== true)
      violations.push({
        message: `kubelet ${name}: client certificate rotation is off (rotateCertificates is ${obj.rotateCertificates === undefined ? 'not set, default false' : String(obj.rotateCertificates)})`,
        path: ['rotateCertificates'],
      });
    if (getPath(obj, ['featureGates', 'RotateKubeletServerCertificate']) === false)
      violations.push({
        message: `kubelet ${name}: the RotateKubeletServerCertificate feature gate is off`,
        path: ['featureGates', 'RotateKubeletServerCertificate'],
      });
    return violations;
  },
});
