import rule from './baseline-capabilities.ts';
import { container, pod, ruleTable } from './pss-test-support.ts';

const adding = (...add: unknown[]) =>
  pod({ containers: [container('app', { securityContext: { capabilities: { add } } })] });

ruleTable(rule, [
  { name: 'no capabilities', object: pod({ containers: [container('app')] }), expect: 'pass' },
  {
    name: 'the whole default set',
    object: adding(
      'AUDIT_WRITE',
      'CHOWN',
      'DAC_OVERRIDE',
      'FOWNER',
      'FSETID',
      'KILL',
      'MKNOD',
      'NET_BIND_SERVICE',
      'SETFCAP',
      'SETGID',
      'SETPCAP',
      'SETUID',
      'SYS_CHROOT',
    ),
    versions: ['v1.0', 'latest'],
    expect: 'pass',
  },
  {
    name: 'NET_RAW is not in the baseline set',
    object: adding('NET_RAW'),
    expect: 1,
    paths: ['spec.containers[0].securityContext.capabilities.add'],
    messages: [
      'non-default capabilities (container "app" must not include "NET_RAW" in securityContext.capabilities.add)',
    ],
  },
  { name: 'names are case-sensitive', object: adding('sys_admin', 'CAP_CHOWN'), expect: 1 },
  {
    name: 'a null entry is the empty name the API server reads, quoted as such',
    object: adding('SYS_ADMIN', null),
    expect: 1,
    messages: [
      'non-default capabilities (container "app" must not include "SYS_ADMIN", "" in securityContext.capabilities.add)',
    ],
  },
  {
    name: 'dropping anything is fine',
    object: pod({
      containers: [container('app', { securityContext: { capabilities: { drop: ['SYS_ADMIN'] } } })],
    }),
    expect: 'pass',
  },
  {
    name: 'ephemeral container adding SYS_ADMIN',
    object: pod({
      containers: [container('app')],
      ephemeralContainers: [
        container('debug', { securityContext: { capabilities: { add: ['SYS_PTRACE'] } } }),
      ],
    }),
    expect: 1,
    containers: ['debug'],
  },
]);
