// Whether a container ends up with a CPU/memory request or limit: set on the container, on the pod
// (pod-level resources), derived by Kubernetes (a request defaults to the limit), or supplied by a LimitRange.
import type { Inventory } from '../../core/inventory.ts';
import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import type { ContainerView, PodTemplateView } from '../../core/pod-spec.ts';

export type ComputeResource = 'cpu' | 'memory';
export type ResourceBound = 'requests' | 'limits';

/**
 * Whether the list sets a non-zero quantity of the resource. Zero is no bound at all: the kubelet sets no memory
 * limit or CPU quota for 0, and a request of 0 does not count towards the QoS class (the pod is BestEffort).
 */
function quantityIn(list: unknown, resource: ComputeResource): boolean {
  if (!isRecord(list)) return false;
  const value = list[resource];
  if (typeof value === 'number') return value !== 0;
  return typeof value === 'string' && value.trim() !== '' && !isZeroQuantity(value.trim());
}

/** `0`, `0.0`, `0Mi`, `0m`, `+0e3`: a quantity whose number is zero, whatever its suffix. */
function isZeroQuantity(text: string): boolean {
  const number = /^[+-]?(\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text)?.[0];
  return number !== undefined && Number(number) === 0;
}

/**
 * Resources a LimitRange of type Container supplies as defaults, after the API server's own defaulting:
 * a default limit falls back to `max`; a default request falls back to the default limit, then to `min`.
 */
export function limitRangeDefaults(
  limitRange: KubeObject,
  bound: ResourceBound,
  resource: ComputeResource,
): boolean {
  const limits = isRecord(limitRange.spec) ? limitRange.spec.limits : undefined;
  if (!Array.isArray(limits)) return false;
  return limits.some((item) => {
    if (!isRecord(item) || item.type !== 'Container') return false;
    const limit = quantityIn(item.default, resource) || quantityIn(item.max, resource);
    if (bound === 'limits') return limit;
    return limit || quantityIn(item.defaultRequest, resource) || quantityIn(item.min, resource);
  });
}

/** The LimitRange that supplies the default, if any, in the object's namespace (objects without one match those without one). */
export function defaultingLimitRange(
  inventory: Inventory,
  object: KubeObject,
  bound: ResourceBound,
  resource: ComputeResource,
): KubeObject | undefined {
  const namespace = typeof object.metadata.namespace === 'string' ? object.metadata.namespace : '';
  return inventory
    .ofKind('LimitRange', namespace)
    .map((entry) => entry.object)
    .find((limitRange) => limitRangeDefaults(limitRange, bound, resource));
}

/**
 * The list in `resources` that writes the resource for the bound: `requests`, else (for a request) `limits`, which
 * the API server copies to a missing request. null is unset, as the API server decodes it.
 */
function writtenList(
  resources: unknown,
  bound: ResourceBound,
  resource: ComputeResource,
): Record<string, unknown> | undefined {
  if (!isRecord(resources)) return undefined;
  const own = resources[bound];
  if (isRecord(own) && own[resource] !== undefined && own[resource] !== null) return own;
  if (bound === 'limits') return undefined;
  const limits = resources.limits;
  return isRecord(limits) && limits[resource] !== undefined && limits[resource] !== null ? limits : undefined;
}

/** True when the container will have this request or limit once Kubernetes has admitted the pod. */
export function hasResource(
  inventory: Inventory,
  object: KubeObject,
  view: PodTemplateView,
  container: ContainerView,
  bound: ResourceBound,
  resource: ComputeResource,
): boolean {
  // The value written decides, 0 included; container and pod-level resources both count. Only where nothing is
  // written does a LimitRange default apply (LimitRanger fills in only what is missing).
  const inContainer = writtenList(container.container.resources, bound, resource);
  const inPod = writtenList(view.spec.resources, bound, resource);
  if (inContainer !== undefined || inPod !== undefined)
    return (
      (inContainer !== undefined && quantityIn(inContainer, resource)) ||
      (inPod !== undefined && quantityIn(inPod, resource))
    );
  return defaultingLimitRange(inventory, object, bound, resource) !== undefined;
}

/** Containers that can carry resources: ephemeral containers cannot. */
export function resourceBearing(containers: readonly ContainerView[]): readonly ContainerView[] {
  // Most pods have no ephemeral containers: the list as it is, without a copy per rule and object.
  return containers.some((container) => container.type === 'ephemeralContainers')
    ? containers.filter((container) => container.type !== 'ephemeralContainers')
    : containers;
}
