// Roles and ClusterRoles read from the inventory, completed by the default ClusterRoles every cluster has.
import type { Inventory, InventoryEntry } from '../core/inventory.ts';
import { isRecord, namespaceOf } from '../core/kube-object.ts';
import type { LabelSelector } from '../core/label-selector.ts';
import { apiGroupOf } from '../core/pod-spec.ts';
import { DEFAULT_CLUSTER_ROLES, DEFAULT_ROLES, type DefaultRole } from './default-cluster-roles.ts';
import { type PolicyRule, parsePolicyRules } from './policy-rule.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';
export const BOOTSTRAP_VALUE = 'rbac-defaults';

export interface RoleRecord {
  kind: 'Role' | 'ClusterRole';
  /** '' for ClusterRoles. */
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  /** Rules as written (for an aggregated ClusterRole the controller overwrites them, so they do not count). */
  ownRules: readonly PolicyRule[];
  /** Rules the authorizer uses: the own rules, or the aggregation's union. Filled by `resolveAggregation`. */
  rules: PolicyRule[];
  /** For each effective rule, the ClusterRole it comes from (itself unless aggregated). */
  ruleOrigins: string[];
  /** ClusterRoles only: selectors of `aggregationRule.clusterRoleSelectors`. */
  aggregationSelectors?: readonly LabelSelector[];
  /** Where it came from: the scanned inputs, or the built-in catalogue of default ClusterRoles. */
  origin: 'inventory' | 'default';
  entry?: InventoryEntry;
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out[key] = item;
  return out;
}

function selectorsOf(value: unknown): LabelSelector[] | undefined {
  if (!isRecord(value)) return undefined;
  const selectors = value.clusterRoleSelectors;
  return Array.isArray(selectors) ? (selectors.filter(isRecord) as LabelSelector[]) : [];
}

/** True for the roles and bindings Kubernetes creates itself (they carry the bootstrap label). */
export function isBootstrapObject(labels: Readonly<Record<string, string>>): boolean {
  return labels[BOOTSTRAP_LABEL] === BOOTSTRAP_VALUE;
}

const DEFAULT_NAMES = new Set([
  ...DEFAULT_CLUSTER_ROLES.map((role) => `ClusterRole\u0000\u0000${role.name}`),
  ...DEFAULT_ROLES.map((role) => `Role\u0000${role.namespace ?? ''}\u0000${role.name}`),
]);

/**
 * A default role of Kubernetes as the inputs carry it: the bootstrap label on a role of a default name (or a
 * `system:` name, for defaults of other versions). The label alone does not hide a custom role from the rules.
 */
export function isDefaultRole(role: Pick<RoleRecord, 'kind' | 'namespace' | 'name' | 'labels'>): boolean {
  if (!isBootstrapObject(role.labels)) return false;
  return (
    role.name.startsWith('system:') ||
    DEFAULT_NAMES.has(`${role.kind}\u0000${role.namespace}\u0000${role.name}`)
  );
}

export function roleRecordOf(entry: InventoryEntry): RoleRecord | undefined {
  const { object } = entry;
  if (apiGroupOf(object.apiVersion) !== RBAC_GROUP) return undefined;
  if (object.kind !== 'Role' && object.kind !== 'ClusterRole') return undefined;
  const ownRules = parsePolicyRules(object.rules);
  const record: RoleRecord = {
    kind: object.kind,
    namespace: object.kind === 'Role' ? (namespaceOf(object) ?? 'default') : '',
    name: typeof object.metadata.name === 'string' ? object.metadata.name : '',
    labels: stringMap(object.metadata.labels),
    ownRules,
    rules: [],
    ruleOrigins: [],
    origin: 'inventory',
    entry,
  };
  const selectors = object.kind === 'ClusterRole' ? selectorsOf(object.aggregationRule) : undefined;
  if (selectors !== undefined) record.aggregationSelectors = selectors;
  return record;
}

function defaultRoleRecord(role: DefaultRole, kind: RoleRecord['kind']): RoleRecord {
  const record: RoleRecord = {
    kind,
    namespace: role.namespace ?? '',
    name: role.name,
    labels: { ...role.labels, [BOOTSTRAP_LABEL]: BOOTSTRAP_VALUE },
    ownRules: parsePolicyRules(role.rules ?? []),
    rules: [],
    ruleOrigins: [],
    origin: 'default',
  };
  if (role.aggregationRule) record.aggregationSelectors = role.aggregationRule.clusterRoleSelectors;
  return record;
}

export interface RoleSet {
  clusterRoles: Map<string, RoleRecord>;
  /** Keyed `namespace\0name`. */
  roles: Map<string, RoleRecord>;
}

export function roleKey(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}

/** Every role of the inventory, plus the default ClusterRoles the inventory does not redefine. */
export function collectRoles(inventory: Inventory): RoleSet {
  const clusterRoles = new Map<string, RoleRecord>();
  const roles = new Map<string, RoleRecord>();
  for (const role of DEFAULT_CLUSTER_ROLES)
    clusterRoles.set(role.name, defaultRoleRecord(role, 'ClusterRole'));
  for (const role of DEFAULT_ROLES) {
    const record = defaultRoleRecord(role, 'Role');
    roles.set(roleKey(record.namespace, record.name), record);
  }
  for (const kind of ['ClusterRole', 'Role'])
    for (const entry of inventory.ofKind(kind)) {
      const record = roleRecordOf(entry);
      if (!record || record.name === '') continue;
      const map = record.kind === 'ClusterRole' ? clusterRoles : roles;
      const key = record.kind === 'ClusterRole' ? record.name : roleKey(record.namespace, record.name);
      const replaced = map.get(key);
      map.set(key, replaced?.origin === 'default' ? reconciled(record, replaced) : record);
    }
  return { clusterRoles, roles };
}

const AUTOUPDATE = 'rbac.authorization.kubernetes.io/autoupdate';

/**
 * A default role as the API server keeps it when the inputs redefine it: at every start it adds back the rules (and
 * aggregation selectors) of the default that are missing, unless the role is annotated `autoupdate: "false"`. So a
 * `cluster-admin` rewritten to read ConfigMaps still grants everything.
 */
function reconciled(record: RoleRecord, defaults: RoleRecord): RoleRecord {
  const annotations = record.entry?.object.metadata.annotations;
  if (isRecord(annotations) && annotations[AUTOUPDATE] === 'false') return record;
  const written = new Set(record.ownRules.map((rule) => JSON.stringify(rule)));
  const missing = defaults.ownRules.filter((rule) => !written.has(JSON.stringify(rule)));
  const out: RoleRecord = { ...record, ownRules: [...record.ownRules, ...missing] };
  if (defaults.aggregationSelectors && !record.aggregationSelectors)
    out.aggregationSelectors = defaults.aggregationSelectors;
  return out;
}
