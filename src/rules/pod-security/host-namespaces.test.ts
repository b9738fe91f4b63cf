import rule from './host-namespaces.ts';
import { container, pod, ruleTable } from './pss-test-support.ts';

ruleTable(rule, [
  { name: 'unset', object: pod({ containers: [container('app')] }), expect: 'pass' },
  {
    name: 'all false',
    object: pod({ hostNetwork: false, hostPID: false, hostIPC: false, containers: [container('app')] }),
    expect: 'pass',
  },
  {
    name: 'each shared namespace is its own violation',
    object: pod({ hostNetwork: true, hostPID: true, hostIPC: true, containers: [container('app')] }),
    versions: ['v1.0', 'latest'],
    expect: 3,
    paths: ['spec.hostNetwork', 'spec.hostPID', 'spec.hostIPC'],
    containers: [undefined, undefined, undefined],
    messages: [
      'host namespaces (hostNetwork=true)',
      'host namespaces (hostPID=true)',
      'host namespaces (hostIPC=true)',
    ],
  },
]);
