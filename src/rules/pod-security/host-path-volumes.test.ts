import rule from './host-path-volumes.ts';
import { container, pod, ruleTable } from './pss-test-support.ts';

ruleTable(rule, [
  {
    name: 'other volume types',
    object: pod({
      containers: [container('app')],
      volumes: [
        { name: 'a', emptyDir: {} },
        { name: 'b', nfs: {} },
      ],
    }),
    expect: 'pass',
  },
  {
    name: 'hostPath null is unset',
    object: pod({ containers: [container('app')], volumes: [{ name: 'a', hostPath: null }] }),
    expect: 'pass',
  },
  {
    name: 'hostPath volume',
    object: pod({
      containers: [container('app')],
      volumes: [
        { name: 'a', emptyDir: {} },
        { name: 'host', hostPath: { path: '/' } },
      ],
    }),
    versions: ['v1.0', 'latest'],
    expect: 1,
    paths: ['spec.volumes[1].hostPath'],
    messages: ['hostPath volumes (volume "host" uses hostPath)'],
  },
]);
