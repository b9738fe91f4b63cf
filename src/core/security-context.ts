// The effective security context: container fields override pod fields, exactly as the kubelet resolves them.
import type { FieldPath } from './kube-object.ts';
import { isRecord } from './kube-object.ts';
import { LastUsedCache } from './last-used-cache.ts';
import type { ContainerView, PodTemplateView, SecurityContextFields } from './pod-spec.ts';

/** Fields set on both the pod and the container security context; the container wins. */
const INHERITED_FIELDS = [
  'runAsUser',
  'runAsGroup',
  'runAsNonRoot',
  'seLinuxOptions',
  'seccompProfile',
  'appArmorProfile',
  'windowsOptions',
] as const;

/** Fields that exist only on the container security context. */
const CONTAINER_ONLY_FIELDS = [
  'privileged',
  'allowPrivilegeEscalation',
  'readOnlyRootFilesystem',
  'capabilities',
  'procMount',
] as const;

export type EffectiveField = (typeof INHERITED_FIELDS)[number] | (typeof CONTAINER_ONLY_FIELDS)[number];

export interface EffectiveValue<T> {
  value: T | undefined;
  /** Where the value was set, or where it should be set when absent (the container's securityContext). */
  path: FieldPath;
  from: 'container' | 'pod' | 'unset';
}

export interface EffectiveSecurityContext {
  get<K extends EffectiveField>(field: K): EffectiveValue<SecurityContextFields[K]>;
}

function contextAt(value: unknown): SecurityContextFields | undefined {
  return isRecord(value) ? (value as SecurityContextFields) : undefined;
}

// Dozens of rules ask the same container for the same fields, one object after another: the answers for the most
// recent containers are kept.
const contextCache = new LastUsedCache<ContainerView, EffectiveSecurityContext>(16);

export function effectiveSecurityContext(
  pod: PodTemplateView,
  container: ContainerView,
): EffectiveSecurityContext {
  return contextCache.get(container, computeEffectiveContext, pod);
}

/** One resolved field. Its path is built when a rule reports it, which most answers never are. */
class ResolvedField implements EffectiveValue<unknown> {
  readonly value: unknown;
  readonly from: EffectiveValue<unknown>['from'];
  readonly #base: FieldPath;
  readonly #field: EffectiveField;
  #path: FieldPath | undefined;

  constructor(value: unknown, from: EffectiveValue<unknown>['from'], base: FieldPath, field: EffectiveField) {
    this.value = value;
    this.from = from;
    this.#base = base;
    this.#field = field;
  }

  get path(): FieldPath {
    this.#path ??= Object.freeze([...this.#base, 'securityContext', this.#field]);
    return this.#path;
  }
}

function computeEffectiveContext(container: ContainerView, pod: PodTemplateView): EffectiveSecurityContext {
  const podContext = contextAt(pod.spec.securityContext);
  const containerContext = contextAt(container.container.securityContext);
  const answers = new Map<EffectiveField, EffectiveValue<unknown>>();
  const resolve = (field: EffectiveField): EffectiveValue<unknown> => {
    const own = containerContext?.[field];
    if (own !== undefined && own !== null) return new ResolvedField(own, 'container', container.path, field);
    if ((INHERITED_FIELDS as readonly string[]).includes(field)) {
      const inherited = podContext?.[field];
      if (inherited !== undefined && inherited !== null)
        return new ResolvedField(inherited, 'pod', pod.specPath, field);
    }
    return new ResolvedField(undefined, 'unset', container.path, field);
  };
  return {
    get(field) {
      let answer = answers.get(field);
      if (!answer) {
        answer = resolve(field);
        answers.set(field, answer);
      }
      return answer as EffectiveValue<SecurityContextFields[typeof field]>;
    },
  };
}
