import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import { checkComponent, flagViolation, mayRunComponent } from './control-plane-flags.ts';

export default defineRule({
  id: 'apiserver-kubelet-tls',
  title: 'API server connects to kubelets without a client certificate or without verifying them',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.2.4', '1.2.5'], 'nsa-cisa': ['control-plane-hardening'] },
  description:
    'For `exec`, `logs` and `port-forward` the API server calls kubelets. Without `--kubelet-client-certificate`/`--kubelet-client-key` kubelets cannot authenticate it (and must allow anonymous access); ' +
    'without `--kubelet-certificate-authority` it does not verify the kubelet it talks to, so a node impersonator receives exec sessions. ' +
    'Data: the `kube-apiserver` static pod, its command and args.',
  remediation:
    'Set `--kubelet-client-certificate`, `--kubelet-client-key` and `--kubelet-certificate-authority` (with kubelet serving certificates signed by that CA).',
  references: ['https://kubernetes.io/docs/concepts/architecture/control-plane-node-communication/'],
  examples: {
    pass: [podWith('kube-apiserver', {})],
    fail: [podWith('kube-apiserver', { remove: ['--kubelet-certificate-authority'] })],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'kube-apiserver', (process) => {
      const violations: Violation[] = [];
      for (const flag of [
        'kubelet-client-certificate',
        'kubelet-client-key',
        'kubelet-certificate-authority',
      ])
        if (!process.flags.has(flag)) violations.push(flagViolation(process, flag, `--${flag} is not set`));
      return violations;
    }),
});
