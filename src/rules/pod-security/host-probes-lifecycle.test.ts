import rule from './host-probes-lifecycle.ts';
import { container, pod, ruleTable } from './pss-test-support.ts';

ruleTable(rule, [
  {
    name: 'probes without host',
    object: pod({
      containers: [
        container('app', {
          livenessProbe: { httpGet: { path: '/', port: 80 } },
          readinessProbe: { tcpSocket: { port: 80, host: '' } },
          lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
        }),
      ],
    }),
    expect: 'pass',
  },
  {
    name: 'a probe host before v1.34',
    object: pod({
      containers: [container('app', { startupProbe: { httpGet: { host: 'example.com', port: 80 } } })],
    }),
    versions: ['v1.0', 'v1.33'],
    expect: 'pass',
  },
  {
    name: 'every probe and hook host from v1.34',
    object: pod({
      containers: [
        container('app', {
          livenessProbe: { httpGet: { host: '1.1.1.1', port: 80 } },
          readinessProbe: { tcpSocket: { host: '::1', port: 80 } },
          startupProbe: { httpGet: { host: 'example.com', port: 80 } },
          lifecycle: {
            postStart: { httpGet: { host: 'a', port: 1 } },
            preStop: { tcpSocket: { host: 'b', port: 2 } },
          },
        }),
      ],
      initContainers: [container('init', { lifecycle: { preStop: { httpGet: { host: 'c', port: 3 } } } })],
    }),
    versions: ['v1.34', 'latest'],
    expect: 6,
    containers: ['app', 'app', 'app', 'app', 'app', 'init'],
    paths: [
      'spec.containers[0].livenessProbe.httpGet.host',
      'spec.containers[0].readinessProbe.tcpSocket.host',
      'spec.containers[0].startupProbe.httpGet.host',
      'spec.containers[0].lifecycle.postStart.httpGet.host',
      'spec.containers[0].lifecycle.preStop.tcpSocket.host',
      'spec.initContainers[0].lifecycle.preStop.httpGet.host',
    ],
    messages: ['probe or lifecycle host (container "app" uses probe or lifecycle host "1.1.1.1")'],
  },
]);
