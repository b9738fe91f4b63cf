// Shared shape of the Pod Security Standards checks: read user input defensively, walk the pod template and
// its containers, and word violations the way Pod Security Admission does (`reason (detail)`).
import { type FieldPath, isRecord, type KubeObject, valueText } from '../../core/kube-object.ts';
import {
  type ContainerView,
  containersOf,
  isWindowsPod,
  type PodTemplateView,
  podTemplateOf,
} from '../../core/pod-spec.ts';
import { atLeast, type PssVersion } from '../../core/pss-version.ts';
import type { Violation } from '../../core/rule.ts';
import { type EffectiveField, effectiveSecurityContext } from '../../core/security-context.ts';

export const PSS_REFERENCES: readonly string[] = [
  'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  'https://kubernetes.io/docs/concepts/security/pod-security-admission/',
];

/** Runs `check` on the pod template of a pod-bearing object; other objects have nothing to check. */
export function inspectPod(
  object: KubeObject,
  check: (pod: PodTemplateView, containers: readonly ContainerView[]) => Violation[],
): Violation[] {
  const pod = podTemplateOf(object);
  if (!pod) return [];
  return check(pod, containersOf(pod));
}

/** Present and not null: Kubernetes decodes `null` as an unset field. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `` `a`, `b` and `c` ``: a list written into rule descriptions from the constants the checks use. */
export function codeList(items: readonly string[]): string {
  const quoted = items.map((item) => `\`${item}\``);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

/**
 * Go's `%q`-like quoting, as Pod Security Admission quotes names and values. A mapping or list where a scalar
 * belongs (the loader reports the wrong type) is shown as its JSON (valueText). A null is the empty string the API
 * server decodes it to (every value quoted here is a string field).
 */
export function quote(value: unknown): string {
  if (value === null) return '""';
  if (typeof value === 'object') return valueText(value);
  return JSON.stringify(typeof value === 'string' ? value : String(value));
}

/**
 * From policy v1.25 the restricted checks that cannot apply to Windows (seccomp, capabilities,
 * allowPrivilegeEscalation) exempt pods with `spec.os.name: windows`.
 */
export function isExemptWindowsPod(pod: PodTemplateView, version: PssVersion): boolean {
  return atLeast(version, 25) && isWindowsPod(pod);
}

/** `hostUsers: false`: the pod runs in its own user namespace. */
function isUserNamespacePod(pod: PodTemplateView): boolean {
  return pod.spec.hostUsers === false;
}

/**
 * From policy v1.35 (the UserNamespacesPodSecurityStandards gate removed) the checks whose risk a user namespace
 * contains (running as root, /proc mounts at baseline) let user-namespace pods through; older policy versions
 * check them as any pod, as a cluster without that alpha gate did.
 */
const USER_NAMESPACE_RELAXED_FROM = 35;

export function isRelaxedUserNamespacePod(pod: PodTemplateView, version: PssVersion): boolean {
  return atLeast(version, USER_NAMESPACE_RELAXED_FROM) && isUserNamespacePod(pod);
}

export function podSecurityContext(pod: PodTemplateView): Record<string, unknown> | undefined {
  return asRecord(pod.spec.securityContext);
}

export function podSecurityContextPath(pod: PodTemplateView, ...rest: (string | number)[]): FieldPath {
  return [...pod.specPath, 'securityContext', ...rest];
}

export function containerSecurityContextPath(
  container: ContainerView,
  ...rest: (string | number)[]
): FieldPath {
  return [...container.path, 'securityContext', ...rest];
}

/** `container "app"`: Pod Security Admission names init and ephemeral containers the same way. */
export function describeContainer(container: ContainerView): string {
  return `container ${quote(container.name)}`;
}

export function containerViolation(
  container: ContainerView,
  reason: string,
  detail: string,
  path: FieldPath,
): Violation {
  return { message: `${reason} (${detail})`, path, container: container.name };
}

export function podViolation(reason: string, detail: string, path: FieldPath): Violation {
  return { message: `${reason} (${detail})`, path };
}

export interface SettingReport {
  /** The pod-level value is forbidden. */
  pod(value: unknown, path: FieldPath): Violation;
  /** A container's own value is forbidden. */
  container(container: ContainerView, value: unknown, path: FieldPath): Violation;
}

/**
 * A security-context field that may be set on the pod and on each container, where some values are forbidden.
 * The pod-level value is judged once (it is forbidden even when every container overrides it, as Pod Security
 * Admission rules); each container is judged on its effective value when that value is its own, since an
 * inherited value is already reported at the pod.
 */
export function checkSetting(
  pod: PodTemplateView,
  containers: readonly ContainerView[],
  field: EffectiveField,
  isForbidden: (value: unknown) => boolean,
  report: SettingReport,
): Violation[] {
  const out: Violation[] = [];
  const podValue = podSecurityContext(pod)?.[field];
  if (isSet(podValue) && isForbidden(podValue))
    out.push(report.pod(podValue, podSecurityContextPath(pod, field)));
  for (let index = 0; index < containers.length; index++) {
    const container = containers[index] as ContainerView;
    const effective = effectiveSecurityContext(pod, container).get(field);
    if (effective.from === 'container' && isForbidden(effective.value))
      out.push(report.container(container, effective.value, effective.path));
  }
  return out;
}

export interface RequiredSettingReport extends SettingReport {
  /** Neither the container nor the pod sets the field. */
  missing(container: ContainerView, path: FieldPath): Violation;
}

/**
 * A security-context field that must hold an allowed value for every container, either on the container or
 * inherited from the pod. A forbidden pod-level value is reported once; containers that inherit it are not
 * reported again.
 */
export function checkRequiredSetting(
  pod: PodTemplateView,
  containers: readonly ContainerView[],
  field: EffectiveField,
  isAllowed: (value: unknown) => boolean,
  report: RequiredSettingReport,
): Violation[] {
  const out: Violation[] = [];
  const podValue = podSecurityContext(pod)?.[field];
  const podSet = isSet(podValue);
  if (podSet && !isAllowed(podValue)) out.push(report.pod(podValue, podSecurityContextPath(pod, field)));
  for (let index = 0; index < containers.length; index++) {
    const container = containers[index] as ContainerView;
    const effective = effectiveSecurityContext(pod, container).get(field);
    if (effective.from === 'container') {
      if (!isAllowed(effective.value)) out.push(report.container(container, effective.value, effective.path));
    } else if (!podSet) out.push(report.missing(container, effective.path));
  }
  return out;
}
