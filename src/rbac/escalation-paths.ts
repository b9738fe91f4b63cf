// Privilege-escalation paths: from a subject (a workload's ServiceAccount, or any named subject) through the moves its
// grants allow (run pods as other ServiceAccounts, exec, tokens, impersonation, escalate/bind, CSRs...) to
// cluster-admin-equivalent power. One backward breadth-first search from cluster-admin gives every principal's
// shortest path at once, so asking for all workloads costs no more than asking for one.
import type { Inventory } from '../core/inventory.ts';
import { isRecord } from '../core/kube-object.ts';
import { describeEvidence, type Move, type MoveTarget, movesOf } from './escalation-capabilities.ts';
import type { Grant } from './rbac-index.ts';
import { RbacIndex } from './rbac-index.ts';
import {
  formatSubject,
  identityOfSubject,
  type Subject,
  serviceAccountOfUser,
  subjectKey,
} from './subject.ts';
import { workloadAccounts } from './workload-accounts.ts';

export interface EscalationStep {
  /** The subject acting in this step. */
  subject: Subject;
  action: string;
  /** The subject it becomes; undefined for the last step, which reaches cluster-admin. */
  becomes?: Subject;
  /** `RoleBinding ns/b -> ClusterRole edit (rules[3])` for each binding that allows the step. */
  grantedBy: string[];
  /** Extra objects the step goes through (the workload whose token is read, the token Secret). */
  via?: string;
}

export interface EscalationPath {
  start: Subject;
  /** Workloads that run as the start ServiceAccount with its token mounted. */
  workloads: string[];
  steps: EscalationStep[];
}

const GOAL = 'cluster-admin';
const ENFORCING = new Set(['baseline', 'restricted']);

interface Edge {
  to: string;
  move: Move | undefined;
  /** For edges out of a set of ServiceAccounts: why this member is in the set. */
  via?: string;
}

class EscalationGraph {
  readonly #inventory: Inventory;
  readonly #index: RbacIndex;
  readonly principals = new Map<string, Subject>();
  readonly #edges = new Map<string, Edge[]>();
  readonly #accountsByNamespace = new Map<string, Set<string>>();
  /** Principals whose moves are computed: lazily, so that a search from one subject computes only what it reaches. */
  readonly #expanded = new Set<string>();
  readonly #enforced = new Map<string, boolean>();

  constructor(inventory: Inventory, extra: readonly Subject[]) {
    this.#inventory = inventory;
    this.#index = RbacIndex.of(inventory);
    this.#collectPrincipals(extra);
    this.#buildSets();
  }

  #addPrincipal(subject: Subject): string {
    const key = subjectKey(subject);
    if (!this.principals.has(key)) {
      this.principals.set(key, subject);
      if (subject.kind === 'ServiceAccount') {
        const set = this.#accountsByNamespace.get(subject.namespace) ?? new Set();
        set.add(key);
        this.#accountsByNamespace.set(subject.namespace, set);
      }
    }
    return key;
  }

  #collectPrincipals(extra: readonly Subject[]): void {
    const namespaces = new Set<string>();
    for (const entry of this.#inventory.entries) if (entry.ref.namespace) namespaces.add(entry.ref.namespace);
    for (const entry of this.#inventory.ofKind('Namespace')) namespaces.add(entry.ref.name);
    for (const entry of this.#inventory.ofKind('ServiceAccount'))
      this.#addPrincipal({
        kind: 'ServiceAccount',
        namespace: entry.ref.namespace ?? 'default',
        name: entry.ref.name,
      });
    for (const account of workloadAccounts(this.#inventory)) {
      namespaces.add(account.namespace);
      this.#addPrincipal({
        kind: 'ServiceAccount',
        namespace: account.namespace,
        name: account.serviceAccount,
      });
    }
    for (const binding of this.#index.bindings) {
      if (binding.namespace !== '') namespaces.add(binding.namespace);
      for (const subject of binding.subjects)
        if (subject && (subject.kind !== 'ServiceAccount' || subject.namespace !== ''))
          this.#addPrincipal(subject);
    }
    for (const namespace of namespaces)
      this.#addPrincipal({ kind: 'ServiceAccount', namespace, name: 'default' });
    for (const subject of extra) this.#addPrincipal(subject);
  }

  #edge(from: string, edge: Edge): void {
    const list = this.#edges.get(from);
    if (list) list.push(edge);
    else this.#edges.set(from, [edge]);
  }

  /** Set nodes: "any ServiceAccount of ns", "the running ServiceAccounts of ns", "the node-wide ones", tokens. */
  #buildSets(): void {
    for (const [namespace, keys] of this.#accountsByNamespace)
      for (const key of keys) {
        this.#edge(`any:${namespace}`, { to: key, move: undefined });
        this.#edge('any:*', { to: key, move: undefined });
      }
    // One edge per ServiceAccount (the first workload that carries its token), not one per pod.
    const carried = new Set<string>();
    for (const account of workloadAccounts(this.#inventory)) {
      if (!account.tokenMounted) continue;
      const key = subjectKey({
        kind: 'ServiceAccount',
        namespace: account.namespace,
        name: account.serviceAccount,
      });
      const id = `${key}\u0000${account.onEveryNode}`;
      if (carried.has(id)) continue;
      carried.add(id);
      const via = `${account.workload.kind} ${account.namespace}/${account.workload.name}`;
      this.#edge(`running:${account.namespace}`, { to: key, move: undefined, via });
      this.#edge('running:*', { to: key, move: undefined, via });
      if (account.onEveryNode) this.#edge('nodes', { to: key, move: undefined, via });
    }
    for (const entry of this.#inventory.ofKind('Secret')) {
      const object = entry.object;
      if (object.type !== 'kubernetes.io/service-account-token') continue;
      const annotations = isRecord(object.metadata.annotations) ? object.metadata.annotations : {};
      const account = annotations['kubernetes.io/service-account.name'];
      if (typeof account !== 'string' || account === '') continue;
      const namespace = entry.ref.namespace ?? 'default';
      const key = this.#addPrincipalLate({ kind: 'ServiceAccount', namespace, name: account });
      const via = `Secret ${namespace}/${entry.ref.name}`;
      this.#edge(`secrets:${namespace}`, { to: key, move: undefined, via });
      this.#edge('secrets:*', { to: key, move: undefined, via });
      this.#edge(`secret:${namespace}/${entry.ref.name}`, { to: key, move: undefined, via });
      this.#edge(`secret:*/${entry.ref.name}`, { to: key, move: undefined, via });
    }
  }

  #addPrincipalLate(subject: Subject): string {
    const known = this.principals.has(subjectKey(subject));
    const key = this.#addPrincipal(subject);
    if (!known) {
      this.#edge(`any:${subject.namespace}`, { to: key, move: undefined });
      this.#edge('any:*', { to: key, move: undefined });
    }
    return key;
  }

  #isEnforced(namespace: string): boolean {
    if (namespace === '*') return false;
    let enforced = this.#enforced.get(namespace);
    if (enforced === undefined) {
      enforced = this.#readEnforcement(namespace);
      this.#enforced.set(namespace, enforced);
    }
    return enforced;
  }

  #readEnforcement(namespace: string): boolean {
    const object = this.#inventory.get('Namespace', undefined, namespace)?.object;
    const labels = object && isRecord(object.metadata.labels) ? object.metadata.labels : {};
    const level = labels['pod-security.kubernetes.io/enforce'];
    return typeof level === 'string' && ENFORCING.has(level);
  }

  #targetNodes(target: MoveTarget): string[] {
    switch (target.type) {
      case 'cluster-admin':
        return [GOAL];
      case 'any-service-account':
        return [`any:${target.namespace}`];
      case 'running-service-accounts':
        return [`running:${target.namespace}`];
      case 'node-service-accounts':
        return ['nodes'];
      case 'service-account':
        if (target.namespace !== '*')
          return [
            this.#addPrincipalLate({
              kind: 'ServiceAccount',
              namespace: target.namespace,
              name: target.name,
            }),
          ];
        return [...this.principals.entries()]
          .filter(([, subject]) => subject.kind === 'ServiceAccount' && subject.name === target.name)
          .map(([key]) => key);
      case 'token-secrets':
        return target.names === 'all'
          ? [`secrets:${target.namespace}`]
          : target.names.map((name) => `secret:${target.namespace}/${name}`);
      case 'user':
        return [this.#addPrincipal({ kind: 'User', name: target.name, namespace: '' })];
      case 'all-users':
        return (
          [...this.principals.entries()]
            // ServiceAccount user names are impersonated as serviceaccounts, not users.
            .filter(
              ([, subject]) => subject.kind === 'User' && serviceAccountOfUser(subject.name) === undefined,
            )
            .map(([key]) => key)
        );
      case 'group':
        return [this.#addPrincipal({ kind: 'Group', name: target.name, namespace: '' })];
    }
  }

  #addMoves(key: string, subject: Subject): void {
    if (subject.kind === 'Group' && subject.name === 'system:masters') {
      this.#edge(key, {
        to: GOAL,
        move: {
          action: 'is in system:masters, which the API server allows everything',
          target: { type: 'cluster-admin' },
          evidence: [],
        },
      });
      return;
    }
    const uses = this.#index.bindingsFor(identityOfSubject(subject));
    const grants: Grant[] = this.#index.grantsOfUses(uses);
    // From the bindings, not the grants: a Role with no rules gives no grant but can still be rewritten.
    const roleNamespaces = new Set<string>();
    for (const { binding } of uses) {
      const resolution = binding.kind === 'RoleBinding' ? this.#index.roleOf(binding) : undefined;
      if (resolution?.ok && resolution.role.kind === 'Role') roleNamespaces.add(binding.namespace);
    }
    const isEnforced = (namespace: string) => this.#isEnforced(namespace);
    for (const move of movesOf(grants, isEnforced, this.#index, roleNamespaces))
      for (const to of this.#targetNodes(move.target)) if (to !== key) this.#edge(key, { to, move });
  }

  #edgesOf(key: string): readonly Edge[] {
    const subject = this.principals.get(key);
    if (subject && !this.#expanded.has(key)) {
      this.#expanded.add(key);
      this.#addMoves(key, subject);
    }
    return this.#edges.get(key) ?? [];
  }

  /** Next edge towards cluster-admin for every node that can reach it (backward breadth-first search). */
  shortestNext(): Map<string, Edge> {
    // Principals added while expanding (targets of named moves) are visited too: Map iteration includes them.
    for (const key of this.principals.keys()) this.#edgesOf(key);
    const reverse = new Map<string, { from: string; edge: Edge }[]>();
    for (const [from, edges] of this.#edges)
      for (const edge of edges) {
        const list = reverse.get(edge.to);
        if (list) list.push({ from, edge });
        else reverse.set(edge.to, [{ from, edge }]);
      }
    const next = new Map<string, Edge>();
    const queue = [GOAL];
    const seen = new Set(queue);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head] as string;
      for (const { from, edge } of reverse.get(node) ?? []) {
        if (seen.has(from)) continue;
        seen.add(from);
        next.set(from, edge);
        queue.push(from);
      }
    }
    return next;
  }

  /** The next edges of one shortest path from `start` (forward breadth-first search), empty when none exists. */
  nextFrom(start: string): Map<string, Edge> {
    const parent = new Map<string, { from: string; edge: Edge }>();
    const queue = [start];
    const seen = new Set(queue);
    for (let head = 0; head < queue.length && !seen.has(GOAL); head++) {
      const node = queue[head] as string;
      for (const edge of this.#edgesOf(node)) {
        if (seen.has(edge.to)) continue;
        seen.add(edge.to);
        parent.set(edge.to, { from: node, edge });
        queue.push(edge.to);
      }
    }
    const next = new Map<string, Edge>();
    for (let step = parent.get(GOAL); step !== undefined; step = parent.get(step.from))
      next.set(step.from, step.edge);
    return next;
  }
}

/** Follows next edges from a principal, folding set nodes into the step that reaches them. */
function pathFrom(
  graph: EscalationGraph,
  next: ReadonlyMap<string, Edge>,
  startKey: string,
): EscalationStep[] | undefined {
  if (!next.has(startKey)) return undefined;
  const steps: EscalationStep[] = [];
  let key = startKey;
  for (let guard = 0; guard < 10_000 && key !== GOAL; guard++) {
    const subject = graph.principals.get(key);
    const edge = next.get(key);
    if (!subject || !edge?.move) return undefined;
    const step: EscalationStep = {
      subject,
      action: edge.move.action,
      grantedBy: describeEvidence(edge.move.evidence),
    };
    let to = edge.to;
    // Set nodes (any:ns, running:ns, secrets:ns...) lead to one member: the step becomes that member.
    while (to !== GOAL && !graph.principals.has(to)) {
      const member = next.get(to);
      if (!member) return undefined;
      if (member.via) step.via = member.via;
      to = member.to;
    }
    const becomes = graph.principals.get(to);
    if (becomes) step.becomes = becomes;
    steps.push(step);
    key = to;
  }
  return key === GOAL ? steps : undefined;
}

export interface PathQuery {
  /** Only paths from these subjects; by default from every workload's ServiceAccount whose token is mounted. */
  from?: readonly Subject[];
}

export function findEscalationPaths(inventory: Inventory, query: PathQuery = {}): EscalationPath[] {
  const graph = new EscalationGraph(inventory, query.from ?? []);
  // Every workload: one backward search serves all starts. Named subjects: a forward search each, computing only
  // the principals they reach.
  const shared = query.from ? undefined : graph.shortestNext();
  const starts = new Map<string, { subject: Subject; workloads: string[] }>();
  if (query.from)
    for (const subject of query.from) starts.set(subjectKey(subject), { subject, workloads: [] });
  else
    for (const account of workloadAccounts(inventory)) {
      if (!account.tokenMounted) continue;
      const subject: Subject = {
        kind: 'ServiceAccount',
        namespace: account.namespace,
        name: account.serviceAccount,
      };
      const key = subjectKey(subject);
      const start = starts.get(key) ?? { subject, workloads: [] };
      start.workloads.push(`${account.workload.kind} ${account.namespace}/${account.workload.name}`);
      starts.set(key, start);
    }
  const paths: EscalationPath[] = [];
  for (const [key, start] of starts) {
    const steps = pathFrom(graph, shared ?? graph.nextFrom(key), key);
    if (steps) paths.push({ start: start.subject, workloads: start.workloads, steps });
  }
  return paths.sort(
    (a, b) => a.steps.length - b.steps.length || formatSubject(a.start).localeCompare(formatSubject(b.start)),
  );
}
