import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import { checkComponent, flagIsTrue, flagViolation, mayRunComponent } from './control-plane-flags.ts';

export default defineRule({
  id: 'apiserver-service-account-settings',
  title: 'API server does not check service-account tokens fully',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.2.21', '1.2.22'], 'nsa-cisa': ['service-account-tokens'] },
  description:
    'With `--service-account-lookup=false`, tokens of deleted service accounts stay valid until they expire. ' +
    'Without an explicit `--service-account-key-file`, token verification falls back to the TLS key, which cannot be rotated separately. ' +
    'Data: the `kube-apiserver` static pod, its command and args.',
  remediation:
    'Keep `--service-account-lookup=true` (the default) and set `--service-account-key-file` to the public key of the service-account signing key.',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/'],
  examples: {
    pass: [podWith('kube-apiserver', {})],
    fail: [
      podWith('kube-apiserver', { set: ['--service-account-lookup=false'] }),
      podWith('kube-apiserver', { remove: ['--service-account-key-file'] }),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'kube-apiserver', (process) => {
      const violations: Violation[] = [];
      if (!flagIsTrue(process.flags.get('service-account-lookup'), true))
        violations.push(
          flagViolation(
            process,
            'service-account-lookup',
            '--service-account-lookup is false: tokens of deleted service accounts are still accepted',
          ),
        );
      if (!process.flags.has('service-account-key-file'))
        violations.push(
          flagViolation(process, 'service-account-key-file', '--service-account-key-file is not set'),
        );
      return violations;
    }),
});
