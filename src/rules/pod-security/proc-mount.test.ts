import procMount from './proc-mount.ts';
import procMountRestricted from './proc-mount-restricted.ts';
import { container, pod, ruleTable } from './pss-test-support.ts';

const mounting = (value: unknown, spec: Record<string, unknown> = {}) =>
  pod({
    ...spec,
    containers: [container('app', { securityContext: { procMount: value } })],
    initContainers: [container('init')],
  });

const common = [
  { name: 'Default', object: mounting('Default'), versions: ['v1.0', 'latest'], expect: 'pass' as const },
  { name: 'unset', object: pod({ containers: [container('app')] }), expect: 'pass' as const },
  {
    name: 'Unmasked',
    object: mounting('Unmasked'),
    versions: ['v1.0', 'v1.34', 'latest'],
    expect: 1,
    paths: ['spec.containers[0].securityContext.procMount'],
    containers: ['app'],
    messages: ['procMount (container "app" must not set securityContext.procMount to "Unmasked")'],
  },
  {
    name: 'ephemeral container',
    object: pod({
      containers: [container('app')],
      ephemeralContainers: [container('debug', { securityContext: { procMount: 'Unmasked' } })],
    }),
    expect: 1,
    containers: ['debug'],
  },
];

ruleTable(procMount, [
  ...common,
  {
    name: 'user-namespace pods are not relaxed before v1.35',
    object: mounting('Unmasked', { hostUsers: false }),
    versions: ['v1.0', 'v1.34'],
    expect: 1,
  },
  {
    name: 'user-namespace pods are relaxed from v1.35',
    object: mounting('Unmasked', { hostUsers: false }),
    versions: ['v1.35', 'latest'],
    expect: 'pass',
  },
  { name: 'hostUsers true is no relaxation', object: mounting('Unmasked', { hostUsers: true }), expect: 1 },
]);

ruleTable(procMountRestricted, [
  ...common,
  {
    name: 'user-namespace pods are never relaxed',
    object: mounting('Unmasked', { hostUsers: false }),
    versions: ['v1.0', 'v1.34', 'v1.35', 'latest'],
    expect: 1,
  },
]);
