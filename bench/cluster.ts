// Benchmark: `palisade scan --cluster` against a generated cluster (10,000 pods with their Deployments and
// ReplicaSets, ServiceAccounts, Roles, RoleBindings, ClusterRoles, ClusterRoleBindings, namespaces and nodes) served by
// the replay server over loopback TLS, next to the time to only fetch and parse the same lists, in the same run.
// The server runs in its own process, and each measured mode in a fresh process, so each peak RSS is its own.
// Run: ./node_modules/.bin/node bench/cluster.ts [--pods 10000] [--repeats 5] [--rounds 3]
// Each measuring process turns on the module compile cache as the `palisade` executable does (src/cli/main.ts),
// before it loads the scanner: a first process, not measured, fills it, as a user's first scan does.
// PALISADE_NO_COMPILE_CACHE=1 measures without it.
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { enablePrivateCompileCache } from '../src/cli/compile-cache.ts';
import { ADMIN_TOKEN, TLS, TOKENS, tempDir, writeKubeconfig } from '../test/cluster/replay-fixtures.ts';
import { type Recording, ReplayServer } from '../test/cluster/replay-server.ts';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

const PODS = Number(argument('--pods') ?? 10_000);
const REPEATS = Number(argument('--repeats') ?? 5);
const ROUNDS = Math.max(1, Number(argument('--rounds') ?? 3));
const PAGE = 500;
const PODS_PER_DEPLOYMENT = 10;
const DEPLOYMENTS_PER_NAMESPACE = 10;

type Mode = 'fetch' | 'scan' | 'scan-include-owned';

// ---------------------------------------------------------------- the generated cluster, as recordings

function record(path: string, query: Record<string, string>, body: unknown, status = 200): Recording {
  return {
    request: { method: 'GET', path, query, identity: 'admin' },
    response: {
      status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-cache, private' },
      body,
    },
  };
}

function managedFields(): unknown[] {
  return [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:containers': {} } },
    },
  ];
}

function podSpec(app: string, index: number): Record<string, unknown> {
  return {
    serviceAccountName: app,
    containers: [
      {
        name: app,
        image: `registry.example.com/team/${app}:1.${index % 7}.0`,
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
        env: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        securityContext:
          index % 3 === 0 ? { privileged: true } : { allowPrivilegeEscalation: false, runAsNonRoot: true },
        volumeMounts: [
          {
            name: 'kube-api-access',
            mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
            readOnly: true,
          },
        ],
      },
    ],
    volumes: [
      {
        name: 'kube-api-access',
        projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] },
      },
    ],
  };
}

function generate(pods: number): Recording[] {
  const namespaces = Math.ceil(pods / (PODS_PER_DEPLOYMENT * DEPLOYMENTS_PER_NAMESPACE));
  const lists: Record<string, { path: string; kind: string; apiVersion: string; items: unknown[] }> = {};
  const list = (path: string, kind: string, apiVersion: string) => {
    lists[path] ??= { path, kind, apiVersion, items: [] };
    return lists[path].items;
  };
  const nodes = list('/api/v1/nodes', 'Node', 'v1');
  for (let n = 0; n < 50; n++)
    nodes.push({
      metadata: { name: `node-${n}`, uid: `node-${n}` },
      status: { nodeInfo: { kubeletVersion: n % 10 === 0 ? 'v1.33.5' : 'v1.35.1' } },
    });
  let podCount = 0;
  for (let ns = 0; ns < namespaces; ns++) {
    const namespace = `team-${ns}`;
    list('/api/v1/namespaces', 'Namespace', 'v1').push({
      metadata: {
        name: namespace,
        uid: `ns-${ns}`,
        labels: {
          'kubernetes.io/metadata.name': namespace,
          ...(ns % 2 === 0 ? { 'pod-security.kubernetes.io/enforce': 'baseline' } : {}),
        },
      },
    });
    for (let d = 0; d < DEPLOYMENTS_PER_NAMESPACE && podCount < pods; d++) {
      const app = `app-${d}`;
      const labels = { app };
      list('/apis/apps/v1/deployments', 'Deployment', 'apps/v1').push({
        metadata: {
          name: app,
          namespace,
          uid: `${namespace}-${app}`,
          labels,
          managedFields: managedFields(),
        },
        spec: {
          replicas: PODS_PER_DEPLOYMENT,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: podSpec(app, d) },
        },
      });
      const replicaSet = `${app}-7d4b9c`;
      list('/apis/apps/v1/replicasets', 'ReplicaSet', 'apps/v1').push({
        metadata: {
          name: replicaSet,
          namespace,
          uid: `${namespace}-${replicaSet}`,
          labels,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: app,
              uid: `${namespace}-${app}`,
              controller: true,
            },
          ],
          managedFields: managedFields(),
        },
        spec: {
          replicas: PODS_PER_DEPLOYMENT,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: podSpec(app, d) },
        },
      });
      for (let p = 0; p < PODS_PER_DEPLOYMENT && podCount < pods; p++, podCount++)
        list('/api/v1/pods', 'Pod', 'v1').push({
          metadata: {
            name: `${replicaSet}-${p.toString(36).padStart(5, 'x')}`,
            namespace,
            uid: `pod-${podCount}`,
            labels,
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: replicaSet,
                uid: `${namespace}-${replicaSet}`,
                controller: true,
              },
            ],
            managedFields: managedFields(),
          },
          spec: { ...podSpec(app, d), nodeName: `node-${podCount % 50}` },
          status: { phase: 'Running', podIP: `10.244.${podCount >> 8}.${podCount & 255}` },
        });
      list('/api/v1/serviceaccounts', 'ServiceAccount', 'v1').push({
        metadata: { name: app, namespace, uid: `${namespace}-sa-${app}` },
      });
    }
    for (let r = 0; r < 3; r++) {
      list('/apis/rbac.authorization.k8s.io/v1/roles', 'Role', 'rbac.authorization.k8s.io/v1').push({
        metadata: { name: `role-${r}`, namespace },
        rules: [
          {
            apiGroups: [''],
            resources: r === 0 ? ['secrets'] : ['configmaps', 'pods'],
            verbs: r === 2 ? ['*'] : ['get', 'list'],
          },
        ],
      });
      list(
        '/apis/rbac.authorization.k8s.io/v1/rolebindings',
        'RoleBinding',
        'rbac.authorization.k8s.io/v1',
      ).push({
        metadata: { name: `binding-${r}`, namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${r}` },
        subjects: [{ kind: 'ServiceAccount', name: `app-${r}`, namespace }],
      });
    }
  }
  for (let c = 0; c < 50; c++) {
    list(
      '/apis/rbac.authorization.k8s.io/v1/clusterroles',
      'ClusterRole',
      'rbac.authorization.k8s.io/v1',
    ).push({
      metadata: { name: `cluster-role-${c}` },
      rules: [
        {
          apiGroups: ['*'],
          resources: c === 0 ? ['*'] : ['nodes', 'namespaces'],
          verbs: c === 0 ? ['*'] : ['get', 'list', 'watch'],
        },
      ],
    });
    list(
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      'ClusterRoleBinding',
      'rbac.authorization.k8s.io/v1',
    ).push({
      metadata: { name: `cluster-binding-${c}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cluster-role-${c}` },
      subjects: [{ kind: 'ServiceAccount', name: 'app-0', namespace: `team-${c % namespaces}` }],
    });
  }

  const recordings: Recording[] = [
    record('/version', {}, { major: '1', minor: '35', gitVersion: 'v1.35.1' }),
    record('/api', {}, { kind: 'APIVersions', versions: ['v1'] }),
    record(
      '/apis',
      {},
      {
        kind: 'APIGroupList',
        groups: ['apps', 'rbac.authorization.k8s.io'].map((name) => ({
          name,
          preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
        })),
      },
    ),
  ];
  const resources: Record<string, { name: string; kind: string; namespaced: boolean; verbs: string[] }[]> =
    {};
  for (const { path, kind } of Object.values(lists)) {
    const parts = path.split('/');
    const root = parts.slice(0, -1).join('/');
    resources[root] ??= [];
    resources[root].push({
      name: parts.at(-1) as string,
      kind,
      namespaced: !['Node', 'Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(kind),
      verbs: ['get', 'list', 'watch'],
    });
  }
  for (const [root, list] of Object.entries(resources))
    recordings.push(
      record(
        root,
        {},
        { kind: 'APIResourceList', groupVersion: root.replace(/^\/apis?\//, ''), resources: list },
      ),
    );
  for (const { path, kind, apiVersion, items } of Object.values(lists)) {
    for (let start = 0, page = 0; start < items.length || start === 0; start += PAGE, page++) {
      const query: Record<string, string> = { limit: String(PAGE) };
      if (page > 0) query.continue = `${kind}-page-${page}`;
      const last = start + PAGE >= items.length;
      recordings.push(
        record(path, query, {
          kind: `${kind}List`,
          apiVersion,
          metadata: { resourceVersion: '5000', ...(last ? {} : { continue: `${kind}-page-${page + 1}` }) },
          items: items.slice(start, start + PAGE),
        }),
      );
      if (last) break;
    }
  }
  return recordings;
}

// ---------------------------------------------------------------- processes

async function serve(): Promise<void> {
  const server = await ReplayServer.start({ recordings: generate(PODS), tokens: TOKENS, tls: TLS });
  process.send?.({ url: server.url });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

async function measure(mode: Mode, url: string): Promise<void> {
  const compileCache = enablePrivateCompileCache(process.env);
  const { buildScanReport } = await import('../src/cli/scan-pipeline.ts');
  const { KubeApiClient } = await import('../src/cluster/api-client.ts');
  const { kindsToList } = await import('../src/cluster/context-kinds.ts');
  const { fetchClusterSnapshot } = await import('../src/cluster/fetch-cluster.ts');
  const { builtinRules } = await import('../src/rules/index.ts');
  const kinds = kindsToList(builtinRules.flatMap((rule) => rule.kinds));
  const directory = tempDir('palisade-bench-');
  const kubeconfig = writeKubeconfig(directory, url, { token: ADMIN_TOKEN });
  const times: number[] = [];
  let objects = 0;
  let findings = 0;
  for (let run = 0; run < REPEATS; run++) {
    const started = performance.now();
    if (mode === 'fetch') {
      const client = new KubeApiClient({
        context: 'bench',
        server: url,
        ca: TLS.ca,
        token: ADMIN_TOKEN,
        insecureSkipTlsVerify: false,
      });
      const snapshot = await fetchClusterSnapshot(client, { kinds, now: new Date(), kubeletConfig: false });
      client.close();
      objects = snapshot.items.length;
    } else {
      const { report } = await buildScanReport({
        inputs: [],
        cwd: directory,
        now: new Date(),
        useConfig: false,
        env: {},
        includeOwned: mode === 'scan-include-owned',
        cluster: { kubeconfig, kubeletConfig: false },
      });
      objects = report.summary.objects;
      findings = report.findings.length;
    }
    times.push(performance.now() - started);
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const cache = compileCache.enabled ? `on (${compileCache.directory})` : `off (${compileCache.reason})`;
  process.stdout.write(JSON.stringify({ mode, times, objects, findings, peakRssMb, cache }));
}

async function main(): Promise<void> {
  const server: ChildProcess = fork(import.meta.filename, ['--serve', '--pods', String(PODS)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolveUrl) =>
    server.once('message', (message) => resolveUrl((message as { url: string }).url)),
  );
  // Rounds of fresh processes, the modes interleaved within each: one first run per process is a single noisy
  // sample on a shared machine, and interleaving makes a drift cost every mode alike.
  type Measured = { times: number[]; objects: number; findings: number; peakRssMb: number; cache: string };
  const modes: Mode[] = ['fetch', 'scan', 'scan-include-owned'];
  const run = (mode: Mode, repeats: number): Measured => {
    const child = spawnSync(
      process.execPath,
      [
        import.meta.filename,
        '--measure',
        mode,
        '--url',
        url,
        '--pods',
        String(PODS),
        '--repeats',
        String(repeats),
      ],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (child.status !== 0) throw new Error(`${mode} failed: ${child.stderr}`);
    return JSON.parse(child.stdout) as Measured;
  };
  // Not measured: fills the compile cache (when on) with everything each mode loads and compiles.
  for (const mode of modes) run(mode, 1);
  const rounds: Record<Mode, Measured>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const measured = {} as Record<Mode, Measured>;
    for (const mode of modes) measured[mode] = run(mode, REPEATS);
    rounds.push(measured);
  }
  server.disconnect();
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const first = (mode: Mode) => rounds.map((round) => round[mode].times[0] as number);
  // Warm: the runs after the first, once the JIT has compiled the parser and the rules.
  const warm = (mode: Mode) => median(rounds.flatMap((round) => round[mode].times.slice(1)));
  // Each round's first run against the fetch-only first run of the same round.
  const firstRatios = (mode: Mode) =>
    rounds.map((round) => (round[mode].times[0] as number) / (round.fetch.times[0] as number));
  const fetch = (rounds[0] as Record<Mode, Measured>).fetch;
  console.log(
    `generated cluster: ${PODS} pods, ${fetch.objects} objects listed, page size ${PAGE}, replay server over loopback TLS (own process)`,
  );
  console.log(
    `module compile cache in each measuring process, as the palisade executable has it: ${fetch.cache}`,
  );
  console.log(
    `${ROUNDS} rounds of one fresh process per mode, ${REPEATS} runs each: "first" is the first run (what one CLI invocation pays), median over rounds, its ratio the median of each round's ratio; "warm" the median of the other runs; peak RSS the largest process maxRSS\n`,
  );
  console.log(
    'mode                 first ms  ratio    warm ms  ratio   objects scanned  findings  peak RSS MB',
  );
  for (const mode of modes) {
    const last = (rounds[rounds.length - 1] as Record<Mode, Measured>)[mode];
    const columns = [
      mode.padEnd(20),
      median(first(mode)).toFixed(0).padStart(8),
      `${median(firstRatios(mode)).toFixed(2)}x`.padStart(6),
      warm(mode).toFixed(0).padStart(10),
      `${(warm(mode) / warm('fetch')).toFixed(2)}x`.padStart(6),
      String(last.objects).padStart(17),
      String(last.findings).padStart(9),
      Math.max(...rounds.map((round) => round[mode].peakRssMb))
        .toFixed(0)
        .padStart(12),
    ];
    console.log(columns.join(' '));
  }
  console.log('\nfirst-run ratio by round:');
  for (const mode of modes.slice(1))
    console.log(
      `  ${mode.padEnd(20)} ${firstRatios(mode)
        .map((ratio) => `${ratio.toFixed(2)}x`)
        .join('  ')}`,
    );
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv.includes('--measure'))
  await measure(argument('--measure') as Mode, argument('--url') as string);
else await main();
