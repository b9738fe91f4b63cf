// Decides what a parsed document is: Kubernetes objects (one, or the items of a List), or something else
// (values files, kustomizations, scalars), which is reported rather than silently dropped.
import { looksLikeSnapshot } from '../cluster/snapshot.ts';
import { type FieldPath, getPath, isRecord, type KubeObject } from '../core/kube-object.ts';
import {
  apiGroupOf,
  GENERIC_POD_TEMPLATE_PATHS,
  isKnownWorkload,
  workloadGroupsOf,
} from '../core/pod-spec.ts';
import { isAdmissionReview, reviewedObject } from './admission-review-document.ts';
import { removedApiMessage } from './removed-apis.ts';

export interface FoundObject {
  object: KubeObject;
  /** Where the object sits in its document: [] for a document, ['items', i] for a list item. */
  prefix: FieldPath;
}

export interface DocumentNote {
  code:
    | 'not-kubernetes'
    | 'empty-list'
    | 'invalid-field-type'
    | 'incomplete-object'
    | 'not-scanned'
    | 'removed-api';
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Path in the document the note is about. */
  path: FieldPath;
}

export interface ClassifiedDocument {
  objects: FoundObject[];
  notes: DocumentNote[];
  /** Documents or list items that are not Kubernetes objects. */
  skipped: number;
}

const KUSTOMIZE_GROUP = 'kustomize.config.k8s.io/';

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (isRecord(value)) return 'a mapping';
  return `a ${typeof value} value`;
}

function looksLikeObject(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.apiVersion === 'string' &&
    value.apiVersion !== '' &&
    typeof value.kind === 'string' &&
    value.kind !== ''
  );
}

/** Why a value is not a Kubernetes object, with the severity it deserves; undefined when it is one. */
function whyNotObject(value: unknown, where: string): Omit<DocumentNote, 'path'> | undefined {
  // Objects written as a bare YAML list: kubectl refuses the file, and they would go unscanned behind a warning.
  const listed = Array.isArray(value) ? value.filter(looksLikeObject).length : 0;
  if (listed > 0)
    return {
      code: 'not-kubernetes',
      severity: 'error',
      message: `${where} is a list holding ${listed === 1 ? 'a Kubernetes object' : `${listed} Kubernetes objects`}, which kubectl refuses: put them under the items of a kind: List, or separate them with ---; not scanned`,
    };
  if (!isRecord(value))
    return {
      code: 'not-kubernetes',
      severity: 'warning',
      message: `${where} is ${describe(value)}, not a Kubernetes object`,
    };
  const { apiVersion, kind, metadata } = value;
  if (apiVersion === undefined && kind === undefined)
    return {
      code: 'not-kubernetes',
      severity: 'info',
      message: `${where} has no apiVersion or kind: not a Kubernetes object (a Helm values file or other configuration?)`,
    };
  if (typeof apiVersion === 'string' && apiVersion.startsWith(KUSTOMIZE_GROUP))
    return {
      code: 'not-kubernetes',
      severity: 'info',
      message: `${where} is a kustomize ${String(kind)} (${apiVersion}): build configuration, not a cluster object; scan the output of \`kubectl kustomize\``,
    };
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '') {
    // A list with a broken header still holds objects: they would go unscanned behind a warning.
    const held = Array.isArray(value.items) ? value.items.filter(looksLikeObject).length : 0;
    return held > 0
      ? {
          code: 'not-kubernetes',
          severity: 'error',
          message: `${where} holds ${held === 1 ? 'a Kubernetes object' : `${held} Kubernetes objects`} in items but is not a list kubectl reads: apiVersion and kind must both be non-empty strings; not scanned`,
        }
      : {
          code: 'not-kubernetes',
          severity: 'warning',
          message: `${where} is not a Kubernetes object: apiVersion and kind must both be non-empty strings`,
        };
  }
  if (!isRecord(metadata) && metadata !== undefined && metadata !== null)
    return {
      code: 'invalid-field-type',
      severity: 'error',
      message: `${where} (${kind}): metadata must be a mapping, got ${describe(metadata)}; not scanned`,
    };
  return undefined;
}

/**
 * An object without metadata (configuration files such as KubeletConfiguration, snippets) is still scanned, with
 * empty metadata, so that nothing in it goes unchecked; a note says kubectl would refuse it for want of a name.
 */
function completeMetadata(
  value: Record<string, unknown>,
  where: string,
  notes: DocumentNote[],
  path: FieldPath,
): KubeObject {
  if (isRecord(value.metadata)) return value as KubeObject;
  notes.push({
    code: 'incomplete-object',
    severity: 'info',
    message: `${where} (${String(value.kind)}) has no metadata: scanned without a name (kubectl would refuse to apply it)`,
    path,
  });
  return { ...value, metadata: {} } as KubeObject;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/**
 * Whether kubectl reads the value as a list and applies its items instead of it. kubectl (unstructured decoding)
 * takes any object with an `items` field for a list, whatever its kind: `kind: ConfigMap` with `items: [<Pod>]`
 * applies the Pod, not the ConfigMap. It needs a kind but no apiVersion; `items: null` is an empty list. Inside a
 * list, only an `items` array makes an item a list (and kubectl 1.32 then refuses the file; Palisade scans on).
 * Palisade's own cluster snapshot is one object here: the scan takes it out and reads it as a snapshot.
 */
function isList(value: Record<string, unknown>, nested: boolean): boolean {
  if (!Object.hasOwn(value, 'items') || !isNonEmptyString(value.kind) || looksLikeSnapshot(value))
    return false;
  if (value.apiVersion !== undefined && typeof value.apiVersion !== 'string') return false;
  return Array.isArray(value.items) || (!nested && value.items === null);
}

/** Sorts a parsed document into objects and notes. Lists nested in lists are flattened. */
export function classifyDocument(value: unknown): ClassifiedDocument {
  const result: ClassifiedDocument = { objects: [], notes: [], skipped: 0 };
  collect(value, [], 'document', result);
  return result;
}

function collect(value: unknown, prefix: FieldPath, where: string, result: ClassifiedDocument): void {
  const nested = prefix.length > 0;
  if (isRecord(value) && isList(value, nested)) {
    collectItems(value, prefix, where, result);
    return;
  }
  if (!nested && isAdmissionReview(value)) {
    const reviewed = reviewedObject(value, where);
    result.notes.push({
      code: 'not-kubernetes',
      severity: reviewed.found ? 'info' : 'warning',
      message: reviewed.message,
      path: reviewed.path,
    });
    if (reviewed.found) collect(reviewed.object, reviewed.path, 'request.object', result);
    else result.skipped++;
    return;
  }
  const problem = whyNotObject(value, where);
  if (problem) {
    result.notes.push({
      ...problem,
      path: problem.code === 'invalid-field-type' ? [...prefix, 'metadata'] : prefix,
    });
    if (problem.code === 'not-kubernetes') result.skipped++;
    return;
  }
  if (!isRecord(value)) return;
  if (Object.hasOwn(value, 'items') && !nested && value.items !== undefined && !looksLikeSnapshot(value))
    result.notes.push({
      code: 'invalid-field-type',
      severity: 'warning',
      message: `${where} (${String(value.kind)}) has an \`items\` field that is ${describe(value.items)}, not a list: kubectl would refuse to read it; scanned as one object`,
      path: [...prefix, 'items'],
    });
  const object = completeMetadata(value, where, result.notes, prefix);
  result.objects.push({ object, prefix });
  noteMiscasedKind(object, where, prefix, result);
  noteUncheckedPodTemplate(object, where, prefix, result);
  noteMisplacedPodSpec(object, where, prefix, result);
  noteRemovedApi(object, where, prefix, result);
}

/** An apiVersion no current API server serves for the kind: applying it fails, so it is said; rules still run. */
function noteRemovedApi(
  object: KubeObject,
  where: string,
  prefix: FieldPath,
  result: ClassifiedDocument,
): void {
  const removed = removedApiMessage(object.kind, object.apiVersion);
  if (removed)
    result.notes.push({
      code: 'removed-api',
      severity: 'warning',
      message: `${where}: ${removed}; scanned as written`,
      path: [...prefix, 'apiVersion'],
    });
}

/** Kinds of the built-in API groups, by lower case: `kind: pod` is refused by kubectl, and no rule checks it. */
const BUILTIN_KINDS = new Map(
  [
    'Pod',
    'Service',
    'ConfigMap',
    'Secret',
    'ServiceAccount',
    'Namespace',
    'Node',
    'PersistentVolume',
    'PersistentVolumeClaim',
    'Endpoints',
    'LimitRange',
    'ResourceQuota',
    'ReplicationController',
    'PodTemplate',
    'Deployment',
    'ReplicaSet',
    'StatefulSet',
    'DaemonSet',
    'ControllerRevision',
    'Job',
    'CronJob',
    'Ingress',
    'IngressClass',
    'NetworkPolicy',
    'Role',
    'ClusterRole',
    'RoleBinding',
    'ClusterRoleBinding',
    'PodDisruptionBudget',
    'StorageClass',
    'CSIDriver',
    'PriorityClass',
    'RuntimeClass',
    'HorizontalPodAutoscaler',
    'ValidatingWebhookConfiguration',
    'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'CustomResourceDefinition',
    'APIService',
    'Lease',
    'EndpointSlice',
  ].map((kind) => [kind.toLowerCase(), kind]),
);

function noteMiscasedKind(
  object: KubeObject,
  where: string,
  prefix: FieldPath,
  result: ClassifiedDocument,
): void {
  const proper = BUILTIN_KINDS.get(object.kind.toLowerCase());
  if (proper === undefined || proper === object.kind) return;
  // A custom resource may be named anything in its own group; built-in groups have no dot or end in .k8s.io.
  const group = object.apiVersion.includes('/')
    ? object.apiVersion.slice(0, object.apiVersion.indexOf('/'))
    : '';
  if (group.includes('.') && !group.endsWith('.k8s.io')) return;
  result.notes.push({
    code: 'invalid-field-type',
    severity: 'warning',
    message: `${where} has kind "${object.kind}": kinds are case-sensitive, so kubectl refuses it (did you mean "${proper}"?); the rules for ${proper} do not check it`,
    path: [...prefix, 'kind'],
  });
}

function collectItems(
  list: Record<string, unknown>,
  prefix: FieldPath,
  where: string,
  result: ClassifiedDocument,
): void {
  const listKind = list.kind as string;
  const items = Array.isArray(list.items) ? list.items : [];
  if (prefix.length > 0)
    result.notes.push({
      code: 'not-kubernetes',
      severity: 'warning',
      message: `${where} is a ${listKind} inside a list: kubectl refuses lists nested in lists; its items are scanned`,
      path: prefix,
    });
  else if (!listKind.endsWith('List'))
    result.notes.push({
      code: 'not-kubernetes',
      severity: 'warning',
      message:
        items.length === 0
          ? `${where} is a ${listKind} with empty \`items\`: kubectl reads it as an empty list and applies nothing, not the ${listKind}`
          : `${where} is a ${listKind} with an \`items\` list: kubectl reads it as a list and applies its ${items.length} item(s), not the ${listKind}; the items are scanned instead`,
      path: [...prefix, 'items'],
    });
  if (items.length === 0)
    result.notes.push({
      code: 'empty-list',
      severity: 'info',
      message: `${listKind} has no items`,
      path: prefix,
    });
  // Typed lists from the API (PodList) leave apiVersion and kind out of their items; kubectl fills them in from the
  // list's kind less a `List` suffix, which for a plain `List` leaves no kind.
  const itemKind = listKind.endsWith('List') ? listKind.slice(0, -'List'.length) : listKind;
  items.forEach((item, index) => {
    let candidate = item;
    if (
      itemKind !== '' &&
      isRecord(item) &&
      !isNonEmptyString(item.kind) &&
      !isNonEmptyString(item.apiVersion)
    )
      candidate = { ...item, apiVersion: list.apiVersion, kind: itemKind };
    collect(candidate, [...prefix, 'items', index], `item ${index} of ${listKind}`, result);
  });
}

/** A pod template in a kind Palisade does not know is reported, never skipped in silence. */
function noteUncheckedPodTemplate(
  object: KubeObject,
  where: string,
  prefix: FieldPath,
  result: ClassifiedDocument,
): void {
  if (isKnownWorkload(object.kind, object.apiVersion)) return;
  for (const path of GENERIC_POD_TEMPLATE_PATHS) {
    const spec = getPath(object, path);
    if (!isRecord(spec) || !Array.isArray(spec.containers)) continue;
    // A group with a dot is a custom resource's, which may reuse a built-in kind's name; a built-in group is a typo.
    // The first group listed is the one that serves the kind today (extensions/v1beta1 is long gone).
    const group = apiGroupOf(object.apiVersion).includes('.') ? undefined : workloadGroupsOf(object.kind)[0];
    const why =
      group === undefined
        ? 'no workload rule knows this kind'
        : `${object.kind} is in the API group ${group === '' ? '"" (apiVersion v1)' : group}, not ${object.apiVersion}, so the API server refuses it: fix apiVersion`;
    result.notes.push({
      code: 'not-scanned',
      severity: 'warning',
      message: `${where} (${object.kind}, ${object.apiVersion}) has a pod template at ${path.join('.')} that Palisade does not check: ${why}`,
      path: [...prefix, ...path],
    });
    return;
  }
}

/**
 * A built-in workload other than a Pod with its containers straight under `spec` (the template left out): the API
 * server refuses it (no template), and no rule sees those containers, so it is said rather than passed in silence.
 */
function noteMisplacedPodSpec(
  object: KubeObject,
  where: string,
  prefix: FieldPath,
  result: ClassifiedDocument,
): void {
  if (object.kind === 'Pod' || workloadGroupsOf(object.kind).length === 0) return;
  if (apiGroupOf(object.apiVersion).includes('.')) return;
  const spec = object.spec;
  if (!isRecord(spec) || !Array.isArray(spec.containers)) return;
  const template =
    object.kind === 'CronJob'
      ? 'spec.jobTemplate.spec.template.spec'
      : object.kind === 'PodTemplate'
        ? 'template.spec'
        : 'spec.template.spec';
  result.notes.push({
    code: 'not-scanned',
    severity: 'warning',
    message: `${where} (${object.kind}, ${object.apiVersion}) has containers directly under spec, where a ${object.kind} describes its pods under ${template}: the API server refuses it, and no rule checks these containers`,
    path: [...prefix, 'spec', 'containers'],
  });
}
