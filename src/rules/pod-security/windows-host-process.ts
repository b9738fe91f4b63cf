// Baseline "HostProcess": Windows HostProcess containers (full host access) are forbidden.
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import {
  asRecord,
  checkSetting,
  containerViolation,
  describeContainer,
  inspectPod,
  PSS_REFERENCES,
  podViolation,
} from './pss-check-helpers.ts';
import { appSecurityContext, examplePod } from './pss-example-pods.ts';

function detail(setter: string): string {
  return `${setter} must not set securityContext.windowsOptions.hostProcess=true`;
}

export default defineRule({
  id: 'windows-host-process',
  title: 'Windows HostProcess container',
  severity: 'critical',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {
    'pss-baseline': ['host-process'],
    'pss-restricted': ['host-process'],
    'cis-k8s': ['5.2.11'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    'A Windows HostProcess container runs directly on the Windows node, with the access of an administrator ' +
    'of that node. The baseline level forbids `windowsOptions.hostProcess: true` on the pod and on every ' +
    'container.',
  remediation:
    'Remove `securityContext.windowsOptions.hostProcess` from the pod and its containers, or set it to ' +
    '`false`. Run node-level Windows agents in a dedicated, privileged namespace.',
  references: [
    ...PSS_REFERENCES,
    'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/',
  ],
  examples: {
    pass: [
      examplePod('windows-container', (pod) => {
        pod.spec.os = { name: 'windows' };
        pod.spec.securityContext = { runAsNonRoot: true, windowsOptions: { runAsUserName: 'ContainerUser' } };
        pod.spec.containers[0]!.securityContext = {};
      }),
    ],
    fail: [
      examplePod('host-process', (pod) => {
        pod.spec.os = { name: 'windows' };
        pod.spec.hostNetwork = true;
        pod.spec.securityContext = {
          windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\SYSTEM' },
        };
        pod.spec.containers[0]!.securityContext = {};
      }),
      examplePod('container-host-process', (pod) => {
        appSecurityContext(pod).windowsOptions = { hostProcess: true };
      }),
    ],
  },
  check: (object) =>
    inspectPod(object, (pod, containers) =>
      checkSetting(pod, containers, 'windowsOptions', (options) => asRecord(options)?.hostProcess === true, {
        pod: (_options, path) => podViolation('hostProcess', detail('pod'), [...path, 'hostProcess']),
        container: (container, _options, path) =>
          containerViolation(container, 'hostProcess', detail(describeContainer(container)), [
            ...path,
            'hostProcess',
          ]),
      }),
    ),
});
