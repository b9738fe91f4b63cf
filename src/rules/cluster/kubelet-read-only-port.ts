import { nameOf } from '../../core/kube-object.ts';
import { defineRule } from '../../core/rule.ts';
import { kubeletConfig } from './kubelet-examples.ts';

export default defineRule({
  id: 'kubelet-read-only-port',
  title: 'Kubelet serves the unauthenticated read-only port',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['KubeletConfiguration'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['4.2.4'], 'nsa-cisa': ['authentication'] },
  description:
    'The read-only port (10255 when enabled) serves pod specs, environment and metrics with no authentication at all. ' +
    'It is off (0) by default in a configuration file; the `--read-only-port` flag defaults to 10255. ' +
    "Data: each node's live configuration (`nodes/<name>/proxy/configz`), else kubeadm's `kube-system/kubelet-config` ConfigMap, or a KubeletConfiguration file.",
  remediation: 'Set `readOnlyPort: 0` (or `--read-only-port=0`).',
  references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  examples: {
    pass: [kubeletConfig(), kubeletConfig({ readOnlyPort: undefined })],
    fail: [kubeletConfig({ readOnlyPort: 10255 })],
  },
  check: (obj) => {
    const port = obj.readOnlyPort;
    return typeof port === 'number' && port > 0
      ? [
          {
            message: `kubelet ${nameOf(obj)}: read-only port ${port} is open without authentication`,
            path: ['readOnlyPort'],
          },
        ]
      : [];
  },
});
