// Seccomp checks shared by the baseline control and the restricted control that replaces it.
import type { FieldPath } from '../../core/kube-object.ts';
import { type ContainerView, type PodTemplateView, podAnnotations } from '../../core/pod-spec.ts';
import { atLeast, type PssVersion } from '../../core/pss-version.ts';
import type { Violation } from '../../core/rule.ts';
import {
  asRecord,
  checkSetting,
  containerViolation,
  describeContainer,
  PSS_REFERENCES,
  podViolation,
  quote,
} from './pss-check-helpers.ts';

export const SECCOMP_REFERENCES: readonly string[] = [
  ...PSS_REFERENCES,
  'https://kubernetes.io/docs/tutorials/security/seccomp/',
];

/** Policy version from which the seccompProfile fields are checked instead of the alpha annotations. */
export const SECCOMP_FIELDS_FROM = 19;

export const POD_SECCOMP_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const CONTAINER_SECCOMP_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** `RuntimeDefault` or `Localhost`, the profile types both levels accept. */
export function isAllowedSeccompProfile(profile: unknown): boolean {
  const type = asRecord(profile)?.type;
  return type === 'RuntimeDefault' || type === 'Localhost';
}

export function seccompTypeOf(profile: unknown): string {
  const type = asRecord(profile)?.type;
  return typeof type === 'string' ? type : '';
}

function isAllowedAnnotationValue(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    (value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/'))
  );
}

function forbiddenAnnotation(key: string, value: unknown): string {
  return `forbidden annotation ${key}=${quote(value)}`;
}

/** Policy before v1.19: the pod and per-container seccomp annotations, when present, must name an allowed profile. */
export function seccompAnnotationViolations(
  pod: PodTemplateView,
  containers: readonly ContainerView[],
): Violation[] {
  const annotations = podAnnotations(pod);
  const path = (key: string): FieldPath => [...pod.metadataPath, 'annotations', key];
  const out: Violation[] = [];
  if (Object.hasOwn(annotations, POD_SECCOMP_ANNOTATION)) {
    const value = annotations[POD_SECCOMP_ANNOTATION];
    if (!isAllowedAnnotationValue(value))
      out.push(
        podViolation(
          'seccompProfile',
          forbiddenAnnotation(POD_SECCOMP_ANNOTATION, value),
          path(POD_SECCOMP_ANNOTATION),
        ),
      );
  }
  for (const container of containers) {
    const key = CONTAINER_SECCOMP_ANNOTATION_PREFIX + container.name;
    if (!Object.hasOwn(annotations, key)) continue;
    const value = annotations[key];
    if (!isAllowedAnnotationValue(value))
      out.push(containerViolation(container, 'seccompProfile', forbiddenAnnotation(key, value), path(key)));
  }
  return out;
}

/** The Pod Security Admission wording for a seccomp profile type the level forbids. */
export function forbiddenType(setter: string, profile: unknown): string {
  return `${setter} must not set securityContext.seccompProfile.type to ${quote(seccompTypeOf(profile))}`;
}

/** Policy v1.19+: a seccompProfile set on the pod or a container must be RuntimeDefault or Localhost. */
export function seccompFieldViolations(
  pod: PodTemplateView,
  containers: readonly ContainerView[],
): Violation[] {
  return checkSetting(pod, containers, 'seccompProfile', (profile) => !isAllowedSeccompProfile(profile), {
    pod: (profile, path) => podViolation('seccompProfile', forbiddenType('pod', profile), [...path, 'type']),
    container: (container, profile, path) =>
      containerViolation(container, 'seccompProfile', forbiddenType(describeContainer(container), profile), [
        ...path,
        'type',
      ]),
  });
}

/** The baseline seccomp control at a policy version. */
export function baselineSeccompViolations(
  pod: PodTemplateView,
  containers: readonly ContainerView[],
  version: PssVersion,
): Violation[] {
  return atLeast(version, SECCOMP_FIELDS_FROM)
    ? seccompFieldViolations(pod, containers)
    : seccompAnnotationViolations(pod, containers);
}
