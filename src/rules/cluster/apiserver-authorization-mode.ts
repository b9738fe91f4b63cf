import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import { checkComponent, flagViolation, listValue, mayRunComponent } from './control-plane-flags.ts';

export default defineRule({
  id: 'apiserver-authorization-mode',
  title: 'API server authorization allows everything or lacks Node and RBAC',
  severity: 'critical',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.2.6', '1.2.7', '1.2.8'], 'nsa-cisa': ['rbac'] },
  description:
    '`--authorization-mode` decides who may do what. `AlwaysAllow` (also the default when the flag is missing) lets every authenticated request through; ' +
    "without `Node`, kubelets are not confined to their own node's objects; without `RBAC`, Roles and bindings have no effect. " +
    'Repeated `--authorization-mode` flags add up. With `--authorization-config` the authorizers are in that file and this rule is not evaluated (see `control-plane-not-observable`). ' +
    'Data: the `kube-apiserver` static pod, its command and args.',
  remediation:
    'Set `--authorization-mode=Node,RBAC` (add `Webhook` after them if an external authorizer is used).',
  references: [
    'https://kubernetes.io/docs/reference/access-authn-authz/authorization/#authorization-modules',
  ],
  examples: {
    pass: [
      podWith('kube-apiserver', {}),
      podWith('kube-apiserver', {
        set: ['--authorization-config=/etc/kubernetes/authz.yaml'],
        remove: ['--authorization-mode'],
      }),
    ],
    fail: [
      podWith('kube-apiserver', { set: ['--authorization-mode=AlwaysAllow'] }),
      podWith('kube-apiserver', { remove: ['--authorization-mode'] }),
      podWith('kube-apiserver', { set: ['--authorization-mode=RBAC'] }),
      podWith('kube-apiserver', {
        set: ['--authorization-mode=AlwaysAllow', '--authorization-mode=Node,RBAC'],
      }),
      podWith('kube-apiserver', {
        set: ['--authorization-mode=Node,RBAC', '--authorization_mode=AlwaysAllow'],
      }),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'kube-apiserver', (process) => {
      // Structured authorization (1.30+) replaces --authorization-mode: control-plane-not-observable reports it.
      if (process.flags.has('authorization-config')) return [];
      const flag = process.flags.get('authorization-mode');
      if (!flag)
        return [
          flagViolation(
            process,
            'authorization-mode',
            '--authorization-mode is not set: the default is AlwaysAllow',
          ),
        ];
      const modes = listValue(flag);
      const violations: Violation[] = [];
      if (modes.includes('AlwaysAllow'))
        violations.push(
          flagViolation(process, 'authorization-mode', '--authorization-mode includes AlwaysAllow'),
        );
      for (const needed of ['Node', 'RBAC'])
        if (!modes.includes(needed))
          violations.push(
            flagViolation(
              process,
              'authorization-mode',
              `--authorization-mode (${flag.value}) does not include ${needed}`,
            ),
          );
      return violations;
    }),
});
