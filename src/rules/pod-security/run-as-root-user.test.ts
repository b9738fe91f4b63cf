import { container, pod, ruleTable } from './pss-test-support.ts';
import rule from './run-as-root-user.ts';

ruleTable(rule, [
  {
    name: 'unset or non-zero',
    object: pod({
      securityContext: { runAsUser: 1000 },
      containers: [container('app'), container('b', { securityContext: { runAsUser: 2 } })],
    }),
    expect: 'pass',
  },
  {
    name: 'UID 0 before v1.23',
    object: pod({ securityContext: { runAsUser: 0 }, containers: [container('app')] }),
    versions: ['v1.0', 'v1.22'],
    expect: 'pass',
  },
  {
    name: 'UID 0 on the pod and containers from v1.23',
    object: pod({
      securityContext: { runAsUser: 0 },
      containers: [container('app', { securityContext: { runAsUser: 1000 } }), container('b')],
      initContainers: [container('init', { securityContext: { runAsUser: 0 } })],
      ephemeralContainers: [container('debug', { securityContext: { runAsUser: 0 } })],
    }),
    versions: ['v1.23', 'latest'],
    expect: 3,
    containers: [undefined, 'init', 'debug'],
    paths: [
      'spec.securityContext.runAsUser',
      'spec.initContainers[0].securityContext.runAsUser',
      'spec.ephemeralContainers[0].securityContext.runAsUser',
    ],
    messages: [
      'runAsUser=0 (pod must not set runAsUser=0)',
      'runAsUser=0 (container "init" must not set runAsUser=0)',
    ],
  },
  {
    name: 'user-namespace pods from v1.35 (runAsUser1_35 upstream)',
    object: pod({ hostUsers: false, containers: [container('app', { securityContext: { runAsUser: 0 } })] }),
    versions: ['v1.35', 'latest'],
    expect: 'pass',
  },
  {
    name: 'user-namespace pods before v1.35 are checked as any pod',
    object: pod({ hostUsers: false, securityContext: { runAsUser: 0 }, containers: [container('app')] }),
    versions: ['v1.23', 'v1.34'],
    expect: 1,
    messages: ['runAsUser=0 (pod must not set runAsUser=0)'],
  },
]);
