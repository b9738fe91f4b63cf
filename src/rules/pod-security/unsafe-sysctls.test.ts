import { container, pod, ruleTable } from './pss-test-support.ts';
import rule from './unsafe-sysctls.ts';

const withSysctls = (...names: string[]) =>
  pod({
    securityContext: { sysctls: names.map((name) => ({ name, value: '1' })) },
    containers: [container('app')],
  });

ruleTable(rule, [
  {
    name: 'the v1.0 safe set',
    object: withSysctls(
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ),
    versions: ['v1.0', 'latest'],
    expect: 'pass',
  },
  {
    name: 'ip_local_reserved_ports before v1.27',
    object: withSysctls('net.ipv4.ip_local_reserved_ports'),
    versions: ['v1.26'],
    expect: 1,
  },
  {
    name: 'ip_local_reserved_ports from v1.27',
    object: withSysctls('net.ipv4.ip_local_reserved_ports'),
    versions: ['v1.27'],
    expect: 'pass',
  },
  {
    name: 'keepalive and fin_timeout before v1.29',
    object: withSysctls(
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ),
    versions: ['v1.28'],
    expect: 4,
  },
  {
    name: 'keepalive and fin_timeout from v1.29',
    object: withSysctls(
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ),
    versions: ['v1.29'],
    expect: 'pass',
  },
  {
    name: 'tcp_rmem/wmem before v1.32',
    object: withSysctls('net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'),
    versions: ['v1.31'],
    expect: 2,
  },
  {
    name: 'tcp_rmem/wmem from v1.32',
    object: withSysctls('net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'),
    versions: ['v1.32'],
    expect: 'pass',
  },
  {
    name: 'slow_start_after_idle/notsent_lowat before v1.37',
    object: withSysctls('net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'),
    versions: ['v1.36'],
    expect: 2,
  },
  {
    name: 'slow_start_after_idle/notsent_lowat from v1.37',
    object: withSysctls('net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'),
    versions: ['v1.37', 'latest'],
    expect: 'pass',
  },
  {
    name: 'an unsafe sysctl',
    object: withSysctls('net.ipv4.tcp_syncookies', 'kernel.msgmax'),
    expect: 1,
    paths: ['spec.securityContext.sysctls[1].name'],
    messages: ['forbidden sysctls (kernel.msgmax)'],
  },
]);
