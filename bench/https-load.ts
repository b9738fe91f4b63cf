// A keep-alive HTTPS load generator (what autocannon does, with node:https only): closed-loop mode (N connections,
// each sends its next request when the previous answer arrives) and fixed-rate mode (requests scheduled at a
// constant rate; latency counted from the scheduled time, so a stalled server is not hidden by waiting clients).
import { Agent, request } from 'node:https';

export interface LoadTarget {
  host: string;
  port: number;
  ca: string;
  servername: string;
}

export interface LoadRequest {
  path: string;
  body: Buffer;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** Responses other than 200. */
  non200: number;
  durationMs: number;
  /** Latencies in milliseconds, sorted. */
  latencies: Float64Array;
}

function sendOne(target: LoadTarget, agent: Agent, item: LoadRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: target.host,
        port: target.port,
        method: 'POST',
        path: item.path,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': item.body.length },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(item.body);
  });
}

function agentFor(target: LoadTarget, sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, ca: target.ca, servername: target.servername });
}

function finish(latencies: number[], errors: number, non200: number, started: number): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    errors,
    non200,
    durationMs: performance.now() - started,
    latencies: sorted,
  };
}

/** One result from several runs against the same target: requests, errors and time summed, latencies pooled. */
export function combineResults(results: readonly LoadResult[]): LoadResult {
  const latencies = new Float64Array(results.reduce((sum, result) => sum + result.latencies.length, 0));
  let offset = 0;
  for (const result of results) {
    latencies.set(result.latencies, offset);
    offset += result.latencies.length;
  }
  const sum = (field: 'requests' | 'errors' | 'non200' | 'durationMs') =>
    results.reduce((total, result) => total + result[field], 0);
  return {
    requests: sum('requests'),
    errors: sum('errors'),
    non200: sum('non200'),
    durationMs: sum('durationMs'),
    latencies: latencies.sort(),
  };
}

/** `connections` loops, each sending its next request as soon as the previous one is answered. */
export async function closedLoop(
  target: LoadTarget,
  items: readonly LoadRequest[],
  connections: number,
  durationMs: number,
): Promise<LoadResult> {
  const agent = agentFor(target, connections);
  const latencies: number[] = [];
  let errors = 0;
  let non200 = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const item = items[next++ % items.length] as LoadRequest;
      const sent = performance.now();
      try {
        const status = await sendOne(target, agent, item);
        if (status !== 200) non200++;
        latencies.push(performance.now() - sent);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return finish(latencies, errors, non200, started);
}

/** Requests at a fixed rate; each latency runs from the time the request was due, not when it went out. */
export async function fixedRate(
  target: LoadTarget,
  items: readonly LoadRequest[],
  ratePerSecond: number,
  durationMs: number,
  maxConnections = 64,
): Promise<LoadResult> {
  const agent = agentFor(target, maxConnections);
  const latencies: number[] = [];
  let errors = 0;
  let non200 = 0;
  const interval = 1000 / ratePerSecond;
  const total = Math.floor((durationMs / 1000) * ratePerSecond);
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const due = started + index * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const item = items[index % items.length] as LoadRequest;
    // Late sends count from when they were due (no coordinated omission); a timer may wake up to a millisecond
    // early, and an early send counts from when it really left, so a latency is never below zero.
    const from = Math.min(due, performance.now());
    pending.push(
      sendOne(target, agent, item).then(
        (status) => {
          if (status !== 200) non200++;
          latencies.push(performance.now() - from);
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return finish(latencies, errors, non200, started);
}

export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

/** A log-scale latency histogram as text lines: bucket upper bound and count. */
export function histogramText(sorted: Float64Array): string {
  const bounds = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, Number.POSITIVE_INFINITY];
  const counts = bounds.map(() => 0);
  let bucket = 0;
  for (const value of sorted) {
    while (value > (bounds[bucket] as number)) bucket++;
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  const widest = Math.max(...counts, 1);
  return bounds
    .map((bound, index) => {
      const count = counts[index] ?? 0;
      const label = bound === Number.POSITIVE_INFINITY ? '  >256 ms' : `<=${String(bound).padStart(5)} ms`;
      return `    ${label} ${String(count).padStart(7)} ${'#'.repeat(Math.round((count / widest) * 40))}`;
    })
    .join('\n');
}
