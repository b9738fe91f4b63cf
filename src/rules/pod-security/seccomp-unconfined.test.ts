import { container, pod, ruleTable } from './pss-test-support.ts';
import rule from './seccomp-unconfined.ts';

const annotated = (annotations: Record<string, string>, spec: Record<string, unknown> = {}) =>
  pod({ containers: [container('app')], initContainers: [container('init')], ...spec }, { annotations });

ruleTable(rule, [
  {
    name: 'nothing set',
    object: pod({ containers: [container('app')] }),
    versions: ['v1.0', 'latest'],
    expect: 'pass',
  },
  {
    name: 'allowed annotations before v1.19',
    object: annotated({
      'seccomp.security.alpha.kubernetes.io/pod': 'docker/default',
      'container.seccomp.security.alpha.kubernetes.io/app': 'runtime/default',
      'container.seccomp.security.alpha.kubernetes.io/init': 'localhost/profile.json',
    }),
    versions: ['v1.0', 'v1.18'],
    expect: 'pass',
  },
  {
    name: 'unconfined pod annotation before v1.19',
    object: annotated({ 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }),
    versions: ['v1.0', 'v1.18'],
    expect: 1,
    paths: ['metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]'],
    messages: ['seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")'],
  },
  {
    name: 'unconfined container annotation before v1.19',
    object: annotated({ 'container.seccomp.security.alpha.kubernetes.io/init': 'unconfined' }),
    versions: ['v1.18'],
    expect: 1,
    containers: ['init'],
  },
  {
    name: 'annotation of a container that does not exist',
    object: annotated({ 'container.seccomp.security.alpha.kubernetes.io/ghost': 'unconfined' }),
    versions: ['v1.18'],
    expect: 'pass',
  },
  {
    name: 'annotations are not checked from v1.19',
    object: annotated({ 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }),
    versions: ['v1.19', 'latest'],
    expect: 'pass',
  },
  {
    name: 'fields are not checked before v1.19',
    object: pod({
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [container('app')],
    }),
    versions: ['v1.0', 'v1.18'],
    expect: 'pass',
  },
  {
    name: 'Unconfined on the pod and on an ephemeral container from v1.19',
    object: pod({
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [container('app', { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } })],
      ephemeralContainers: [
        container('debug', { securityContext: { seccompProfile: { type: 'Unconfined' } } }),
      ],
    }),
    versions: ['v1.19', 'latest'],
    expect: 2,
    paths: [
      'spec.securityContext.seccompProfile.type',
      'spec.ephemeralContainers[0].securityContext.seccompProfile.type',
    ],
    containers: [undefined, 'debug'],
    messages: [
      'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
      'container "debug" must not set',
    ],
  },
  {
    name: 'Windows pods are not exempt at the baseline level',
    object: pod({
      os: { name: 'windows' },
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [container('app')],
    }),
    expect: 1,
  },
]);
