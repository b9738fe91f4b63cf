import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { kubeletConfig } from './kubelet-examples.ts';

export default defineRule({
  id: 'kubelet-protect-kernel-defaults',
  title: 'Kubelet may change kernel settings or leave iptables chains unmanaged',
  severity: 'low',
  domain: 'cluster',
  kinds: ['KubeletConfiguration'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['4.2.6'], 'nsa-cisa': ['worker-node-segmentation'] },
  description:
    'With `protectKernelDefaults: true` the kubelet refuses to start when kernel tunables differ from what it expects instead of silently changing them, so host hardening of those sysctls is not undone. ' +
    'With `makeIPTablesUtilChains: false` the kubelet does not maintain the iptables chains that drop invalid and martian traffic. ' +
    "Data: each node's live configuration (`nodes/<name>/proxy/configz`), else kubeadm's `kube-system/kubelet-config` ConfigMap, or a KubeletConfiguration file.",
  remediation:
    'Set `protectKernelDefaults: true` after setting the kernel parameters the kubelet expects (vm.overcommit_memory=1, vm.panic_on_oom=0, kernel.panic=10, kernel.panic_on_oops=1), and keep `makeIPTablesUtilChains: true`.',
  references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  examples: {
    pass: [kubeletConfig()],
    fail: [
      kubeletConfig({ protectKernelDefaults: undefined }),
      kubeletConfig({ makeIPTablesUtilChains: false }),
    ],
  },
  check: (obj) => {
    const name = obj.metadata.name ?? '';
    const violations: Violation[] = [];
    if (obj.protectKernelDefaults !== true)
      violations.push({
        message: `kubelet ${name}: protectKernelDefaults is not true`,
        path: ['protectKernelDefaults'],
      });
    if (obj.makeIPTablesUtilChains === false)
      violations.push({
        message: `kubelet ${name}: makeIPTablesUtilChains is false`,
        path: ['makeIPTablesUtilChains'],
      });
    return violations;
  },
});
