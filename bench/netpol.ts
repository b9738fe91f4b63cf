// Benchmark: NetworkPolicy reachability on a generated cluster (namespaces of micro-services, each namespace with
// default-deny, DNS egress and per-service allow policies using pod, namespace and named-port selectors, plus
// Services, some NodePort, and Ingresses). Figures are printed with the load time of the same objects (YAML parse,
// validation and inventory) measured in the same run as the baseline.
// Run: ./node_modules/.bin/node bench/netpol.ts [--namespaces 40] [--apps 50] [--queries 20000] [--repeats 3]
import { dump } from 'js-yaml';
import { Inventory } from '../src/core/inventory.ts';
import type { KubeObject } from '../src/core/kube-object.ts';
import { exposureIndex } from '../src/exposure/exposure-index.ts';
import { loadManifestText } from '../src/inputs/manifest-loader.ts';
import { isEmpty } from '../src/netpol/connection-set.ts';
import { namespaceMatrix } from '../src/netpol/namespace-matrix.ts';
import { ReachabilityEngine } from '../src/netpol/reachability.ts';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const NAMESPACES = argument('--namespaces', 40);
const APPS = argument('--apps', 50);
const QUERIES = argument('--queries', 20_000);
const REPEATS = argument('--repeats', 3);

function generate(): KubeObject[] {
  const out: KubeObject[] = [];
  const np = (namespace: string, name: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec,
  });
  for (let n = 0; n < NAMESPACES; n++) {
    const namespace = `team-${n}`;
    out.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { team: `t${n % 7}`, tier: n % 2 === 0 ? 'prod' : 'dev' } },
    });
    out.push(np(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    out.push(
      np(namespace, 'allow-dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      }),
    );
    out.push(
      np(namespace, 'allow-scrape', {
        podSelector: { matchExpressions: [{ key: 'metrics', operator: 'Exists' }] },
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: 't0' } },
                podSelector: { matchLabels: { app: 'app-0' } },
              },
            ],
            ports: [{ port: 'metrics' }],
          },
        ],
      }),
    );
    for (let a = 0; a < APPS; a++) {
      const app = `app-${a}`;
      const labels: Record<string, string> = {
        app,
        tier: `tier-${a % 3}`,
        ...(a % 2 === 0 ? { metrics: 'true' } : {}),
      };
      out.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: app, namespace },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app } },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: 'main',
                  image: `registry.example.com/${app}:1.0.0`,
                  ports: [
                    { name: 'http', containerPort: 8080 },
                    { name: 'metrics', containerPort: 9100 },
                  ],
                },
              ],
            },
          },
        },
      });
      out.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: app, namespace },
        spec: {
          type: a % 10 === 0 ? 'NodePort' : 'ClusterIP',
          selector: { app },
          ports: [{ port: 80, targetPort: 'http' }],
        },
      });
      const next = `app-${(a + 1) % APPS}`;
      out.push(
        np(namespace, app, {
          podSelector: { matchLabels: { app } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            {
              from: [
                { podSelector: { matchLabels: { app: `app-${(a + APPS - 1) % APPS}` } } },
                {
                  namespaceSelector: { matchLabels: { tier: 'prod' } },
                  podSelector: { matchLabels: { tier: 'tier-0' } },
                },
              ],
              ports: [{ port: 'http' }],
            },
            ...(a % 5 === 0
              ? [
                  {
                    from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }],
                    ports: [{ port: 8080 }],
                  },
                ]
              : []),
          ],
          egress: [
            {
              to: [{ podSelector: { matchLabels: { app: next } } }],
              ports: [{ port: 'http' }, { port: 9000, endPort: 9100 }],
            },
          ],
        }),
      );
      if (a % 10 === 0)
        out.push({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: app, namespace },
          spec: {
            rules: [
              {
                host: `${app}.${namespace}.example.com`,
                http: {
                  paths: [
                    {
                      path: '/',
                      pathType: 'Prefix',
                      backend: { service: { name: app, port: { number: 80 } } },
                    },
                  ],
                },
              },
            ],
          },
        });
    }
  }
  return out;
}

function best<T>(run: () => T): { ms: number; value: T } {
  let ms = Number.POSITIVE_INFINITY;
  let value: T | undefined;
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    const result = run();
    const elapsed = performance.now() - started;
    if (elapsed < ms) {
      ms = elapsed;
      value = result;
    }
  }
  return { ms, value: value as T };
}

const objects = generate();
const text = objects.map((object) => dump(object, { lineWidth: -1 })).join('---\n');
const load = best(() => new Inventory(loadManifestText(text, 'generated.yaml').entries));
const inventory = load.value;

// Each step on a fresh inventory, so that nothing computed by an earlier step (Inventory.derive) is reused.
const fresh = () => new Inventory(inventory.entries);
const index = best(() => {
  const engine = new ReachabilityEngine(fresh());
  for (const endpoint of engine.endpoints.endpoints) engine.policies.selecting(endpoint, 'ingress');
  return engine;
});
const engine = index.value;
const endpoints = engine.endpoints.endpoints;
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pairs = Array.from({ length: QUERIES }, () => [
  endpoints[Math.floor(random() * endpoints.length)],
  endpoints[Math.floor(random() * endpoints.length)],
]);
const queries = best(() => {
  let reachable = 0;
  for (const [from, to] of pairs)
    if (
      from &&
      to &&
      !isEmpty(engine.reach({ type: 'pod', endpoint: from }, { type: 'pod', endpoint: to }).allowed)
    )
      reachable++;
  return reachable;
});
// Asynchronous (it lets the event loop take turns), so timed here rather than through best().
const matrix = {
  ms: Number.POSITIVE_INFINITY,
  value: undefined as unknown as Awaited<ReturnType<typeof namespaceMatrix>>,
};
for (let i = 0; i < REPEATS; i++) {
  const started = performance.now();
  const value = await namespaceMatrix(new ReachabilityEngine(fresh()));
  const elapsed = performance.now() - started;
  if (elapsed < matrix.ms) Object.assign(matrix, { ms: elapsed, value });
}
const exposure = best(() => exposureIndex(fresh()));

const ratio = (ms: number) => `${(ms / load.ms).toFixed(2)}x load`;
const policies = inventory.ofKind('NetworkPolicy').length;
console.log(
  `generated: ${NAMESPACES} namespaces, ${endpoints.length} workloads, ${policies} NetworkPolicies, ${inventory.size} objects, ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB YAML (best of ${REPEATS})`,
);
console.log(`load (parse, validate, inventory) [baseline]  ${load.ms.toFixed(0)} ms`);
console.log(`engine index (endpoints, policies, selection) ${index.ms.toFixed(0)} ms  ${ratio(index.ms)}`);
console.log(
  `can-reach x${QUERIES} (${queries.value} reachable)       ${queries.ms.toFixed(0)} ms  ${((queries.ms * 1000) / QUERIES).toFixed(1)} µs/query  ${ratio(queries.ms)}`,
);
const cells = matrix.value.cells.length;
console.log(
  `namespace matrix (${cells} cells, ${endpoints.length ** 2} workload pairs)  ${matrix.ms.toFixed(0)} ms  ${ratio(matrix.ms)}`,
);
console.log(
  `exposure facts (${exposure.value.facts.length})                   ${exposure.ms.toFixed(0)} ms  ${ratio(exposure.ms)}`,
);
