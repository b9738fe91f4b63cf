import { getPath, nameOf } from '../../core/kube-object.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { kubeletConfig } from './kubelet-examples.ts';

export default defineRule({
  id: 'kubelet-authorization-mode',
  title: 'Kubelet authorizes every request, or cannot authenticate clients',
  severity: 'high',
  domain: 'cluster',
  kinds: ['KubeletConfiguration'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['4.2.2', '4.2.3'], 'nsa-cisa': ['authentication-authorization'] },
  description:
    '`authorization.mode: AlwaysAllow` lets any authenticated caller exec into pods, read logs and secrets mounted on the node. ' +
    '`Webhook` asks the API server (SubjectAccessReview); it needs `authentication.webhook.enabled` for tokens and `authentication.x509.clientCAFile` for client certificates. ' +
    "Data: each node's live configuration (`nodes/<name>/proxy/configz`), else kubeadm's `kube-system/kubelet-config` ConfigMap, or a KubeletConfiguration file.",
  remediation:
    'Set `authorization.mode: Webhook`, `authentication.webhook.enabled: true` and `authentication.x509.clientCAFile`.',
  references: [
    'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authorization',
  ],
  examples: {
    pass: [kubeletConfig()],
    fail: [
      kubeletConfig({ authorization: { mode: 'AlwaysAllow' } }),
      kubeletConfig({ authentication: { webhook: { enabled: false } } }),
    ],
  },
  check: (obj) => {
    const name = nameOf(obj);
    const violations: Violation[] = [];
    if (getPath(obj, ['authorization', 'mode']) === 'AlwaysAllow')
      violations.push({
        message: `kubelet ${name}: authorization mode is AlwaysAllow`,
        path: ['authorization', 'mode'],
      });
    if (getPath(obj, ['authentication', 'webhook', 'enabled']) === false)
      violations.push({
        message: `kubelet ${name}: webhook authentication is disabled: bearer tokens are not checked with the API server`,
        path: ['authentication', 'webhook', 'enabled'],
      });
    const clientCa = getPath(obj, ['authentication', 'x509', 'clientCAFile']);
    if (typeof clientCa !== 'string' || clientCa === '')
      violations.push({
        message: `kubelet ${name}: no client CA (authentication.x509.clientCAFile): client certificates, including the API server's, are not verified`,
        path: ['authentication', 'x509', 'clientCAFile'],
      });
    return violations;
  },
});
