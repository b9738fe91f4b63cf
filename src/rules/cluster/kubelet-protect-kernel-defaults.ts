import { nameOf } from '../../core/kube-object.ts';
import { defineRule } from '../../core/rule.ts';
import { kubeletConfig } from './kubelet-examples.ts';

export default defineRule({
  id: 'kubelet-protect-kernel-defaults',
  title: 'Kubelet may change kernel settings',
  severity: 'low',
  domain: 'cluster',
  kinds: ['KubeletConfiguration'],
  phase: 'runtime',
  layer: 'cluster',
  // CIS v1.10 has no control for protectKernelDefaults (4.2.6 is now makeIPTablesUtilChains: kubelet-iptables-util-chains).
  frameworks: { 'nsa-cisa': ['worker-node-segmentation'] },
  description:
    'With `protectKernelDefaults: true` the kubelet refuses to start when kernel tunables differ from what it expects instead of silently changing them, so host hardening of those sysctls is not undone. ' +
    "Data: each node's live configuration (`nodes/<name>/proxy/configz`), else kubeadm's `kube-system/kubelet-config` ConfigMap, or a KubeletConfiguration file.",
  remediation:
    'Set `protectKernelDefaults: true` after setting the kernel parameters the kubelet expects (vm.overcommit_memory=1, vm.panic_on_oom=0, kernel.panic=10, kernel.panic_on_oops=1).',
  references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  examples: {
    pass: [kubeletConfig()],
    fail: [kubeletConfig({ protectKernelDefaults: undefined })],
  },
  check: (obj) =>
    obj.protectKernelDefaults === true
      ? []
      : [
          {
            message: `kubelet ${nameOf(obj)}: protectKernelDefaults is not true`,
            path: ['protectKernelDefaults'],
          },
        ],
});
