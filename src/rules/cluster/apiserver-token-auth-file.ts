import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import { checkComponent, flagViolation, mayRunComponent } from './control-plane-flags.ts';

export default defineRule({
  id: 'apiserver-token-auth-file',
  title: 'API server accepts static tokens from a file',
  severity: 'high',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.2.2'], 'nsa-cisa': ['authentication'] },
  description:
    'Tokens in `--token-auth-file` are plain text on the control-plane node, never expire, and can only be changed by restarting the API server. ' +
    'Data: the `kube-apiserver` static pod, its command and args.',
  remediation:
    'Remove `--token-auth-file`; authenticate people through OIDC or client certificates and workloads through service-account tokens.',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#static-token-file'],
  examples: {
    pass: [podWith('kube-apiserver', {})],
    fail: [podWith('kube-apiserver', { set: ['--token-auth-file=/etc/kubernetes/tokens.csv'] })],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'kube-apiserver', (process) =>
      process.flags.has('token-auth-file')
        ? [
            flagViolation(
              process,
              'token-auth-file',
              `--token-auth-file is set (${process.flags.get('token-auth-file')?.value}): static, non-expiring tokens`,
            ),
          ]
        : [],
    ),
});
