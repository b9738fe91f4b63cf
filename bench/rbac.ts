// Benchmark: the RBAC resolver on a generated cluster of 5,000 roles, 20,000 bindings and 50,000 pods. Baseline: the
// inventory load (YAML parse with positions + Inventory) of the same objects in the same run; every figure is printed
// with its ratio to it.
// Run: ./node_modules/.bin/node bench/rbac.ts [--repeats 3] [--scale 1]
import { Inventory } from '../src/core/inventory.ts';
import { loadManifestText } from '../src/inputs/manifest-loader.ts';
import { authorize } from '../src/rbac/authorize.ts';
import { findEscalationPaths } from '../src/rbac/escalation-paths.ts';
import { RbacIndex } from '../src/rbac/rbac-index.ts';
import { parseRequest } from '../src/rbac/request-text.ts';
import { identityOfSubject, parseSubjectText } from '../src/rbac/subject.ts';
import { whoCan } from '../src/rbac/who-can.ts';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const REPEATS = argument('--repeats', 3);
const SCALE = argument('--scale', 1);
const NAMESPACES = Math.round(200 * SCALE);
const ACCOUNTS_PER_NAMESPACE = 10;
const CLUSTER_ROLES = Math.round(1_000 * SCALE);
const ROLES = Math.round(4_000 * SCALE);
const CLUSTER_BINDINGS = Math.round(2_000 * SCALE);
const ROLE_BINDINGS = Math.round(18_000 * SCALE);
const PODS = Math.round(50_000 * SCALE);

/** Deterministic, so that every run measures the same cluster. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const RULES = [
  '{apiGroups: [""], resources: [pods, pods/log], verbs: [get, list, watch]}',
  '{apiGroups: [""], resources: [configmaps], verbs: [get, list, watch, update]}',
  '{apiGroups: [apps], resources: [deployments, replicasets], verbs: [get, list, watch]}',
  '{apiGroups: [""], resources: [services, endpoints], verbs: [get, list]}',
  '{apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get, create, update]}',
  '{apiGroups: [""], resources: [events], verbs: [create, patch]}',
  '{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [app-tls]}',
  '{apiGroups: [batch], resources: [jobs], verbs: [get, list, create]}',
  '{apiGroups: [""], resources: [pods/exec], verbs: [create]}',
  '{apiGroups: [""], resources: [secrets], verbs: [list]}',
  '{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}',
];

function generate(): string {
  const next = random(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const out: string[] = [];
  const rules = () => {
    // Mostly benign: the risky rules (index >= 7) are rare, as in real clusters.
    const count = 1 + Math.floor(next() * 3);
    return Array.from(
      { length: count },
      () => RULES[next() < 0.9 ? Math.floor(next() * 7) : 7 + Math.floor(next() * 4)],
    ).join(', ');
  };
  for (let n = 0; n < NAMESPACES; n++) {
    out.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ns-${n}}`);
    for (let a = 0; a < ACCOUNTS_PER_NAMESPACE; a++)
      out.push(`apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa-${a}, namespace: ns-${n}}`);
  }
  for (let r = 0; r < CLUSTER_ROLES; r++) {
    const aggregated = r % 100 === 0;
    const labels = r % 7 === 0 ? `, labels: {bench/aggregate-${r % 10}: "true"}` : '';
    out.push(
      aggregated
        ? `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: cr-${r}}\naggregationRule: {clusterRoleSelectors: [{matchLabels: {bench/aggregate-${(r / 100) % 10}: "true"}}]}\nrules: []`
        : `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: cr-${r}${labels}}\nrules: [${rules()}]`,
    );
  }
  for (let r = 0; r < ROLES; r++)
    out.push(
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: role-${r}, namespace: ns-${r % NAMESPACES}}\nrules: [${rules()}]`,
    );
  const subject = (namespace: number) => {
    const roll = next();
    if (roll < 0.7)
      return `{kind: ServiceAccount, name: sa-${Math.floor(next() * ACCOUNTS_PER_NAMESPACE)}, namespace: ns-${namespace}}`;
    if (roll < 0.9)
      return `{kind: User, name: user-${Math.floor(next() * 500)}, apiGroup: rbac.authorization.k8s.io}`;
    return `{kind: Group, name: team-${Math.floor(next() * 50)}, apiGroup: rbac.authorization.k8s.io}`;
  };
  for (let b = 0; b < CLUSTER_BINDINGS; b++) {
    // A few installers hold cluster-admin, so that escalation paths exist to be found.
    const role =
      b % 400 === 0 ? 'cluster-admin' : b % 50 === 0 ? 'view' : `cr-${Math.floor(next() * CLUSTER_ROLES)}`;
    out.push(
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb-${b}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}\nsubjects: [${subject(Math.floor(next() * NAMESPACES))}]`,
    );
  }
  for (let b = 0; b < ROLE_BINDINGS; b++) {
    const namespace = b % NAMESPACES;
    const local = next() < 0.7;
    const ref = local
      ? `kind: Role, name: role-${namespace + NAMESPACES * Math.floor(next() * (ROLES / NAMESPACES))}`
      : `kind: ClusterRole, name: ${pick(['edit', 'view', 'admin', `cr-${Math.floor(next() * CLUSTER_ROLES)}`])}`;
    out.push(
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb-${b}, namespace: ns-${namespace}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, ${ref}}\nsubjects: [${subject(namespace)}, ${subject(namespace)}]`,
    );
  }
  for (let p = 0; p < PODS; p++) {
    const namespace = p % NAMESPACES;
    out.push(
      `apiVersion: v1\nkind: Pod\nmetadata: {name: pod-${p}, namespace: ns-${namespace}, labels: {app: a${p % 50}}}\nspec:\n  serviceAccountName: sa-${Math.floor(next() * ACCOUNTS_PER_NAMESPACE)}\n  containers:\n  - name: app\n    image: registry.example/app:${p % 100}\n    ports: [{containerPort: 8080}]`,
    );
  }
  return `${out.join('\n---\n')}\n`;
}

function best<T>(label: string, run: () => T): { ms: number; value: T } {
  let ms = Number.POSITIVE_INFINITY;
  let value: T | undefined;
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const start = performance.now();
    value = run();
    ms = Math.min(ms, performance.now() - start);
  }
  if (value === undefined) throw new Error(`${label}: no run`);
  return { ms, value };
}

const text = generate();
const load = best('load', () => {
  const loaded = loadManifestText(text, 'generated.yaml');
  return new Inventory(loaded.entries);
});
const inventory = load.value;
const count = (kind: string) => inventory.ofKind(kind).length;
console.log(
  `generated cluster: ${count('Role') + count('ClusterRole')} roles, ${count('RoleBinding') + count('ClusterRoleBinding')} bindings, ` +
    `${count('Pod')} pods, ${count('ServiceAccount')} ServiceAccounts, ${(text.length / 1e6).toFixed(1)} MB of YAML; best of ${REPEATS}`,
);
const baseline = load.ms;
const line = (label: string, ms: number, detail = '') =>
  console.log(
    `${label.padEnd(52)} ${ms.toFixed(1).padStart(9)} ms  ${(ms / baseline).toFixed(4).padStart(8)} x load${detail ? `  (${detail})` : ''}`,
  );
line('inventory load (baseline)', baseline);

// The index is built once per inventory and shared (Inventory.derive); a fresh inventory measures its build.
const index = best('index', () => new RbacIndex(inventory));
line('RBAC index (roles, aggregation, bindings)', index.ms);
const rbac = RbacIndex.of(inventory);

const questions = [
  ['get', 'secrets', { namespace: 'ns-7' }],
  ['get', 'secrets', {}],
  ['create', 'pods/exec', { namespace: 'ns-3' }],
  ['create', 'serviceaccounts/token', {}],
  ['get', 'nodes', {}],
] as const;
for (const [verb, resource, options] of questions) {
  const request = parseRequest(verb, resource, options);
  const answer = best('who-can', () => whoCan(rbac, request));
  const where = 'namespace' in options ? ` -n ${options.namespace}` : '';
  line(`who-can ${verb} ${resource}${where}`, answer.ms, `${answer.value.entries.length} grants`);
}

const subjects = ['sa:ns-5/sa-3', 'user:user-17', 'group:team-3'];
const canRuns = best('can', () => {
  let allowed = 0;
  for (let i = 0; i < 1_000; i++) {
    const subject = parseSubjectText(subjects[i % subjects.length] as string);
    const decision = authorize(
      rbac,
      identityOfSubject(subject),
      parseRequest('list', 'secrets', { namespace: `ns-${i % NAMESPACES}` }),
    );
    if (decision.allowed) allowed++;
  }
  return allowed;
});
line('can x 1,000 (list secrets, 3 subjects, 200 namespaces)', canRuns.ms, `${canRuns.value} allowed`);

const paths = best('paths', () => findEscalationPaths(inventory));
const longest = Math.max(0, ...paths.value.map((path) => path.steps.length));
line(
  'paths (from every pod ServiceAccount)',
  paths.ms,
  `${paths.value.length} ServiceAccounts reach cluster-admin, longest ${longest} steps`,
);
// One named subject: the start of the longest path found above, so that the forward search has somewhere to go.
const deepest = [...paths.value].sort((a, b) => b.steps.length - a.steps.length)[0];
const start = deepest?.start ?? parseSubjectText('user:user-17');
const from = best('paths --from', () => findEscalationPaths(inventory, { from: [start] }));
line(
  `paths --from ${start.kind === 'ServiceAccount' ? `sa:${start.namespace}/` : `${start.kind.toLowerCase()}:`}${start.name}`,
  from.ms,
  `${from.value[0]?.steps.length ?? 0} steps`,
);
const memory = process.memoryUsage();
console.log(`heap used ${(memory.heapUsed / 1e6).toFixed(0)} MB, rss ${(memory.rss / 1e6).toFixed(0)} MB`);
