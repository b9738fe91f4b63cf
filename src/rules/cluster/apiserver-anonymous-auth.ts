import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import { checkComponent, mayRunComponent, onByDefaultViolations } from './control-plane-flags.ts';

export default defineRule({
  id: 'apiserver-anonymous-auth',
  title: 'API server accepts anonymous requests',
  severity: 'high',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.2.1'], 'nsa-cisa': ['authentication'] },
  description:
    'With `--anonymous-auth` left at its default (`true`), requests without credentials are served as `system:anonymous`; ' +
    'any RBAC binding to `system:unauthenticated` or a mistake in one then opens the API to anyone who can reach it. ' +
    'With `--authentication-config` and no `--anonymous-auth`, the file decides and this rule is not evaluated (see `control-plane-not-observable`). ' +
    'Data: the `kube-apiserver` static pod (a file, or its mirror pod in `kube-system`), its command and args.',
  remediation:
    'Set `--anonymous-auth=false` in the kube-apiserver static pod manifest (health checks can use `/livez` through an authenticated probe, or keep anonymous auth and bind nothing to anonymous users).',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests'],
  examples: {
    pass: [podWith('kube-apiserver', {})],
    fail: [
      podWith('kube-apiserver', { remove: ['--anonymous-auth'] }),
      // component-base reads `_` as `-`: the later flag wins.
      podWith('kube-apiserver', { set: ['--anonymous-auth=false', '--anonymous_auth=true'] }),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'kube-apiserver', (process) =>
      // With --authentication-config the file decides (control-plane-not-observable says so).
      process.flags.has('authentication-config') && !process.flags.has('anonymous-auth')
        ? []
        : onByDefaultViolations(process, 'anonymous-auth'),
    ),
});
