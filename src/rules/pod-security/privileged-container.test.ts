import rule from './privileged-container.ts';
import { container, pod, ruleTable } from './pss-test-support.ts';

ruleTable(rule, [
  { name: 'no security context', object: pod({ containers: [container('app')] }), expect: 'pass' },
  {
    name: 'privileged false',
    object: pod({ containers: [container('app', { securityContext: { privileged: false } })] }),
    expect: 'pass',
  },
  {
    name: 'one violation per privileged container of every type',
    object: pod({
      containers: [container('app', { securityContext: { privileged: true } }), container('ok')],
      initContainers: [container('init', { securityContext: { privileged: true } })],
      ephemeralContainers: [container('debug', { securityContext: { privileged: true } })],
    }),
    versions: ['v1.0', 'v1.25', 'latest'],
    expect: 3,
    containers: ['app', 'init', 'debug'],
    paths: [
      'spec.containers[0].securityContext.privileged',
      'spec.initContainers[0].securityContext.privileged',
      'spec.ephemeralContainers[0].securityContext.privileged',
    ],
    messages: ['privileged (container "app" must not set securityContext.privileged=true)'],
  },
  {
    name: 'a pod-level privileged field does not exist and is ignored',
    object: pod({ securityContext: { privileged: true }, containers: [container('app')] }),
    expect: 'pass',
  },
]);
