import { container, pod, ruleTable } from './pss-test-support.ts';
import rule from './windows-host-process.ts';

ruleTable(rule, [
  {
    name: 'hostProcess false or unset',
    object: pod({
      securityContext: { windowsOptions: { hostProcess: false } },
      containers: [container('app', { securityContext: { windowsOptions: {} } })],
    }),
    expect: 'pass',
  },
  {
    name: 'on the pod',
    object: pod({
      hostNetwork: true,
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: [container('app', { securityContext: { windowsOptions: {} } })],
    }),
    versions: ['v1.0', 'latest'],
    expect: 1,
    paths: ['spec.securityContext.windowsOptions.hostProcess'],
    messages: ['hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)'],
  },
  {
    name: 'on containers of every type',
    object: pod({
      containers: [container('app', { securityContext: { windowsOptions: { hostProcess: true } } })],
      initContainers: [container('init', { securityContext: { windowsOptions: { hostProcess: true } } })],
      ephemeralContainers: [
        container('debug', { securityContext: { windowsOptions: { hostProcess: true } } }),
      ],
    }),
    expect: 3,
    containers: ['app', 'init', 'debug'],
  },
]);
