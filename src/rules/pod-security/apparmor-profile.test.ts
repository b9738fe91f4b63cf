import rule from './apparmor-profile.ts';
import { container, pod, ruleTable } from './pss-test-support.ts';

const PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const annotated = (annotations: Record<string, string>) =>
  pod({ containers: [container('app')], initContainers: [container('init')] }, { annotations });

ruleTable(rule, [
  {
    name: 'allowed annotations',
    object: annotated({
      [`${PREFIX}app`]: 'runtime/default',
      [`${PREFIX}init`]: 'localhost/custom',
      [`${PREFIX}x`]: '',
    }),
    versions: ['v1.0', 'latest'],
    expect: 'pass',
  },
  {
    name: 'unconfined annotation, at every version',
    object: annotated({ [`${PREFIX}init`]: 'unconfined' }),
    versions: ['v1.0', 'v1.29', 'latest'],
    expect: 1,
    containers: ['init'],
    paths: [`metadata.annotations[${PREFIX}init]`],
    messages: [`forbidden AppArmor profile (${PREFIX}init="unconfined")`],
  },
  {
    name: 'annotation for a container that does not exist still counts',
    object: annotated({ [`${PREFIX}ghost`]: 'unconfined' }),
    expect: 1,
    containers: [undefined],
  },
  {
    name: 'allowed fields',
    object: pod({
      securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
      containers: [
        container('app', {
          securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } },
        }),
      ],
    }),
    expect: 'pass',
  },
  {
    name: 'Unconfined on the pod and a container',
    object: pod({
      securityContext: { appArmorProfile: { type: 'Unconfined' } },
      containers: [container('app', { securityContext: { appArmorProfile: { type: 'Unconfined' } } })],
    }),
    versions: ['v1.0', 'latest'],
    expect: 2,
    paths: [
      'spec.securityContext.appArmorProfile.type',
      'spec.containers[0].securityContext.appArmorProfile.type',
    ],
    messages: [
      'forbidden AppArmor profile (pod must not set securityContext.appArmorProfile.type to "Unconfined")',
      'container "app" must not set securityContext.appArmorProfile.type to "Unconfined"',
    ],
  },
  {
    name: 'fields and annotations together',
    object: pod(
      { containers: [container('app', { securityContext: { appArmorProfile: { type: 'Unconfined' } } })] },
      { annotations: { [`${PREFIX}app`]: 'unconfined' } },
    ),
    expect: 2,
  },
]);
