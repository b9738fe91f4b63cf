import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import {
  type ControlPlaneComponent,
  checkComponent,
  mayRunComponent,
  onByDefaultViolations,
} from './control-plane-flags.ts';

const COMPONENTS: readonly ControlPlaneComponent[] = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
];

export default defineRule({
  id: 'control-plane-profiling',
  title: 'Control-plane component serves profiling data',
  severity: 'low',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.2.15', '1.3.2', '1.4.1'], 'nsa-cisa': ['control-plane-hardening'] },
  description:
    '`--profiling` defaults to true on kube-apiserver, kube-controller-manager and kube-scheduler: `/debug/pprof` then exposes program internals and can be used to load the process. ' +
    "kube-scheduler ignores `--profiling` when started with `--config` (the file's `enableProfiling`, default true, decides): that case is reported by `control-plane-not-observable`. " +
    'Data: the static pods of the three components, their command and args.',
  remediation: 'Set `--profiling=false` on kube-apiserver, kube-controller-manager and kube-scheduler.',
  references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/'],
  examples: {
    pass: [
      podWith('kube-apiserver', {}),
      podWith('kube-scheduler', {}),
      podWith('kube-controller-manager', {}),
      podWith('kube-scheduler', {
        set: ['--config=/etc/kubernetes/scheduler.yaml'],
        remove: ['--profiling'],
      }),
    ],
    fail: [
      podWith('kube-scheduler', { remove: ['--profiling'] }),
      podWith('kube-controller-manager', { set: ['--profiling=true'] }),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    COMPONENTS.flatMap((component) =>
      checkComponent(object, component, (process) =>
        // With --config the scheduler ignores --profiling (control-plane-not-observable reports it).
        component === 'kube-scheduler' && process.flags.has('config')
          ? []
          : onByDefaultViolations(process, 'profiling'),
      ),
    ),
});
