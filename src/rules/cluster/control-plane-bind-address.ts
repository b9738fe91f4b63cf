import { isLoopback } from '../../core/loopback.ts';
import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import {
  type ControlPlaneComponent,
  checkComponent,
  flagViolation,
  mayRunComponent,
} from './control-plane-flags.ts';

const COMPONENTS: readonly ControlPlaneComponent[] = ['kube-controller-manager', 'kube-scheduler'];

export default defineRule({
  id: 'control-plane-bind-address',
  title: 'Controller manager or scheduler listens beyond localhost',
  severity: 'low',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.3.7', '1.4.2'], 'nsa-cisa': ['control-plane-hardening'] },
  description:
    'kube-controller-manager and kube-scheduler serve health and metrics endpoints; their `--bind-address` defaults to `0.0.0.0`, exposing them to the whole network (unless `--secure-port=0` turns serving off). ' +
    'Data: the static pods of both components, their command and args.',
  remediation: 'Set `--bind-address=127.0.0.1` on kube-controller-manager and kube-scheduler.',
  references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/'],
  examples: {
    pass: [
      podWith('kube-scheduler', {}),
      podWith('kube-controller-manager', {}),
      podWith('kube-controller-manager', { remove: ['--bind-address'], set: ['--secure-port=0'] }),
    ],
    fail: [
      podWith('kube-scheduler', { remove: ['--bind-address'] }),
      podWith('kube-controller-manager', { set: ['--bind-address=0.0.0.0'] }),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    COMPONENTS.flatMap((component) =>
      checkComponent(object, component, (process) => {
        // `--secure-port=0`: no HTTPS is served at all, so nothing listens on the address.
        if (process.flags.get('secure-port')?.value === '0') return [];
        const address = process.flags.get('bind-address')?.value;
        if (address !== undefined && isLoopback(address)) return [];
        return [
          flagViolation(
            process,
            'bind-address',
            address === undefined
              ? '--bind-address is not set (default 0.0.0.0)'
              : `--bind-address=${address} is not loopback`,
          ),
        ];
      }),
    ),
});
