// Benchmark: the admission webhook under a full Pod Security "restricted" plus hardening (NSA/CISA, CIS) policy,
// against a bare node:https server answering a fixed allow, both driven over keep-alive TLS on loopback with the
// same mix of Pod and Deployment reviews (allowed and denied, validate and mutate). Each server runs in its own
// process. Prints throughput, p50/p99 and their ratio, latency at a fixed 500 requests per second, and memory.
// Run: ./node_modules/.bin/node bench/webhook.ts [--duration 10] [--slices 5] [--connections 32] [--rate 500] [--long]
//   [--policy pss]
//   --long runs the memory phase for 60 s instead of 20 s.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../src/core/kube-object.ts';
import { writeWebhookCerts } from '../src/server/webhook-certs.ts';
import { HARDENING_POLICY } from '../test/admission/hardening-policy.ts';
import {
  closedLoop,
  combineResults,
  fixedRate,
  histogramText,
  type LoadRequest,
  type LoadResult,
  type LoadTarget,
  percentile,
} from './https-load.ts';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
}

const DURATION_MS = Number(argument('--duration', '10')) * 1000;
// The closed loop alternates between the servers in slices (bare, palisade, palisade, bare, ...): this machine's
// speed drifts within seconds, and two back-to-back 10 s phases measured the drift as much as the servers.
const SLICES = Math.max(1, Number(argument('--slices', '5')));
const CONNECTIONS = Number(argument('--connections', '32'));
const RATE = Number(argument('--rate', '500'));
const MEMORY_MS = process.argv.includes('--long') ? 60_000 : 20_000;
const here = dirname(fileURLToPath(import.meta.url));
const SHARED = process.env.PALISADE_SHARED ?? resolve(here, '..', '..', 'shared');
const REVIEWS = join(SHARED, 'corpus', 'admission', 'recorded', 'reviews');

// --policy pss: Pod Security "restricted" only, to show what the hardening rules cost.
const PSS_ONLY = argument('--policy', 'full') === 'pss';
const POLICY = PSS_ONLY
  ? `apiVersion: palisade.dev/v1alpha1
kind: AdmissionPolicy
defaults:
  enforce: { level: restricted }
mutation:
  rules: [seccomp-profile-required, privilege-escalation, capabilities-drop-all]
`
  : HARDENING_POLICY;

const HARDENED_POD_SPEC = {
  automountServiceAccountToken: false,
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    fsGroup: 10001,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  containers: [
    {
      name: 'app',
      image: 'registry.example.com/shop/web:2.3.1',
      ports: [{ containerPort: 8080 }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
      readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      },
    },
  ],
};

function review(object: KubeObject, resource: string, group: string, index: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
        kind: { group, version: 'v1', kind: object.kind },
        resource: { group, version: 'v1', resource },
        name: object.metadata.name,
        namespace: object.metadata.namespace,
        operation: 'CREATE',
        userInfo: { username: 'ci', groups: ['system:authenticated'] },
        object,
        dryRun: false,
      },
    }),
  );
}

/** Our own hardened and failing objects, plus every Pod and Deployment CREATE recorded from a real API server. */
function payloads(): { items: LoadRequest[]; recorded: number } {
  const pod = (name: string, spec: object): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    spec,
  });
  const deployment = (name: string, spec: object): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec },
    },
  });
  const privileged = {
    containers: [{ name: 'app', image: 'nginx:latest', securityContext: { privileged: true } }],
  };
  const plain = { containers: [{ name: 'app', image: 'registry.example.com/shop/web:2.3.1' }] };
  const own = [
    pod('hardened', HARDENED_POD_SPEC),
    pod('privileged', privileged),
    pod('plain', plain),
    deployment('hardened', HARDENED_POD_SPEC),
    deployment('plain', plain),
  ];
  const items: LoadRequest[] = [];
  own.forEach((object, index) => {
    const body = review(
      object,
      object.kind === 'Pod' ? 'pods' : 'deployments',
      object.kind === 'Pod' ? '' : 'apps',
      index,
    );
    items.push({ path: '/validate?timeout=3s', body });
    if (index % 2 === 0) items.push({ path: '/mutate?timeout=2s', body });
  });
  let recorded = 0;
  if (existsSync(REVIEWS))
    for (const file of readdirSync(REVIEWS).sort())
      if (/-CREATE-(pods|deployments)-/.test(file)) {
        recorded++;
        items.push({
          path: file.includes('-mutate-') ? '/mutate?timeout=2s' : '/validate?timeout=3s',
          body: readFileSync(join(REVIEWS, file)),
        });
      }
  return { items, recorded };
}

interface Target {
  child: ChildProcess;
  port: number;
}

function startTarget(mode: 'palisade' | 'bare', dir: string): Promise<Target> {
  // PALISADE_BENCH_PROFILE=DIR writes a CPU profile of each server there.
  const profile = process.env.PALISADE_BENCH_PROFILE;
  const profiling = profile
    ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, `--cpu-prof-name=${mode}.cpuprofile`]
    : [];
  const child = fork(join(here, 'webhook-target.ts'), [mode, dir], {
    execArgv: [...process.execArgv, '--expose-gc', ...profiling],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolvePort, reject) => {
    child.once('message', (message) => resolvePort({ child, port: (message as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

function ask<T>(child: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((resolveAnswer) => {
    const listener = (answer: unknown) => {
      if (answer && typeof answer === 'object' && key in answer) {
        child.off('message', listener);
        resolveAnswer((answer as Record<string, T>)[key] as T);
      }
    };
    child.on('message', listener);
    child.send(message);
  });
}

function line(label: string, result: LoadResult): string {
  const rps = result.requests / (result.durationMs / 1000);
  return `${label.padEnd(34)} ${rps.toFixed(0).padStart(7)} req/s   p50 ${percentile(result.latencies, 0.5).toFixed(2).padStart(6)} ms   p99 ${percentile(result.latencies, 0.99).toFixed(2).padStart(6)} ms   errors ${result.errors}   non-200 ${result.non200}   (${result.requests} requests)`;
}

async function decisionMix(target: LoadTarget, items: readonly LoadRequest[]): Promise<string> {
  const { request } = await import('node:https');
  let allowed = 0;
  let denied = 0;
  let patched = 0;
  for (const item of items) {
    const body = await new Promise<string>((done, fail) => {
      const outgoing = request(
        {
          host: target.host,
          port: target.port,
          method: 'POST',
          path: item.path,
          ca: target.ca,
          servername: target.servername,
          headers: { 'content-type': 'application/json' },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk) => {
            text += chunk;
          });
          response.on('end', () => done(text));
        },
      );
      outgoing.on('error', fail);
      outgoing.end(item.body);
    });
    const answer = JSON.parse(body).response as { allowed: boolean; patch?: string };
    if (answer.patch) patched++;
    else if (answer.allowed) allowed++;
    else denied++;
  }
  return `${items.length} distinct reviews: ${allowed} allowed, ${denied} denied, ${patched} patched`;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'palisade-bench-'));
  await writeWebhookCerts({
    directory: dir,
    service: 'bench',
    namespace: 'bench',
    extraNames: ['localhost'],
    days: 2,
    now: new Date(),
    reuseCa: false,
  });
  await writeFile(join(dir, 'policy.yaml'), POLICY);
  const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  const { items, recorded } = payloads();
  const bare = await startTarget('bare', dir);
  const palisade = await startTarget('palisade', dir);
  const targetOf = (server: Target): LoadTarget => ({
    host: '127.0.0.1',
    port: server.port,
    ca,
    servername: 'localhost',
  });
  try {
    console.log(
      `webhook benchmark: node ${process.version}, ${CONNECTIONS} keep-alive TLS connections, ${DURATION_MS / 1000} s per phase`,
    );
    console.log(
      PSS_ONLY
        ? 'policy: enforce restricted, 3 mutation rules'
        : 'policy: enforce restricted, warn nsa-cisa + cis-k8s, latest images warned, 4 mutation rules',
    );
    console.log(
      `mix: ${await decisionMix(targetOf(palisade), items)} (${recorded} recorded from kube-apiserver)\n`,
    );
    // Warm-up: JIT and TLS session set-up, not measured.
    await closedLoop(targetOf(bare), items, CONNECTIONS, 2000);
    await closedLoop(targetOf(palisade), items, CONNECTIONS, 2000);

    // Server CPU time per request is measured too: on a shared, noisy machine it is steadier than wall-clock
    // throughput, which also depends on how much CPU the load generator gets.
    // User and system time apart, and involuntary context switches: a server that is preempted while it writes
    // (the woken load generator takes the core) shows the time in its socket write in a wall-clock CPU profile,
    // although the CPU went elsewhere.
    const usageOf = (server: Target) => ask<NodeJS.ResourceUsage>(server.child, 'usage', 'usage');
    const perRequest = (before: NodeJS.ResourceUsage, after: NodeJS.ResourceUsage, requests: number) => ({
      user: (after.userCPUTime - before.userCPUTime) / requests,
      system: (after.systemCPUTime - before.systemCPUTime) / requests,
      preempted: (after.involuntaryContextSwitches - before.involuntaryContextSwitches) / requests,
    });
    const runs = { bare: [] as LoadResult[], palisade: [] as LoadResult[] };
    const cpu = {
      bare: { user: 0, system: 0, preempted: 0 },
      palisade: { user: 0, system: 0, preempted: 0 },
    };
    const servers = { bare, palisade };
    for (let slice = 0; slice < 2 * SLICES; slice++) {
      // ABBA order: a drift that is linear over two slices costs both servers alike.
      const name = slice % 4 === 0 || slice % 4 === 3 ? 'bare' : 'palisade';
      const server = servers[name];
      const before = await usageOf(server);
      const result = await closedLoop(targetOf(server), items, CONNECTIONS, DURATION_MS / SLICES);
      const used = perRequest(before, await usageOf(server), 1);
      runs[name].push(result);
      cpu[name].user += used.user;
      cpu[name].system += used.system;
      cpu[name].preempted += used.preempted;
    }
    const bareLoop = combineResults(runs.bare);
    const palisadeLoop = combineResults(runs.palisade);
    const perRequestOf = (total: typeof cpu.bare, requests: number) => ({
      user: total.user / requests,
      system: total.system / requests,
      preempted: total.preempted / requests,
    });
    const bareUsage = perRequestOf(cpu.bare, bareLoop.requests);
    const palisadeUsage = perRequestOf(cpu.palisade, palisadeLoop.requests);
    const bareCpu = bareUsage.user + bareUsage.system;
    const palisadeCpu = palisadeUsage.user + palisadeUsage.system;
    console.log(`closed loop (throughput), ${SLICES} alternating slices per server:`);
    console.log(`  ${line('bare node:https fixed allow', bareLoop)}`);
    console.log(`  ${line('palisade webhook', palisadeLoop)}`);
    const ratio = palisadeLoop.requests / palisadeLoop.durationMs / (bareLoop.requests / bareLoop.durationMs);
    console.log(`  throughput ratio palisade/bare: ${(ratio * 100).toFixed(1)}%`);
    console.log(
      `  p50 ratio: ${(percentile(palisadeLoop.latencies, 0.5) / percentile(bareLoop.latencies, 0.5)).toFixed(2)}x   p99 ratio: ${(percentile(palisadeLoop.latencies, 0.99) / percentile(bareLoop.latencies, 0.99)).toFixed(2)}x`,
    );
    console.log(
      `  server CPU per request: bare ${bareCpu.toFixed(0)} us, palisade ${palisadeCpu.toFixed(0)} us; CPU-bound throughput ratio ${((bareCpu / palisadeCpu) * 100).toFixed(1)}%`,
    );
    const split = (cpu: typeof bareUsage) =>
      `user ${cpu.user.toFixed(0)} + system ${cpu.system.toFixed(0)} us, ${cpu.preempted.toFixed(2)} involuntary context switches`;
    console.log(`  per request: bare ${split(bareUsage)}; palisade ${split(palisadeUsage)}`);
    console.log('  palisade latency histogram:');
    console.log(histogramText(palisadeLoop.latencies));

    // Event-loop delay of the server and of the load generator over a fixed-rate phase: a latency spike with both
    // held up is the machine stalling (this one is shared); with only the server held up, a pause of the server's.
    type Delay = { p99: number; max: number };
    const ownDelay = monitorEventLoopDelay({ resolution: 1 });
    ownDelay.enable();
    const withDelays = async (server: Target, run: () => Promise<LoadResult>) => {
      await ask<Delay>(server.child, 'delay', 'delay');
      ownDelay.reset();
      const result = await run();
      const serverDelay = await ask<Delay>(server.child, 'delay', 'delay');
      const client: Delay = { p99: ownDelay.percentile(99) / 1e6, max: ownDelay.max / 1e6 };
      return {
        result,
        delays: `event-loop delay p99/max: server ${serverDelay.p99.toFixed(1)}/${serverDelay.max.toFixed(1)} ms, load generator ${client.p99.toFixed(1)}/${client.max.toFixed(1)} ms`,
      };
    };
    const bareRate = await withDelays(bare, () => fixedRate(targetOf(bare), items, RATE, DURATION_MS));
    const palisadeRate = await withDelays(palisade, () =>
      fixedRate(targetOf(palisade), items, RATE, DURATION_MS),
    );
    console.log(`\nfixed rate ${RATE} req/s (latency from scheduled send time):`);
    console.log(`  ${line('bare node:https fixed allow', bareRate.result)}`);
    console.log(`    ${bareRate.delays}`);
    console.log(`  ${line('palisade webhook', palisadeRate.result)}`);
    console.log(`    ${palisadeRate.delays}`);

    await ask(palisade.child, 'gc', 'gc');
    const samples: NodeJS.MemoryUsage[] = [await ask(palisade.child, 'memory', 'memory')];
    const sampler = setInterval(
      async () => samples.push(await ask(palisade.child, 'memory', 'memory')),
      1000,
    );
    const memory = await withDelays(palisade, () => fixedRate(targetOf(palisade), items, RATE, MEMORY_MS));
    const memoryRun = memory.result;
    clearInterval(sampler);
    await ask(palisade.child, 'gc', 'gc');
    const end = await ask<NodeJS.MemoryUsage>(palisade.child, 'memory', 'memory');
    const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
    const start = samples[0] as NodeJS.MemoryUsage;
    const peakRss = Math.max(...samples.map((sample) => sample.rss), end.rss);
    const half = Math.floor(samples.length / 2);
    const avg = (list: NodeJS.MemoryUsage[]) =>
      list.reduce((sum, sample) => sum + sample.heapUsed, 0) / Math.max(1, list.length);
    console.log(
      `\nmemory over ${MEMORY_MS / 1000} s at ${RATE} req/s (${memoryRun.requests} requests, ${memoryRun.errors} errors, p99 ${percentile(memoryRun.latencies, 0.99).toFixed(2)} ms):`,
    );
    console.log(
      `  heap used after GC: start ${mb(start.heapUsed)}, end ${mb(end.heapUsed)} (${end.heapUsed >= start.heapUsed ? '+' : ''}${mb(end.heapUsed - start.heapUsed)})`,
    );
    console.log(
      `  mean heap used, first half ${mb(avg(samples.slice(0, half)))}, second half ${mb(avg(samples.slice(half)))}`,
    );
    console.log(`  RSS: start ${mb(start.rss)}, peak ${mb(peakRss)}, end ${mb(end.rss)}`);
    console.log(`  ${memory.delays}`);
  } finally {
    for (const server of [bare, palisade]) {
      server.child.send('exit');
      await new Promise((done) => server.child.once('exit', done));
    }
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
