import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import { checkComponent, flagViolation, listValue, mayRunComponent } from './control-plane-flags.ts';

export default defineRule({
  id: 'apiserver-admission-plugins',
  title: 'API server admission plugins: AlwaysAdmit on, or a protective plugin off',
  severity: 'high',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: {
    'cis-k8s': ['1.2.10', '1.2.12', '1.2.13', '1.2.14', '5.2.1'],
    'nsa-cisa': ['pod-security-enforcement'],
  },
  description:
    '`AlwaysAdmit` disables admission control. `NodeRestriction` (not on by default) stops a kubelet from changing other nodes and pods not bound to it; ' +
    '`PodSecurity` (on by default since 1.25) enforces the Pod Security Standards labels of namespaces, and turning it off with `--disable-admission-plugins` removes that control. ' +
    '`ServiceAccount` and `NamespaceLifecycle` (on by default) must not be disabled: without them pods get no service-account confinement and objects can be created in terminating namespaces. ' +
    'The legacy `--admission-control` flag is read too: it lists the whole set, so a plugin it leaves out (PodSecurity, ServiceAccount, NamespaceLifecycle) is off. Data: the `kube-apiserver` static pod, its command and args.',
  remediation:
    'Remove `AlwaysAdmit`, add `NodeRestriction` to `--enable-admission-plugins`, and do not list `PodSecurity` in `--disable-admission-plugins`.',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/'],
  examples: {
    pass: [
      podWith('kube-apiserver', {}),
      podWith('kube-apiserver', {
        set: ['--admission-control=NamespaceLifecycle,ServiceAccount,NodeRestriction,PodSecurity'],
        remove: ['--enable-admission-plugins'],
      }),
    ],
    fail: [
      // The legacy list is the whole set: without PodSecurity, namespace labels enforce nothing.
      podWith('kube-apiserver', {
        set: ['--admission-control=NamespaceLifecycle,ServiceAccount,NodeRestriction'],
        remove: ['--enable-admission-plugins'],
      }),
      podWith('kube-apiserver', { set: ['--enable-admission-plugins=AlwaysAdmit,NodeRestriction'] }),
      podWith('kube-apiserver', { remove: ['--enable-admission-plugins'] }),
      podWith('kube-apiserver', { set: ['--disable-admission-plugins=PodSecurity'] }),
      podWith('kube-apiserver', { set: ['--disable-admission-plugins=ServiceAccount'] }),
      podWith('kube-apiserver', {
        set: ['--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins=AlwaysAdmit'],
      }),
      podWith('kube-apiserver', {
        set: ['--admission-control=NodeRestriction,ServiceAccount'],
        remove: ['--enable-admission-plugins'],
      }),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'kube-apiserver', (process) => {
      // The legacy --admission-control list is the whole set of plugins; --enable-admission-plugins adds to the defaults.
      const legacy = !process.flags.has('enable-admission-plugins') && process.flags.has('admission-control');
      const enabledFlag = legacy ? 'admission-control' : 'enable-admission-plugins';
      const enabled = listValue(process.flags.get(enabledFlag));
      const disabled = listValue(process.flags.get('disable-admission-plugins'));
      const violations: Violation[] = [];
      if (enabled.includes('AlwaysAdmit'))
        violations.push(flagViolation(process, enabledFlag, 'the AlwaysAdmit admission plugin is enabled'));
      if (!enabled.includes('NodeRestriction') || disabled.includes('NodeRestriction'))
        violations.push(
          flagViolation(process, enabledFlag, 'the NodeRestriction admission plugin is not enabled'),
        );
      // On by default; only an explicit disable (or a legacy --admission-control list without them) turns them off.
      for (const plugin of ['ServiceAccount', 'NamespaceLifecycle'])
        if (disabled.includes(plugin) || (legacy && !enabled.includes(plugin)))
          violations.push(
            flagViolation(
              process,
              disabled.includes(plugin) ? 'disable-admission-plugins' : enabledFlag,
              `the ${plugin} admission plugin is disabled`,
            ),
          );
      if (disabled.includes('PodSecurity') || (legacy && !enabled.includes('PodSecurity')))
        violations.push(
          flagViolation(
            process,
            disabled.includes('PodSecurity') ? 'disable-admission-plugins' : enabledFlag,
            'the PodSecurity admission plugin is disabled: namespace Pod Security labels are not enforced',
          ),
        );
      return violations;
    }),
});
