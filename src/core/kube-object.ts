// The Kubernetes object model shared by every input (files, cluster, admission) and every rule.

/** A path to a field inside an object, e.g. ['spec', 'containers', 0, 'image']. */
export type FieldPath = readonly (string | number)[];

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** A decoded Kubernetes object. Only apiVersion, kind and metadata are guaranteed to have their shape. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Identifies an object the way `kubectl` does. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export function refOf(object: KubeObject): ObjectRef {
  const ref: ObjectRef = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: scalarText(object.metadata.name) ?? scalarText(object.metadata.generateName) ?? '',
  };
  const namespace = scalarText(object.metadata.namespace);
  if (namespace !== undefined) ref.namespace = namespace;
  return ref;
}

/**
 * A scalar as text, never through a value's own `toString` (a hostile `{"toString": 0}` throws when converted). A
 * number or boolean where a name belongs (`name: 7`) is reported by the loader as a wrong type, and the object is
 * still scanned: its reference and messages must be text all the same, or every output would break.
 */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

/**
 * Any field value as text for a message: scalars as they are, a mapping or list where a scalar belongs as its JSON
 * cut to `max` characters. Never through the value's own `toString`, which a hostile `{"toString": 0}` makes throw.
 */
export function valueText(value: unknown, max = 80): string {
  const scalar = scalarText(value);
  if (scalar !== undefined) return scalar;
  if (value === undefined || value === null) return String(value);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    // Nested too deep for the stack: its type says enough.
  }
  if (json === undefined) return typeof value;
  return json.length > max ? `${json.slice(0, max - 3)}...` : json;
}

/** The object's name as text for messages and lookups: '' when it is missing or not a scalar. */
export function nameOf(object: KubeObject): string {
  return scalarText(object.metadata.name) ?? '';
}

/** `Kind/namespace/name` (or `Kind/name` for objects without a namespace). */
export function formatRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

// The same paths recur across thousands of objects (every Deployment's containers[0].securityContext...): one
// string instance each, so that hundreds of thousands of findings do not each keep their own copy.
const MAX_INTERNED_PATHS = 50_000;

/** `/^[A-Za-z_$][\w$-]*$/` without a regular expression: this runs for every part of every finding's path. */
function isPlainName(part: string): boolean {
  const length = part.length;
  if (length === 0) return false;
  for (let i = 0; i < length; i++) {
    const c = part.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
    if (letter || (i > 0 && ((c >= 48 && c <= 57) || c === 45))) continue;
    return false;
  }
  return true;
}

/** One path part in Kubernetes notation; `first` when nothing precedes it (no leading dot). */
function pathSegment(part: string | number, first: boolean): string {
  if (typeof part === 'number') return `[${part}]`;
  // Keys that are not plain names (annotation and label keys: `seccomp.security.alpha.kubernetes.io/pod`) go in
  // brackets, as in Kubernetes' own field errors, so that the path stays unambiguous.
  if (!isPlainName(part)) return `[${part}]`;
  return first ? part : `.${part}`;
}

function formatUncached(path: FieldPath): string {
  let text = '';
  for (const part of path) text += pathSegment(part, text === '');
  return text;
}

interface PathNode {
  text: string;
  children: Map<string | number, PathNode> | undefined;
}

const pathRoot: PathNode = { text: '', children: undefined };
let pathNodes = 0;

/** `spec.containers[0].image`: the notation Kubernetes uses in its own field errors. */
export function formatPath(path: FieldPath): string {
  // A trie of the paths seen so far: formatting a known path is a few map lookups and allocates nothing.
  let node = pathRoot;
  // Indexed loops here and in getPath: both run for every rule of every object, and a for-of allocates an
  // iterator result per step until the optimising compiler has taken the function over, late in a cold scan.
  for (let index = 0; index < path.length; index++) {
    const part = path[index] as string | number;
    let child = node.children?.get(part);
    if (child === undefined) {
      if (pathNodes >= MAX_INTERNED_PATHS) return formatUncached(path);
      child = { text: node.text + pathSegment(part, node.text === ''), children: undefined };
      node.children ??= new Map();
      node.children.set(part, child);
      pathNodes++;
    }
    node = child;
  }
  return node.text;
}

/** The object's namespace, or undefined when it has none (it gets one at apply time, or is cluster-scoped). */
export function namespaceOf(object: KubeObject): string | undefined {
  const namespace = object.metadata.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a nested field; undefined when any step is missing or of the wrong type. */
export function getPath(root: unknown, path: FieldPath): unknown {
  let current: unknown = root;
  for (let index = 0; index < path.length; index++) {
    const part = path[index] as string | number;
    if (typeof part === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[part];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[part];
    }
  }
  return current;
}

/** A value is a Kubernetes object when it has string apiVersion and kind and (if present) an object metadata. */
export function isKubeObject(value: unknown): value is KubeObject {
  return (
    isRecord(value) &&
    typeof value.apiVersion === 'string' &&
    value.apiVersion !== '' &&
    typeof value.kind === 'string' &&
    value.kind !== '' &&
    isRecord(value.metadata)
  );
}
