// Restricted "Seccomp": every container must run under RuntimeDefault or Localhost, set on it or on the pod
// (v1.19+). It replaces the baseline seccomp control in the restricted level, so before v1.19 it applies that check.
import { containersOf, isWindowsPod, podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { atLeast } from '../../core/pss-version.ts';
import { defineRule } from '../../core/rule.ts';
import { effectiveSecurityContext } from '../../core/security-context.ts';
import {
  checkRequiredSetting,
  containerViolation,
  describeContainer,
  inspectPod,
  isExemptWindowsPod,
  isSet,
  podSecurityContext,
  podViolation,
} from './pss-check-helpers.ts';
import { examplePod } from './pss-example-pods.ts';
import { setField } from './pss-fix-helpers.ts';
import {
  baselineSeccompViolations,
  CONTAINER_SECCOMP_ANNOTATION_PREFIX,
  forbiddenType,
  isAllowedSeccompProfile,
  POD_SECCOMP_ANNOTATION,
  SECCOMP_FIELDS_FROM,
  SECCOMP_REFERENCES,
} from './seccomp-checks.ts';

export default defineRule({
  id: 'seccomp-profile-required',
  title: 'Seccomp profile not set',
  severity: 'medium',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'pss-restricted': ['seccomp'], 'cis-k8s': ['5.7.2'], 'nsa-cisa': ['pod-security'] },
  description:
    'Without a seccomp profile a container may make any system call the kernel offers. From policy v1.19 the ' +
    'restricted level requires `securityContext.seccompProfile.type` to be `RuntimeDefault` or `Localhost` for ' +
    'every container, set on the container or inherited from the pod; `Unconfined` is forbidden everywhere. ' +
    'Before v1.19 it applies the baseline check of the seccomp annotations. From v1.25, Windows pods ' +
    '(`spec.os.name: windows`) are exempt.',
  remediation:
    'Set `spec.securityContext.seccompProfile.type: RuntimeDefault` on the pod (or on each container), and ' +
    'replace any `Unconfined` profile with `RuntimeDefault` or a reviewed `Localhost` profile.',
  references: SECCOMP_REFERENCES,
  examples: {
    pass: [examplePod('pod-runtime-default')],
    fail: [
      examplePod('no-seccomp', (pod) => {
        delete pod.spec.securityContext!.seccompProfile;
      }),
    ],
  },
  check: (object, context) =>
    inspectPod(object, (pod, containers) => {
      if (!atLeast(context.pssVersion, SECCOMP_FIELDS_FROM))
        return baselineSeccompViolations(pod, containers, context.pssVersion);
      if (isExemptWindowsPod(pod, context.pssVersion)) return [];
      return checkRequiredSetting(pod, containers, 'seccompProfile', isAllowedSeccompProfile, {
        pod: (profile, path) =>
          podViolation('seccompProfile', forbiddenType('pod', profile), [...path, 'type']),
        container: (container, profile, path) =>
          containerViolation(
            container,
            'seccompProfile',
            forbiddenType(describeContainer(container), profile),
            [...path, 'type'],
          ),
        missing: (container, path) =>
          containerViolation(
            container,
            'seccompProfile',
            `pod or ${describeContainer(container)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
            [...path, 'type'],
          ),
      });
    }),
  // Sets RuntimeDefault at the pod level when the pod sets no profile and a container relies on it; explicit
  // profiles (even forbidden ones) are left for a human. So are the legacy seccomp annotations: the API server
  // refuses a pod whose annotation and field disagree ("seccomp type in annotation and field must match").
  fix: (object) => {
    const pod = podTemplateOf(object);
    if (!pod || isWindowsPod(pod) || isSet(podSecurityContext(pod)?.seccompProfile)) return [];
    if (hasSeccompAnnotation(pod.metadata.annotations)) return [];
    const anyMissing = containersOf(pod).some(
      (container) => effectiveSecurityContext(pod, container).get('seccompProfile').from === 'unset',
    );
    return anyMissing
      ? setField(object, pod.specPath, ['securityContext', 'seccompProfile'], { type: 'RuntimeDefault' })
      : [];
  },
});

/** The pod's legacy seccomp annotation, or one of a container's. */
function hasSeccompAnnotation(annotations: unknown): boolean {
  if (annotations === null || typeof annotations !== 'object') return false;
  return Object.keys(annotations).some(
    (key) => key === POD_SECCOMP_ANNOTATION || key.startsWith(CONTAINER_SECCOMP_ANNOTATION_PREFIX),
  );
}
