// A server for bench/webhook.ts, run in its own process so that it does not share an event loop with the load
// generator: `palisade` (the real webhook) or `bare` (node:https answering a fixed allow). Prints its port, then
// answers `memory`, `cpu` and `usage` messages with process.memoryUsage(), cpuUsage() and resourceUsage().
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SILENT_LOGGER } from '../src/server/json-log.ts';
import { startWebhookServer } from '../src/server/webhook-server.ts';

const [mode, dir] = process.argv.slice(2) as [string, string];
const certFile = join(dir, 'tls.crt');
const keyFile = join(dir, 'tls.key');

async function start(): Promise<number> {
  if (mode === 'palisade') {
    const server = await startWebhookServer({
      host: '127.0.0.1',
      port: 0,
      certFile,
      keyFile,
      policyFile: join(dir, 'policy.yaml'),
      logger: SILENT_LOGGER,
    });
    return server.port;
  }
  const allow = (uid: string) =>
    JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid, allowed: true },
    });
  const server = createServer(
    {
      cert: readFileSync(certFile),
      key: readFileSync(keyFile),
      minVersion: 'TLSv1.2',
      keepAliveTimeout: 30_000,
    },
    (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        // Parses the review to echo its uid, as any real webhook must: the baseline does the minimum honest work.
        const uid =
          (JSON.parse(Buffer.concat(chunks).toString()) as { request?: { uid?: string } }).request?.uid ?? '';
        const body = allow(uid);
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        });
        response.end(body);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const port = await start();
// The bench process gone (killed, or its output cut short by a pipe): stop too, so that no orphaned server keeps
// answering stray connections and takes CPU from the next run's measurements.
process.on('disconnect', () => process.exit(0));
// How long the server's event loop was held up (GC pauses, long turns), read and reset by the bench around each
// fixed-rate phase: next to the load generator's own, it tells a server pause from the whole machine stalling.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
process.on('message', (message) => {
  if (message === 'delay') {
    process.send?.({ delay: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } });
    loopDelay.reset();
  }
  if (message === 'memory') process.send?.({ memory: process.memoryUsage() });
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  if (message === 'usage') process.send?.({ usage: process.resourceUsage() });
  // A clean exit, so that --cpu-prof (PALISADE_BENCH_PROFILE=dir) writes its profile.
  if (message === 'exit') process.exit(0);
  if (message === 'gc') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ gc: true });
  }
});
process.send?.({ port });
