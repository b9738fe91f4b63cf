// What the detection engine remembers across events, so rules can see what Falco's stateless engine cannot:
// pod specs (from creates, updates, list responses and snapshots), role power and bindings, Secret read
// bursts per identity and powerful bindings awaiting their first use.
// Windows use event time, so replaying a log gives the same answers as watching it live.
import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import { type AuditEvent, eventTimeMs } from '../audit-event.ts';
import { at } from '../fields/json-access.ts';
import { BoundedMap } from './bounded-map.ts';
import type { EventFacts } from './event-facts.ts';
import { mergeProfiles, type PodProfile, profileOfSpec } from './pod-profile.ts';
import { BUILTIN_POWERFUL_CLUSTER_ROLES, rolePowerOfRules } from './role-power.ts';
import type { SourceRanges } from './source-ranges.ts';

export interface DetectionStateOptions {
  /** Secret reads by one identity within the window that make a burst. Default 20. */
  secretBurstThreshold?: number;
  secretBurstWindowMs?: number;
  /** How long a new powerful binding waits for its first use. Default one hour. */
  bindingUseWindowMs?: number;
  allowedSources?: SourceRanges;
  /** Upper bound for every per-key table (pods, requests, identities). Default 200,000. */
  capacity?: number;
}

interface PendingBinding {
  bindingKey: string;
  atMs: number;
  auditID: string;
}

/** One (Cluster)RoleBinding as last seen: its power is looked up when asked, so a changed or deleted role counts. */
interface BindingGrant {
  /** `ClusterRoleBinding name` or `RoleBinding ns/name`, for alert text. */
  label: string;
  roleKey: string;
  roleLabel: string;
  identities: string[];
}

const RBAC_REASON =
  /^RBAC: allowed by (ClusterRoleBinding|RoleBinding) "([^"]+)" of (ClusterRole|Role) "([^"]+)" to (ServiceAccount|User|Group) "([^"]+)"/;
const RESPONSE_STAGES = new Set(['ResponseStarted', 'ResponseComplete', 'Panic']);
const SECRET_READ_VERBS = new Set(['get', 'list', 'watch']);

function podKey(namespace: unknown, name: unknown): string | undefined {
  return typeof namespace === 'string' && typeof name === 'string' ? `${namespace}/${name}` : undefined;
}

function roleKey(kind: unknown, namespace: unknown, name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  if (kind === 'ClusterRole') return `ClusterRole/${name}`;
  if (kind === 'Role' && typeof namespace === 'string') return `Role/${namespace}/${name}`;
  return undefined;
}

function bindingKey(cluster: boolean, namespace: unknown, name: string): string {
  return cluster ? `ClusterRoleBinding/${name}` : `RoleBinding/${String(namespace ?? '')}/${name}`;
}

/**
 * What a successful delete or deletecollection removed, as names; `all` when a deletecollection without
 * selectors emptied the scope; undefined when it cannot be told (a selector, and no list in the response).
 */
function deletedNames(event: AuditEvent): string[] | 'all' | undefined {
  const name = at(event, 'objectRef', 'name');
  if (event.verb === 'delete') return typeof name === 'string' ? [name] : undefined;
  if (event.verb !== 'deletecollection') return undefined;
  const items = at(event, 'responseObject', 'items');
  if (Array.isArray(items))
    return items.flatMap((item) => {
      const itemName = at(item, 'metadata', 'name');
      return typeof itemName === 'string' ? [itemName] : [];
    });
  const uri = typeof event.requestURI === 'string' ? event.requestURI : '';
  return /[?&](labelSelector|fieldSelector)=[^&]/.test(uri) ? undefined : 'all';
}

/** Keys (`prefix` + name) of what a delete or deletecollection removed among the keys of `known`. */
function deletedKeys(event: AuditEvent, known: BoundedMap<string, unknown>, prefix: string): string[] {
  const names = deletedNames(event);
  if (names === 'all')
    return [...known.entries()].map(([key]) => key).filter((key) => key.startsWith(prefix));
  return (names ?? []).map((name) => `${prefix}${name}`);
}

function succeeded(event: AuditEvent): boolean {
  const code = at(event, 'responseStatus', 'code');
  return typeof code === 'number' && code >= 200 && code < 300;
}

/** Subjects of a binding as identities: users and groups by name, ServiceAccounts as their user names. */
function subjectIdentities(subjects: unknown, bindingNamespace: string | undefined): string[] {
  if (!Array.isArray(subjects)) return [];
  const out: string[] = [];
  for (const subject of subjects) {
    if (!isRecord(subject) || typeof subject.name !== 'string') continue;
    if (subject.kind === 'ServiceAccount') {
      const namespace = typeof subject.namespace === 'string' ? subject.namespace : bindingNamespace;
      if (namespace !== undefined) out.push(`system:serviceaccount:${namespace}:${subject.name}`);
    } else if (subject.kind === 'Group') out.push(`group:${subject.name}`);
    else out.push(subject.name);
  }
  return out;
}

export class DetectionState {
  private readonly threshold: number;
  private readonly burstWindowMs: number;
  private readonly bindingWindowMs: number;
  private readonly allowedSources: SourceRanges | undefined;
  private readonly pods: BoundedMap<string, PodProfile>;
  private readonly rolePower: BoundedMap<string, string>;
  /** Binding key (bindingKey()) -> what it grants to whom. */
  private readonly bindings: BoundedMap<string, BindingGrant>;
  /** Identity (user name, or `group:` and the group) -> keys of the bindings naming it. */
  private readonly identityBindings: BoundedMap<string, Set<string>>;
  private readonly pendingBindings: BoundedMap<string, PendingBinding>;
  private readonly secretReads: BoundedMap<string, number[]>;
  /** RBAC reasons already learned from (-> the binding's key): controllers repeat the same few thousand times. */
  private readonly seenReasons = new BoundedMap<string, string>(10_000);

  constructor(options: DetectionStateOptions = {}) {
    const capacity = options.capacity ?? 200_000;
    this.threshold = Math.max(1, options.secretBurstThreshold ?? 20);
    this.burstWindowMs = options.secretBurstWindowMs ?? 60_000;
    this.bindingWindowMs = options.bindingUseWindowMs ?? 3_600_000;
    this.allowedSources = options.allowedSources;
    this.pods = new BoundedMap(capacity);
    this.rolePower = new BoundedMap(capacity);
    this.bindings = new BoundedMap(capacity);
    this.identityBindings = new BoundedMap(capacity);
    this.pendingBindings = new BoundedMap(capacity);
    this.secretReads = new BoundedMap(capacity);
    for (const [name, reason] of Object.entries(BUILTIN_POWERFUL_CLUSTER_ROLES))
      this.rolePower.set(`ClusterRole/${name}`, reason);
  }

  get knownPods(): number {
    return this.pods.size;
  }

  /** Learns pods, roles and bindings from a snapshot (manifests or `kubectl get -o yaml` output). */
  learnObject(object: KubeObject): void {
    const meta = object.metadata;
    switch (object.kind) {
      case 'Pod': {
        const key = podKey(meta?.namespace ?? 'default', meta?.name);
        const profile = profileOfSpec(object.spec, 'snapshot');
        if (key !== undefined && profile !== undefined) this.pods.set(key, profile);
        return;
      }
      case 'ClusterRole':
      case 'Role':
        this.learnRole(object.kind, meta?.namespace, meta?.name, (object as Record<string, unknown>).rules);
        return;
      case 'ClusterRoleBinding':
      case 'RoleBinding':
        this.learnBinding(object as Record<string, unknown>, undefined, undefined);
        return;
      default:
    }
  }

  /** `firstResponse`: this is the request's first response-carrying stage (the deduplicator knows). */
  observe(event: AuditEvent, firstResponse: boolean): EventFacts {
    const facts: EventFacts = {
      firstResponse,
      targetPod: undefined,
      secretReadBurst: undefined,
      recentPowerfulBinding: undefined,
      boundRolePower: undefined,
      serviceAccountPower: undefined,
      unexpectedSourceIp: undefined,
    };
    const isResponse = RESPONSE_STAGES.has(event.stage);
    const resource = at(event, 'objectRef', 'resource');
    const subresource = at(event, 'objectRef', 'subresource');
    const namespace = at(event, 'objectRef', 'namespace');
    const name = at(event, 'objectRef', 'name');
    if (resource === 'pods') {
      const key = podKey(namespace, name);
      if (key !== undefined) facts.targetPod = this.pods.get(key);
    }
    if (isResponse && succeeded(event)) this.learnFromEvent(event, resource, subresource, facts);
    this.learnFromAuthorization(event);
    if (resource === 'pods' && facts.targetPod === undefined) {
      const key = podKey(namespace, name);
      if (key !== undefined) facts.targetPod = this.pods.get(key);
    }
    if (
      resource === 'serviceaccounts' &&
      subresource === 'token' &&
      typeof namespace === 'string' &&
      typeof name === 'string'
    )
      // The token authenticates as the ServiceAccount and with its groups: a binding to any of them counts.
      facts.serviceAccountPower = this.powerOfAny([
        `system:serviceaccount:${namespace}:${name}`,
        `group:system:serviceaccounts:${namespace}`,
        'group:system:serviceaccounts',
        'group:system:authenticated',
      ]);
    if (facts.firstResponse) {
      facts.recentPowerfulBinding = this.firstUseOfBinding(event);
      if (resource === 'secrets' && SECRET_READ_VERBS.has(String(event.verb)))
        facts.secretReadBurst = this.countSecretRead(event);
    }
    if (this.allowedSources !== undefined) {
      const ips = event.sourceIPs;
      if (Array.isArray(ips)) {
        const outside = ips.find((ip) => typeof ip === 'string' && !this.allowedSources!.allows(ip));
        if (typeof outside === 'string') facts.unexpectedSourceIp = outside;
      }
    }
    return facts;
  }

  private learnFromEvent(
    event: AuditEvent,
    resource: unknown,
    subresource: unknown,
    facts: EventFacts,
  ): void {
    const verb = event.verb;
    const response = event.responseObject;
    const request = event.requestObject;
    if (resource === 'pods') {
      const key = podKey(
        at(event, 'objectRef', 'namespace'),
        at(event, 'objectRef', 'name') ?? at(response, 'metadata', 'name'),
      );
      if (verb === 'delete' && subresource === undefined) {
        if (key !== undefined) this.pods.delete(key);
        return;
      }
      if (verb === 'get' && subresource === undefined && isRecord(response) && response.kind === 'Pod') {
        const profile = profileOfSpec(response.spec, 'stream');
        if (key !== undefined && profile !== undefined) this.pods.set(key, profile);
        return;
      }
      if (verb === 'list' && isRecord(response) && Array.isArray(response.items)) {
        for (const item of response.items) {
          const itemKey = podKey(at(item, 'metadata', 'namespace'), at(item, 'metadata', 'name'));
          const profile = profileOfSpec(at(item, 'spec'), 'stream');
          if (itemKey !== undefined && profile !== undefined) this.pods.set(itemKey, profile);
        }
        return;
      }
      if (verb === 'create' || verb === 'update' || verb === 'patch') {
        if (subresource !== undefined && subresource !== 'ephemeralcontainers') return;
        const fromResponse =
          isRecord(response) && response.kind === 'Pod' ? profileOfSpec(response.spec, 'stream') : undefined;
        const fromRequest = profileOfSpec(at(request, 'spec'), 'stream');
        const profile =
          fromResponse ??
          (subresource === undefined
            ? fromRequest
            : fromRequest && mergeProfiles(key ? this.pods.get(key) : undefined, fromRequest));
        const createdKey =
          key ?? podKey(at(event, 'objectRef', 'namespace'), at(response, 'metadata', 'name'));
        if (createdKey !== undefined && profile !== undefined) this.pods.set(createdKey, profile);
      }
      return;
    }
    if (resource === 'clusterroles' || resource === 'roles') {
      const kind = resource === 'clusterroles' ? 'ClusterRole' : 'Role';
      if (verb === 'delete' || verb === 'deletecollection') {
        const namespace = at(event, 'objectRef', 'namespace');
        const prefix = kind === 'ClusterRole' ? 'ClusterRole/' : `Role/${String(namespace)}/`;
        for (const key of deletedKeys(event, this.rolePower, prefix))
          if (!(kind === 'ClusterRole' && key.slice(prefix.length) in BUILTIN_POWERFUL_CLUSTER_ROLES))
            this.rolePower.delete(key);
        return;
      }
      const object = isRecord(response) && Array.isArray(response.rules) ? response : request;
      if (verb === 'create' || verb === 'update' || verb === 'patch')
        this.learnRole(
          kind,
          at(event, 'objectRef', 'namespace'),
          at(event, 'objectRef', 'name') ?? at(object, 'metadata', 'name'),
          at(object, 'rules'),
        );
      return;
    }
    if (resource === 'clusterrolebindings' || resource === 'rolebindings') {
      if (verb === 'delete' || verb === 'deletecollection') {
        this.forgetBindings(event, resource === 'clusterrolebindings');
        return;
      }
      if (verb !== 'create' && verb !== 'update' && verb !== 'patch') return;
      const object = isRecord(response) && isRecord(response.roleRef) ? response : request;
      if (isRecord(object))
        facts.boundRolePower = this.learnBinding(
          object,
          event,
          at(event, 'objectRef', 'namespace') as string | undefined,
        );
    }
  }

  /** A deleted binding grants nothing any more. */
  private forgetBindings(event: AuditEvent, cluster: boolean): void {
    const namespace = at(event, 'objectRef', 'namespace');
    const prefix = cluster ? 'ClusterRoleBinding/' : `RoleBinding/${String(namespace ?? '')}/`;
    for (const key of deletedKeys(event, this.bindings, prefix)) this.dropBinding(key);
  }

  private dropBinding(key: string): void {
    const grant = this.bindings.get(key);
    if (grant === undefined) return;
    this.bindings.delete(key);
    for (const identity of grant.identities) {
      const keys = this.identityBindings.get(identity);
      keys?.delete(key);
      if (keys?.size === 0) this.identityBindings.delete(identity);
      if (this.pendingBindings.get(identity)?.bindingKey === key) this.pendingBindings.delete(identity);
    }
  }

  private storeBinding(key: string, grant: BindingGrant): void {
    this.dropBinding(key);
    this.bindings.set(key, grant);
    for (const identity of grant.identities) {
      const keys = this.identityBindings.get(identity) ?? new Set<string>();
      keys.add(key);
      this.identityBindings.set(identity, keys);
    }
  }

  /** Why the binding makes `identity` powerful now (it still names it, its role is still powerful), or undefined. */
  private grantPower(key: string, identity: string): string | undefined {
    const grant = this.bindings.get(key);
    if (grant === undefined || !grant.identities.includes(identity)) return undefined;
    const power = this.rolePower.get(grant.roleKey);
    return power === undefined ? undefined : `${grant.label} -> ${grant.roleLabel} (${power})`;
  }

  private powerOfAny(identities: readonly string[]): string | undefined {
    for (const identity of identities)
      for (const key of this.identityBindings.get(identity) ?? []) {
        const power = this.grantPower(key, identity);
        if (power !== undefined) return power;
      }
    return undefined;
  }

  /** RBAC's "allowed by ... to ServiceAccount/User/Group" reason reveals bindings the stream never showed being created. */
  private learnFromAuthorization(event: AuditEvent): void {
    const reason = at(event, 'annotations', 'authorization.k8s.io/reason');
    if (typeof reason !== 'string' || !reason.startsWith('RBAC: allowed by ')) return;
    const seen = this.seenReasons.get(reason);
    // Learned again once its binding was deleted: the API server says it exists again.
    if (seen !== undefined && (seen === '' || this.bindings.has(seen))) return;
    const match = RBAC_REASON.exec(reason);
    this.seenReasons.set(reason, '');
    if (match === null) return;
    const [, bindingKind, bindingName, roleKind, roleName, subjectKind, subject] = match;
    const namespace = at(event, 'objectRef', 'namespace');
    const key = roleKey(roleKind, roleKind === 'Role' ? namespace : undefined, roleName);
    if (key === undefined || subject === undefined || bindingName === undefined) return;
    let identity = subject;
    if (subjectKind === 'ServiceAccount') {
      const [name, saNamespace] = subject.split('/');
      identity = `system:serviceaccount:${saNamespace}:${name}`;
    } else if (subjectKind === 'Group') identity = `group:${subject}`;
    const cluster = bindingKind === 'ClusterRoleBinding';
    const bKey = bindingKey(cluster, namespace, bindingName);
    this.seenReasons.set(reason, bKey);
    const known = this.bindings.get(bKey);
    // A binding seen whole (stream or snapshot) knows its subjects better than one reason does.
    if (known !== undefined && known.roleKey === key) {
      if (!known.identities.includes(identity))
        this.storeBinding(bKey, { ...known, identities: [...known.identities, identity] });
      return;
    }
    this.storeBinding(bKey, {
      label: cluster
        ? `ClusterRoleBinding ${bindingName}`
        : `RoleBinding ${String(namespace ?? '')}/${bindingName}`,
      roleKey: key,
      roleLabel: `${roleKind} ${roleName}`,
      identities: [identity],
    });
  }

  private learnRole(kind: string, namespace: unknown, name: unknown, rules: unknown): void {
    const key = roleKey(kind, namespace, name);
    if (key === undefined) return;
    const builtin =
      kind === 'ClusterRole' && typeof name === 'string' ? BUILTIN_POWERFUL_CLUSTER_ROLES[name] : undefined;
    const power = builtin ?? rolePowerOfRules(rules);
    if (power === undefined) this.rolePower.delete(key);
    else this.rolePower.set(key, power);
  }

  /** Records who a powerful binding empowers; returns why its role is powerful, or undefined. */
  private learnBinding(
    object: Record<string, unknown>,
    event: AuditEvent | undefined,
    eventNamespace: string | undefined,
  ): string | undefined {
    const roleRef = object.roleRef;
    if (!isRecord(roleRef)) return undefined;
    const namespace = (at(object, 'metadata', 'namespace') as string | undefined) ?? eventNamespace;
    const isClusterBinding =
      object.kind === 'ClusterRoleBinding' ||
      (event !== undefined && at(event, 'objectRef', 'resource') === 'clusterrolebindings');
    const key = roleKey(roleRef.kind, roleRef.kind === 'Role' ? namespace : undefined, roleRef.name);
    const name = String(at(object, 'metadata', 'name') ?? at(event, 'objectRef', 'name') ?? '?');
    const bKey = bindingKey(isClusterBinding, namespace, name);
    if (key === undefined) {
      this.dropBinding(bKey);
      return undefined;
    }
    // Every binding is kept, powerful or not: a role made powerful later makes its subjects powerful.
    const identities = subjectIdentities(object.subjects, namespace);
    this.storeBinding(bKey, {
      label: isClusterBinding ? `ClusterRoleBinding ${name}` : `RoleBinding ${namespace ?? ''}/${name}`,
      roleKey: key,
      roleLabel: `${String(roleRef.kind)} ${String(roleRef.name)}`,
      identities,
    });
    const power = this.rolePower.get(key);
    if (power === undefined) return undefined;
    if (event !== undefined) {
      const atMs = eventTimeMs(event) ?? 0;
      for (const identity of identities)
        this.pendingBindings.set(identity, { bindingKey: bKey, atMs, auditID: event.auditID });
    }
    return power;
  }

  private firstUseOfBinding(event: AuditEvent): string | undefined {
    if (this.pendingBindings.size === 0) return undefined;
    const username = at(event, 'impersonatedUser', 'username') ?? at(event, 'user', 'username');
    const groups = at(event, 'impersonatedUser', 'groups') ?? at(event, 'user', 'groups');
    const candidates: string[] = [];
    if (typeof username === 'string') candidates.push(username);
    if (Array.isArray(groups))
      for (const group of groups) if (typeof group === 'string') candidates.push(`group:${group}`);
    for (const identity of candidates) {
      const pending = this.pendingBindings.get(identity);
      if (pending === undefined || pending.auditID === event.auditID) continue;
      this.pendingBindings.delete(identity);
      const power = this.grantPower(pending.bindingKey, identity);
      if (power !== undefined && (eventTimeMs(event) ?? 0) - pending.atMs <= this.bindingWindowMs)
        return power;
    }
    return undefined;
  }

  private countSecretRead(event: AuditEvent): number | undefined {
    const identity = at(event, 'impersonatedUser', 'username') ?? at(event, 'user', 'username');
    if (typeof identity !== 'string') return undefined;
    const nowMs = eventTimeMs(event) ?? 0;
    const times = (this.secretReads.get(identity) ?? []).filter((t) => nowMs - t <= this.burstWindowMs);
    times.push(nowMs);
    if (times.length >= this.threshold) {
      this.secretReads.set(identity, []);
      return times.length;
    }
    this.secretReads.set(identity, times);
    return undefined;
  }
}
