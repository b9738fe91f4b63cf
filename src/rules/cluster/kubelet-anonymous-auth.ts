import { getPath, nameOf } from '../../core/kube-object.ts';
import { defineRule } from '../../core/rule.ts';
import { kubeletConfig } from './kubelet-examples.ts';

const PATH = ['authentication', 'anonymous', 'enabled'];

export default defineRule({
  id: 'kubelet-anonymous-auth',
  title: 'Kubelet accepts anonymous requests',
  severity: 'high',
  domain: 'cluster',
  kinds: ['KubeletConfiguration'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['4.2.1'], 'nsa-cisa': ['authentication'] },
  description:
    'With anonymous authentication on, anyone who reaches port 10250 is `system:anonymous` to the kubelet; with a permissive authorizer that means exec into any pod of the node. ' +
    "Absent from a configuration file, it is off (the v1beta1 default); the `--anonymous-auth` flag defaults to on, which a node's live `/configz` shows. " +
    "Data: each node's live configuration (`nodes/<name>/proxy/configz`, needs `get` on `nodes/proxy`), else kubeadm's `kube-system/kubelet-config` ConfigMap, or a KubeletConfiguration file.",
  remediation: 'Set `authentication.anonymous.enabled: false` (or `--anonymous-auth=false`).',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/'],
  examples: {
    pass: [kubeletConfig(), kubeletConfig({ authentication: { webhook: { enabled: true } } })],
    fail: [kubeletConfig({ authentication: { anonymous: { enabled: true } } })],
  },
  check: (obj) =>
    getPath(obj, PATH) === true
      ? [{ message: `kubelet ${nameOf(obj)}: anonymous authentication is enabled`, path: PATH }]
      : [],
});
