// Baseline "Sysctls": only the namespaced, isolated ("safe") sysctls, a set that grows with the policy version.
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import type { PssVersion } from '../../core/pss-version.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import {
  asArray,
  asRecord,
  codeList,
  inspectPod,
  PSS_REFERENCES,
  podSecurityContext,
  podSecurityContextPath,
  podViolation,
} from './pss-check-helpers.ts';
import { examplePod } from './pss-example-pods.ts';

/** Sysctls that became allowed at each policy version. */
const SAFE_SYSCTLS_SINCE: readonly { minor: number; names: readonly string[] }[] = [
  {
    minor: 0,
    names: [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ],
  },
  { minor: 27, names: ['net.ipv4.ip_local_reserved_ports'] },
  {
    minor: 29,
    names: [
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ],
  },
  { minor: 32, names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { minor: 37, names: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] },
];

const safeByMinor = new Map<number, ReadonlySet<string>>();

/** The safe sysctls at a policy version (built once per version, not once per pod). */
export function safeSysctls(version: PssVersion): ReadonlySet<string> {
  let safe = safeByMinor.get(version.minor);
  if (!safe) {
    safe = new Set(
      SAFE_SYSCTLS_SINCE.filter((entry) => entry.minor <= version.minor).flatMap((entry) => entry.names),
    );
    safeByMinor.set(version.minor, safe);
  }
  return safe;
}

export default defineRule({
  id: 'unsafe-sysctls',
  title: 'Unsafe sysctl',
  severity: 'high',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {
    'pss-baseline': ['sysctls'],
    'pss-restricted': ['sysctls'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    'Sysctls can turn off security mechanisms or change the kernel for every pod on the node. The baseline ' +
    'level allows only the safe set, which is namespaced and isolated per pod: ' +
    SAFE_SYSCTLS_SINCE.map(({ minor, names }) =>
      minor === 0 ? codeList(names) : `from policy v1.${minor} also ${codeList(names)}`,
    ).join('; ') +
    '.',
  remediation:
    'Remove the unsafe entries from `spec.securityContext.sysctls`. If a node-wide kernel setting is really ' +
    'needed, set it on the nodes rather than from a pod.',
  references: [...PSS_REFERENCES, 'https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/'],
  examples: {
    pass: [
      examplePod('safe-sysctl', (pod) => {
        pod.spec.securityContext!.sysctls = [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }];
      }),
    ],
    fail: [
      examplePod('unsafe-sysctl', (pod) => {
        pod.spec.securityContext!.sysctls = [{ name: 'kernel.msgmax', value: '65536' }];
      }),
    ],
  },
  check: (object, context) =>
    inspectPod(object, (pod) => {
      const safe = safeSysctls(context.pssVersion);
      const out: Violation[] = [];
      asArray(podSecurityContext(pod)?.sysctls).forEach((sysctl, index) => {
        const name = asRecord(sysctl)?.name;
        if (typeof name === 'string' && safe.has(name)) return;
        out.push(
          podViolation(
            'forbidden sysctls',
            typeof name === 'string' ? name : '',
            podSecurityContextPath(pod, 'sysctls', index, 'name'),
          ),
        );
      });
      return out;
    }),
});
