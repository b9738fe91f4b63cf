import rule from './host-ports.ts';
import { container, pod, ruleTable } from './pss-test-support.ts';

ruleTable(rule, [
  {
    name: 'container ports only, hostPort 0',
    object: pod({
      containers: [container('app', { ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 0 }] })],
    }),
    expect: 'pass',
  },
  {
    name: 'host ports on containers, init and ephemeral containers',
    object: pod({
      containers: [
        container('app', { ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 8081 }] }),
      ],
      initContainers: [container('init', { ports: [{ containerPort: 82, hostPort: 8082 }] })],
      ephemeralContainers: [container('debug', { ports: [{ containerPort: 83, hostPort: 8083 }] })],
    }),
    expect: 3,
    paths: [
      'spec.containers[0].ports[1].hostPort',
      'spec.initContainers[0].ports[0].hostPort',
      'spec.ephemeralContainers[0].ports[0].hostPort',
    ],
    containers: ['app', 'init', 'debug'],
    messages: ['hostPort (container "app" uses hostPort 8081)'],
  },
  {
    // The API server defaults hostPort to containerPort on the host network (containers and init containers, not
    // ephemeral ones) before Pod Security Admission sees the pod.
    name: 'host network: container ports become host ports',
    object: pod({
      hostNetwork: true,
      containers: [
        container('app', { ports: [{ containerPort: 9100 }, { containerPort: 81, hostPort: 0 }] }),
      ],
      initContainers: [container('init', { ports: [{ containerPort: 82, hostPort: 8082 }] })],
      ephemeralContainers: [container('debug', { ports: [{ containerPort: 83 }] })],
    }),
    expect: 3,
    paths: [
      'spec.containers[0].ports[0].hostPort',
      'spec.containers[0].ports[1].hostPort',
      'spec.initContainers[0].ports[0].hostPort',
    ],
    containers: ['app', 'app', 'init'],
  },
]);
