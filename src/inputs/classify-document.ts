// Decides what a parsed document is: Kubernetes objects (one, or the items of a List), or something else
// (values files, kustomizations, scalars), which is reported rather than silently dropped.
import { type FieldPath, isRecord, type KubeObject } from '../core/kube-object.ts';

export interface FoundObject {
  object: KubeObject;
  /** Where the object sits in its document: [] for a document, ['items', i] for a list item. */
  prefix: FieldPath;
}

export interface DocumentNote {
  code: 'not-kubernetes' | 'empty-list' | 'invalid-field-type' | 'incomplete-object';
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
  return `a ${typeof value} value`;
}

/** Why a value is not a Kubernetes object, with the severity it deserves; undefined when it is one. */
function whyNotObject(value: unknown, where: string): Omit<DocumentNote, 'path'> | undefined {
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
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '')
    return {
      code: 'not-kubernetes',
      severity: 'warning',
      message: `${where} is not a Kubernetes object: apiVersion and kind must both be non-empty strings`,
    };
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

function isList(value: Record<string, unknown>): boolean {
  return typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items);
}

/** Sorts a parsed document into objects and notes. Lists nested in lists are flattened, as kubectl does. */
export function classifyDocument(value: unknown): ClassifiedDocument {
  const result: ClassifiedDocument = { objects: [], notes: [], skipped: 0 };
  collect(value, [], 'document', result);
  return result;
}

function collect(value: unknown, prefix: FieldPath, where: string, result: ClassifiedDocument): void {
  if (isRecord(value) && isList(value) && typeof value.apiVersion === 'string') {
    const listKind = value.kind as string;
    const items = value.items as unknown[];
    if (items.length === 0)
      result.notes.push({
        code: 'empty-list',
        severity: 'info',
        message: `${listKind} has no items`,
        path: prefix,
      });
    // Typed lists from the API (PodList) leave apiVersion and kind out of their items.
    const itemKind = listKind === 'List' ? undefined : listKind.slice(0, -'List'.length);
    items.forEach((item, index) => {
      let candidate = item;
      if (itemKind && isRecord(item) && item.kind === undefined && item.apiVersion === undefined)
        candidate = { apiVersion: value.apiVersion, kind: itemKind, ...item };
      collect(candidate, [...prefix, 'items', index], `item ${index} of ${listKind}`, result);
    });
    return;
  }
  const problem = whyNotObject(value, where);
  if (problem) {
    result.notes.push({
      ...problem,
      path: problem.code === 'invalid-field-type' ? [...prefix, 'metadata'] : prefix,
    });
    if (problem.code === 'not-kubernetes') result.skipped++;
  } else if (isRecord(value))
    result.objects.push({ object: completeMetadata(value, where, result.notes, prefix), prefix });
}
