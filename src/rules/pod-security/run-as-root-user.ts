// Restricted "Running as Non-root user" (v1.23+): runAsUser may not be 0, on the pod or any container.
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { atLeast } from '../../core/pss-version.ts';
import { defineRule } from '../../core/rule.ts';
import {
  checkSetting,
  containerViolation,
  describeContainer,
  inspectPod,
  isRelaxedUserNamespacePod,
  PSS_REFERENCES,
  podViolation,
} from './pss-check-helpers.ts';
import { appSecurityContext, examplePod } from './pss-example-pods.ts';

const CHECKED_FROM = 23;
const REASON = 'runAsUser=0';

export default defineRule({
  id: 'run-as-root-user',
  title: 'Container runs as UID 0',
  severity: 'medium',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {
    'pss-restricted': ['running-as-non-root-user'],
    'cis-k8s': ['5.2.7'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    '`runAsUser: 0` runs the container process as root whatever the image declares. From policy v1.23 the ' +
    'restricted level forbids `runAsUser: 0` on the pod and on every container, init container and ephemeral ' +
    'container; an unset `runAsUser` is allowed. From policy v1.35, pods with their own user namespace ' +
    '(`hostUsers: false`) are exempt.',
  remediation:
    'Set `runAsUser` to a non-zero UID (for example `10001`), or remove it and build the image with a non-root `USER`.',
  references: PSS_REFERENCES,
  examples: {
    pass: [
      examplePod('uid-10001', (pod) => {
        pod.spec.securityContext!.runAsUser = 10001;
      }),
    ],
    fail: [
      examplePod('uid-0', (pod) => {
        appSecurityContext(pod).runAsUser = 0;
      }),
    ],
  },
  check: (object, context) =>
    inspectPod(object, (pod, containers) => {
      if (!atLeast(context.pssVersion, CHECKED_FROM)) return [];
      if (isRelaxedUserNamespacePod(pod, context.pssVersion)) return [];
      return checkSetting(pod, containers, 'runAsUser', (value) => value === 0, {
        pod: (_value, path) => podViolation(REASON, 'pod must not set runAsUser=0', path),
        container: (container, _value, path) =>
          containerViolation(
            container,
            REASON,
            `${describeContainer(container)} must not set runAsUser=0`,
            path,
          ),
      });
    }),
});
