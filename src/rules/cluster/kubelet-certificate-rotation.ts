import { getPath, nameOf, valueText } from '../../core/kube-object.ts';
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
    'Turning off the `RotateKubeletServerCertificate` feature gate (or `AllBeta=false` without setting it) stops serving certificates from being renewed. ' +
    'In a configuration file `rotateCertificates` defaults to false. ' +
    "Data: each node's live configuration (`nodes/<name>/proxy/configz`), else kubeadm's `kube-system/kubelet-config` ConfigMap, or a KubeletConfiguration file.",
  remediation:
    'Set `rotateCertificates: true`, `serverTLSBootstrap: true`, and leave the `RotateKubeletServerCertificate` feature gate on.',
  references: ['https://kubernetes.io/docs/tasks/tls/certificate-rotation/'],
  examples: {
    pass: [
      kubeletConfig(),
      kubeletConfig({ featureGates: { AllBeta: false, RotateKubeletServerCertificate: true } }),
    ],
    fail: [
      kubeletConfig({ rotateCertificates: undefined }),
      kubeletConfig({ featureGates: { RotateKubeletServerCertificate: false } }),
      kubeletConfig({ featureGates: { AllBeta: false } }),
    ],
  },
  check: (obj) => {
    const name = nameOf(obj);
    const violations: Violation[] = [];
    if (obj.rotateCertificates !== true)
      violations.push({
        message: `kubelet ${name}: client certificate rotation is off (rotateCertificates is ${obj.rotateCertificates === undefined ? 'not set, default false' : valueText(obj.rotateCertificates)})`,
        path: ['rotateCertificates'],
      });
    // A beta gate not set itself follows AllBeta.
    const own = getPath(obj, ['featureGates', 'RotateKubeletServerCertificate']);
    const allBeta = getPath(obj, ['featureGates', 'AllBeta']);
    if (own === false || (own === undefined && allBeta === false))
      violations.push({
        message: `kubelet ${name}: the RotateKubeletServerCertificate feature gate is off${own === undefined ? ' (AllBeta is false)' : ''}`,
        path: ['featureGates', own === undefined ? 'AllBeta' : 'RotateKubeletServerCertificate'],
      });
    return violations;
  },
});
