import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import {
  type ComponentProcess,
  checkComponent,
  flagViolation,
  goInteger,
  mayRunComponent,
} from './control-plane-flags.ts';

/**
 * CIS recommended minimums for a log file backend, and what the API server's log rotation does with 0 (the
 * default): no age limit, no limit on kept files, and 100 MB files. Those keep the evidence, so they pass.
 */
const RETENTION = [
  { flag: 'audit-log-maxage', minimum: 30, what: 'days of audit logs kept', zero: Number.POSITIVE_INFINITY },
  {
    flag: 'audit-log-maxbackup',
    minimum: 10,
    what: 'rotated audit log files kept',
    zero: Number.POSITIVE_INFINITY,
  },
  { flag: 'audit-log-maxsize', minimum: 100, what: 'megabytes per audit log file', zero: 100 },
] as const;

function retentionViolations(process: ComponentProcess): Violation[] {
  const violations: Violation[] = [];
  for (const { flag, minimum, what, zero } of RETENTION) {
    const value = process.flags.get(flag)?.value;
    const number = value === undefined ? 0 : goInteger(value);
    if (number === undefined)
      violations.push(flagViolation(process, flag, `--${flag}=${value} is not a whole number`));
    else if ((number <= 0 ? zero : number) < minimum)
      violations.push(
        flagViolation(
          process,
          flag,
          `--${flag}=${value}${String(number) === value ? '' : ` (${number})`}: fewer than ${minimum} ${what}`,
        ),
      );
  }
  return violations;
}

export default defineRule({
  id: 'apiserver-audit-log',
  title: 'API server audit logging missing or kept too briefly',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: {
    'cis-k8s': ['1.2.16', '1.2.17', '1.2.18', '1.2.19', '3.2.1'],
    'nsa-cisa': ['kubernetes-audit-logging'],
  },
  description:
    'Without an audit policy (`--audit-policy-file`) and a backend (`--audit-log-path` or `--audit-webhook-config-file`) the API server records nothing of who did what. ' +
    'With a log file backend, retention below 30 days, 10 files or 100 MB loses evidence before an incident is noticed; unset or 0, the log rotation keeps files of any age, any number of them, and rotates at 100 MB, which keeps it. ' +
    "The policy's levels are in the policy file on the control-plane node, which the API does not expose: a cluster scan reports it as not observable; scan the policy file itself to check it (rule `audit-policy-coverage`). " +
    'Data: the `kube-apiserver` static pod, its command and args.',
  remediation:
    'Set `--audit-policy-file` and `--audit-log-path` (or `--audit-webhook-config-file`), with `--audit-log-maxage=30`, `--audit-log-maxbackup=10` and `--audit-log-maxsize=100` or more.',
  references: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/'],
  examples: {
    pass: [
      podWith('kube-apiserver', {}),
      podWith('kube-apiserver', {
        remove: ['--audit-log-path', '--audit-log-maxage', '--audit-log-maxbackup', '--audit-log-maxsize'],
        set: ['--audit-webhook-config-file=/etc/kubernetes/audit-webhook.yaml'],
      }),
      // `--audit-log-path -` (two words) logs to standard out.
      podWith('kube-apiserver', {
        remove: ['--audit-log-path', '--audit-log-maxage', '--audit-log-maxbackup', '--audit-log-maxsize'],
        set: ['--audit-log-path', '-'],
      }),
      // 0 (and unset) keeps everything: no age limit, no file limit, 100 MB files.
      podWith('kube-apiserver', {
        set: ['--audit-log-maxage=0', '--audit-log-maxbackup=0', '--audit-log-maxsize=0'],
      }),
      podWith('kube-apiserver', {
        remove: ['--audit-log-maxage', '--audit-log-maxbackup', '--audit-log-maxsize'],
      }),
    ],
    fail: [
      podWith('kube-apiserver', { remove: ['--audit-policy-file', '--audit-log-path'] }),
      podWith('kube-apiserver', { set: ['--audit-log-maxage=7'] }),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'kube-apiserver', (process) => {
      const violations: Violation[] = [];
      if (!process.flags.has('audit-policy-file'))
        violations.push(
          flagViolation(
            process,
            'audit-policy-file',
            '--audit-policy-file is not set: no request is audited',
          ),
        );
      const logPath = process.flags.get('audit-log-path')?.value;
      const toFile = logPath !== undefined && logPath !== '';
      if (!toFile && !process.flags.has('audit-webhook-config-file'))
        violations.push(
          flagViolation(
            process,
            'audit-log-path',
            'no audit backend: neither --audit-log-path nor --audit-webhook-config-file is set',
          ),
        );
      // `-` writes to standard out, where retention is the log collector's business.
      if (toFile && logPath !== '-') violations.push(...retentionViolations(process));
      return violations;
    }),
});
