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
  binding: string;
  atMs: number;
  auditID: string;
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
  /** ServiceAccount user name -> the binding that makes it powerful. */
  private readonly identityPower: BoundedMap<string, string>;
  private readonly pendingBindings: BoundedMap<string, PendingBinding>;
  private readonly secretReads: BoundedMap<string, number[]>;
  /** RBAC reasons already learned from: controllers repeat the same few thousand times. */
  private readonly seenReasons = new BoundedMap<string, true>(10_000);

  constructor(options: DetectionStateOptions = {}) {
    const capacity = options.capacity ?? 200_000;
    this.threshold = Math.max(1, options.secretBurstThreshold ?? 20);
    this.burstWindowMs = options.secretBurstWindowMs ?? 60_000;
    this.bindingWindowMs = options.bindingUseWindowMs ?? 3_600_000;
    this.allowedSources = options.allowedSources;
    this.pods = new BoundedMap(capacity);
    this.rolePower = new BoundedMap(capacity);
    this.identityPower = new BoundedMap(capacity);
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
      facts.serviceAccountPower = this.identityPower.get(`system:serviceaccount:${namespace}:${name}`);
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
      if (verb === 'delete') {
        const key = roleKey(kind, at(event, 'objectRef', 'namespace'), at(event, 'objectRef', 'name'));
        if (
          key !== undefined &&
          !(
            kind === 'ClusterRole' &&
            (at(event, 'objectRef', 'name') as string) in BUILTIN_POWERFUL_CLUSTER_ROLES
          )
        )
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
    if (
      (resource === 'clusterrolebindings' || resource === 'rolebindings') &&
      (verb === 'create' || verb === 'update' || verb === 'patch')
    ) {
      const object = isRecord(response) && isRecord(response.roleRef) ? response : request;
      if (isRecord(object))
        facts.boundRolePower = this.learnBinding(
          object,
          event,
          at(event, 'objectRef', 'namespace') as string | undefined,
        );
    }
  }

  /** RBAC's "allowed by ... to ServiceAccount/User/Group" reason reveals bindings the stream never showed being created. */
  private learnFromAuthorization(event: AuditEvent): void {
    const reason = at(event, 'annotations', 'authorization.k8s.io/reason');
    if (typeof reason !== 'string' || !reason.startsWith('RBAC: allowed by ') || this.seenReasons.has(reason))
      return;
    this.seenReasons.set(reason, true);
    const match = RBAC_REASON.exec(reason);
    if (match === null) return;
    const [, bindingKind, bindingName, roleKind, roleName, subjectKind, subject] = match;
    const namespace = at(event, 'objectRef', 'namespace');
    const key = roleKey(roleKind, roleKind === 'Role' ? namespace : undefined, roleName);
    const power = key === undefined ? undefined : this.rolePower.get(key);
    if (power === undefined || subject === undefined) return;
    let identity = subject;
    if (subjectKind === 'ServiceAccount') {
      const [name, saNamespace] = subject.split('/');
      identity = `system:serviceaccount:${saNamespace}:${name}`;
    } else if (subjectKind === 'Group') identity = `group:${subject}`;
    if (!this.identityPower.has(identity))
      this.identityPower.set(identity, `${bindingKind} ${bindingName} -> ${roleKind} ${roleName} (${power})`);
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
    const power = key === undefined ? undefined : this.rolePower.get(key);
    if (power === undefined) return undefined;
    const bindingName = `${isClusterBinding ? 'ClusterRoleBinding' : `RoleBinding ${namespace ?? ''}/`}${isClusterBinding ? ' ' : ''}${String(at(object, 'metadata', 'name') ?? at(event, 'objectRef', 'name') ?? '?')}`;
    const description = `${bindingName} -> ${String(roleRef.kind)} ${String(roleRef.name)} (${power})`;
    for (const identity of subjectIdentities(object.subjects, namespace)) {
      this.identityPower.set(identity, description);
      if (event !== undefined) {
        const atMs = eventTimeMs(event) ?? 0;
        this.pendingBindings.set(identity, { binding: description, atMs, auditID: event.auditID });
      }
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
      if ((eventTimeMs(event) ?? 0) - pending.atMs <= this.bindingWindowMs) return pending.binding;
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
