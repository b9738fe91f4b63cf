import type { KubeObject } from '../../core/kube-object.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { podWith, staticPod } from './control-plane-examples.ts';
import {
  type ControlPlaneComponent,
  componentProcesses,
  flagViolation,
  mayRunComponent,
} from './control-plane-flags.ts';

const COMPONENTS: readonly ControlPlaneComponent[] = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'etcd',
];

function wrapped(component: ControlPlaneComponent, command: string[]): KubeObject {
  const pod = staticPod(component, []);
  const [container] = (pod.spec as { containers: Record<string, unknown>[] }).containers;
  if (container) container.command = command;
  return pod;
}

export default defineRule({
  id: 'control-plane-not-observable',
  title: 'Control-plane settings that the static pod does not show',
  severity: 'info',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: {},
  description:
    'Says which control-plane checks did not run because the static pod does not show the setting, instead of letting their silence read as a pass: ' +
    'a container whose image or name is a component but whose command cannot be read (a wrapper other than go-runner or a plain `sh -c`, shell variables, a `$(VAR)` whose value comes from a Secret, ConfigMap, field reference or `envFrom`; a `$(VAR)` set by a literal `env` value is expanded, as Kubernetes does before the process starts); ' +
    'etcd with `--config-file` (it then ignores its other flags and environment variables: `etcd-tls` is not evaluated); ' +
    'kube-apiserver with `--authorization-config` (the authorizers are in that file: `apiserver-authorization-mode` is not evaluated) or `--authentication-config` without `--anonymous-auth` (the file may enable or disable anonymous requests: `apiserver-anonymous-auth` is not evaluated); ' +
    "kube-scheduler with `--config` (`--profiling` is ignored and the file's `enableProfiling`, default true, decides). " +
    'Data: the static pods of the control-plane components, their command, args and environment.',
  remediation:
    'Check the named file on the control-plane node, or start the component with its flags directly in the static pod.',
  references: [
    'https://kubernetes.io/docs/reference/access-authn-authz/authorization/#using-configuration-file-for-authorization',
  ],
  examples: {
    pass: [podWith('kube-apiserver', {}), podWith('etcd', {}), podWith('kube-scheduler', {})],
    fail: [
      podWith('kube-apiserver', {
        set: ['--authorization-config=/etc/kubernetes/authz.yaml'],
        remove: ['--authorization-mode'],
      }),
      podWith('kube-apiserver', {
        set: ['--authentication-config=/etc/kubernetes/authn.yaml'],
        remove: ['--anonymous-auth'],
      }),
      podWith('etcd', { set: ['--config-file=/etc/etcd/etcd.yaml'] }),
      podWith('kube-scheduler', { set: ['--config=/etc/kubernetes/scheduler.yaml'] }),
      wrapped('kube-apiserver', ['/usr/local/bin/start.sh']),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    COMPONENTS.flatMap((component) =>
      componentProcesses(object, component).flatMap((process): Violation[] => {
        if (process.unobservable)
          return [
            {
              message: `${component} (container "${process.container}") configuration not observable: ${process.unobservable.reason}; its checks were not evaluated`,
              path: process.unobservable.path,
              container: process.container,
            },
          ];
        if (component === 'kube-apiserver') {
          const found: Violation[] = [];
          const authorization = process.flags.get('authorization-config');
          if (authorization)
            found.push(
              flagViolation(
                process,
                'authorization-config',
                `authorization not observable: the authorizers are in the file ${authorization.value} on the control-plane node; apiserver-authorization-mode was not evaluated`,
              ),
            );
          // KEP-4633: the file's `anonymous` block decides (the flag may not be set with it); without one, the default.
          const authentication = process.flags.get('authentication-config');
          if (authentication && !process.flags.has('anonymous-auth'))
            found.push(
              flagViolation(
                process,
                'authentication-config',
                `anonymous authentication not observable: with --authentication-config=${authentication.value} the file's anonymous block decides; apiserver-anonymous-auth was not evaluated`,
              ),
            );
          return found;
        }
        const config = process.flags.get('config');
        if (component === 'kube-scheduler' && config)
          return [
            flagViolation(
              process,
              'config',
              `profiling not observable: with --config=${config.value} the scheduler ignores --profiling and the file's enableProfiling (default true) decides`,
            ),
          ];
        return [];
      }),
    ),
});
