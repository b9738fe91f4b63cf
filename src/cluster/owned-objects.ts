// Leaves out objects whose controller is in the same set: a Deployment's ReplicaSets and their pods carry the
// Deployment's pod template, so checking them too would repeat every finding once per replica.
import { isRecord, type KubeObject } from '../core/kube-object.ts';

/** Controller kinds whose pod template their children copy (owner kind -> child kinds it creates). */
const TEMPLATE_OWNERS: Record<string, readonly string[]> = {
  Pod: ['ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'ReplicationController'],
  ReplicaSet: ['Deployment', 'Rollout'],
  ReplicationController: ['DeploymentConfig'],
  Job: ['CronJob'],
};

/** Names present per kind and namespace: nested maps, so that 10,000 pods look up without building a key each. */
type PresentOwners = Map<string, Map<string, Set<string>>>;

function addOwner(present: PresentOwners, object: KubeObject): void {
  let byNamespace = present.get(object.kind);
  if (!byNamespace) {
    byNamespace = new Map();
    present.set(object.kind, byNamespace);
  }
  const namespace = object.metadata.namespace ?? '';
  let names = byNamespace.get(namespace);
  if (!names) {
    names = new Set();
    byNamespace.set(namespace, names);
  }
  names.add(object.metadata.name ?? '');
}

/** The ownerReference that is the object's controller, as written (no copy: this runs for every pod listed). */
function controllerOf(object: KubeObject): { kind: string; name?: unknown } | undefined {
  const owners = object.metadata.ownerReferences;
  if (!Array.isArray(owners)) return undefined;
  for (let index = 0; index < owners.length; index++) {
    const owner: unknown = owners[index];
    if (isRecord(owner) && owner.controller === true && typeof owner.kind === 'string')
      return owner as { kind: string; name?: unknown };
  }
  return undefined;
}

/** Ephemeral containers (`kubectl debug`) are added to a running pod, never to a template: such a pod is its own. */
function hasEphemeralContainers(object: KubeObject): boolean {
  const spec = object.spec;
  return isRecord(spec) && Array.isArray(spec.ephemeralContainers) && spec.ephemeralContainers.length > 0;
}

/** Kinds that own template copies: only their objects need to be looked up (pods, the bulk, never do). */
const OWNER_KINDS = new Set(Object.values(TEMPLATE_OWNERS).flat());

export function withoutOwnedObjects(objects: readonly KubeObject[]): { kept: KubeObject[]; skipped: number } {
  const present: PresentOwners = new Map();
  for (const object of objects) if (OWNER_KINDS.has(object.kind)) addOwner(present, object);
  const kept: KubeObject[] = [];
  let skipped = 0;
  for (const object of objects) {
    const owners = TEMPLATE_OWNERS[object.kind];
    const controller = owners && !hasEphemeralContainers(object) ? controllerOf(object) : undefined;
    // Only when the controller itself is scanned: an orphan, or a child of a kind not read, is checked itself.
    if (
      controller &&
      owners?.includes(controller.kind) &&
      present
        .get(controller.kind)
        ?.get(object.metadata.namespace ?? '')
        ?.has(typeof controller.name === 'string' ? controller.name : '')
    ) {
      skipped++;
      continue;
    }
    kept.push(object);
  }
  return { kept, skipped };
}
