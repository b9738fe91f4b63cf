import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import {
  checkComponent,
  flagIsTrue,
  flagViolation,
  listValue,
  mayRunComponent,
  parseGoBool,
} from './control-plane-flags.ts';

export default defineRule({
  id: 'controller-manager-service-accounts',
  title: 'Controller manager credentials and certificate settings',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.3.3', '1.3.4', '1.3.5', '1.3.6'], 'nsa-cisa': ['control-plane-hardening'] },
  description:
    "Without `--use-service-account-credentials=true` every controller acts with the controller manager's own, broad identity, so RBAC cannot tell controllers apart. " +
    'Without `--service-account-private-key-file` no service-account tokens are signed, and without `--root-ca-file` pods cannot verify the API server. ' +
    'Turning off the `RotateKubeletServerCertificate` feature gate (or `AllBeta=false` without setting it) stops kubelet serving certificates from being renewed. ' +
    'Data: the `kube-controller-manager` static pod, its command and args.',
  remediation:
    'Set `--use-service-account-credentials=true`, `--service-account-private-key-file`, `--root-ca-file`, and do not set `RotateKubeletServerCertificate=false`.',
  references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/'],
  examples: {
    pass: [
      podWith('kube-controller-manager', {}),
      podWith('kube-controller-manager', {
        set: ['--feature-gates=AllBeta=false,RotateKubeletServerCertificate=true'],
      }),
    ],
    fail: [
      podWith('kube-controller-manager', { remove: ['--use-service-account-credentials'] }),
      podWith('kube-controller-manager', { set: ['--feature-gates=RotateKubeletServerCertificate=false'] }),
      podWith('kube-controller-manager', { set: ['--feature-gates=RotateKubeletServerCertificate=0'] }),
      // A beta gate: AllBeta=false turns it off when it is not set itself.
      podWith('kube-controller-manager', { set: ['--feature-gates=AllBeta=false'] }),
      podWith('kube-controller-manager', {
        set: [
          '--feature-gates=RotateKubeletServerCertificate=true',
          '--feature-gates=RotateKubeletServerCertificate=f',
        ],
      }),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'kube-controller-manager', (process) => {
      const violations: Violation[] = [];
      if (!flagIsTrue(process.flags.get('use-service-account-credentials'), false))
        violations.push(
          flagViolation(
            process,
            'use-service-account-credentials',
            '--use-service-account-credentials is not true: all controllers share one identity',
          ),
        );
      for (const flag of ['service-account-private-key-file', 'root-ca-file'])
        if (!process.flags.has(flag)) violations.push(flagViolation(process, flag, `--${flag} is not set`));
      // Repeated gates merge and the last value of a gate wins; values are read with strconv.ParseBool.
      const gates = listValue(process.flags.get('feature-gates')).map((entry) => entry.split('='));
      const gateValue = (gate: string) =>
        parseGoBool(
          gates
            .filter(([name]) => name?.trim() === gate)
            .at(-1)?.[1]
            ?.trim() ?? '',
        );
      // A beta gate not set itself follows AllBeta (component-base sets every unset beta gate to its value).
      const rotation = gateValue('RotateKubeletServerCertificate') ?? gateValue('AllBeta');
      if (rotation === false)
        violations.push(
          flagViolation(process, 'feature-gates', 'the RotateKubeletServerCertificate feature gate is off'),
        );
      return violations;
    }),
});
