import { nameOf } from '../../core/kube-object.ts';
import { defineRule } from '../../core/rule.ts';
import { kubeletConfig } from './kubelet-examples.ts';

export default defineRule({
  id: 'kubelet-iptables-util-chains',
  title: 'Kubelet leaves its iptables chains unmanaged',
  severity: 'low',
  domain: 'cluster',
  kinds: ['KubeletConfiguration'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['4.2.6'], 'nsa-cisa': ['worker-node-segmentation'] },
  description:
    'With `makeIPTablesUtilChains: false` the kubelet does not maintain the iptables chains that drop invalid and martian traffic (default true). ' +
    "Data: each node's live configuration (`nodes/<name>/proxy/configz`), else kubeadm's `kube-system/kubelet-config` ConfigMap, or a KubeletConfiguration file.",
  remediation: 'Keep `makeIPTablesUtilChains: true` (the default).',
  references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  examples: {
    pass: [kubeletConfig(), kubeletConfig({ makeIPTablesUtilChains: undefined })],
    fail: [kubeletConfig({ makeIPTablesUtilChains: false })],
  },
  check: (obj) =>
    obj.makeIPTablesUtilChains === false
      ? [
          {
            message: `kubelet ${nameOf(obj)}: makeIPTablesUtilChains is false`,
            path: ['makeIPTablesUtilChains'],
          },
        ]
      : [],
});
