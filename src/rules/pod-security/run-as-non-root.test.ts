import { container, pod, ruleTable } from './pss-test-support.ts';
import rule from './run-as-non-root.ts';

const NON_ROOT = { securityContext: { runAsNonRoot: true } };

ruleTable(rule, [
  {
    name: 'set on the pod',
    object: pod({
      securityContext: { runAsNonRoot: true },
      containers: [container('app')],
      ephemeralContainers: [container('debug')],
    }),
    versions: ['v1.0', 'latest'],
    expect: 'pass',
  },
  {
    name: 'set on every container',
    object: pod({ containers: [container('app', NON_ROOT)], initContainers: [container('init', NON_ROOT)] }),
    expect: 'pass',
  },
  {
    name: 'unset: one violation per container',
    object: pod({
      containers: [container('app', NON_ROOT), container('b')],
      initContainers: [container('init')],
    }),
    versions: ['v1.0', 'latest'],
    expect: 2,
    containers: ['b', 'init'],
    paths: [
      'spec.containers[1].securityContext.runAsNonRoot',
      'spec.initContainers[0].securityContext.runAsNonRoot',
    ],
    messages: ['runAsNonRoot != true (pod or container "b" must set securityContext.runAsNonRoot=true)'],
  },
  {
    name: 'a container sets false under a true pod',
    object: pod({
      securityContext: { runAsNonRoot: true },
      containers: [container('app', { securityContext: { runAsNonRoot: false } })],
    }),
    expect: 1,
    containers: ['app'],
    messages: ['container "app" must not set securityContext.runAsNonRoot=false'],
  },
  {
    name: 'the pod sets false even though every container sets true',
    object: pod({ securityContext: { runAsNonRoot: false }, containers: [container('app', NON_ROOT)] }),
    expect: 1,
    paths: ['spec.securityContext.runAsNonRoot'],
    messages: ['runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)'],
  },
  {
    name: 'user-namespace pods from v1.35 (runAsNonRoot1_35 upstream)',
    object: pod({
      hostUsers: false,
      securityContext: { runAsNonRoot: false },
      containers: [container('app')],
    }),
    versions: ['v1.35', 'latest'],
    expect: 'pass',
  },
  {
    name: 'user-namespace pods before v1.35 are checked as any pod',
    object: pod({ hostUsers: false, containers: [container('app')] }),
    versions: ['v1.0', 'v1.25', 'v1.34'],
    expect: 1,
    messages: ['pod or container "app" must set securityContext.runAsNonRoot=true'],
  },
  {
    name: 'Windows pods are not exempt',
    object: pod({ os: { name: 'windows' }, containers: [container('app')] }),
    expect: 1,
  },
]);
