import { container, pod, ruleTable } from './pss-test-support.ts';
import rule from './selinux-options.ts';

const withOptions = (options: unknown) =>
  pod({ containers: [container('app', { securityContext: { seLinuxOptions: options } })] });

ruleTable(rule, [
  {
    name: 'allowed types and a level',
    object: pod({
      securityContext: { seLinuxOptions: { type: 'container_init_t' } },
      containers: [
        container('a', { securityContext: { seLinuxOptions: { type: 'container_t', level: 's0:c1,c2' } } }),
        container('b', { securityContext: { seLinuxOptions: { type: 'container_kvm_t' } } }),
        container('c', { securityContext: { seLinuxOptions: { type: '' } } }),
        container('d', { securityContext: { seLinuxOptions: {} } }),
      ],
    }),
    versions: ['v1.0', 'latest'],
    expect: 'pass',
  },
  {
    name: 'container_engine_t before v1.31',
    object: withOptions({ type: 'container_engine_t' }),
    versions: ['v1.0', 'v1.30'],
    expect: 1,
  },
  {
    name: 'container_engine_t from v1.31',
    object: withOptions({ type: 'container_engine_t' }),
    versions: ['v1.31', 'latest'],
    expect: 'pass',
  },
  {
    name: 'spc_t',
    object: withOptions({ type: 'spc_t' }),
    expect: 1,
    paths: ['spec.containers[0].securityContext.seLinuxOptions'],
    messages: ['seLinuxOptions (container "app" set forbidden securityContext.seLinuxOptions: type "spc_t")'],
  },
  { name: 'user', object: withOptions({ user: 'system_u' }), expect: 1, messages: ['user may not be set'] },
  { name: 'role', object: withOptions({ role: 'system_r' }), expect: 1, messages: ['role may not be set'] },
  {
    name: 'a forbidden pod value counts even when every container overrides it',
    object: pod({
      securityContext: { seLinuxOptions: { type: 'spc_t' } },
      containers: [container('app', { securityContext: { seLinuxOptions: { type: 'container_t' } } })],
    }),
    expect: 1,
    paths: ['spec.securityContext.seLinuxOptions'],
    containers: [undefined],
    messages: ['seLinuxOptions (pod set forbidden'],
  },
  {
    name: 'an inherited forbidden value is reported once, at the pod',
    object: pod({
      securityContext: { seLinuxOptions: { user: 'u' } },
      containers: [container('a'), container('b')],
      initContainers: [container('i', { securityContext: { seLinuxOptions: { role: 'r' } } })],
    }),
    expect: 2,
    containers: [undefined, 'i'],
  },
]);
