// Detection throughput: a large audit stream (real event shapes from ../shared/corpus/audit when present,
// generated ones otherwise) posted as webhook-sized EventList batches, through Falco's k8s_audit rules plus
// Palisade's built-ins, against the rate of only JSON-parsing the same batches, measured in the same run.
// Also the ledger's append rate. Usage: node bench/detect.ts [events=200000] [batch=400]
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventsFromValue } from '../src/detect/audit-event.ts';
import { loadBuiltinRuleset } from '../src/detect/builtin/builtin-ruleset.ts';
import { DetectionEngine } from '../src/detect/engine.ts';
import { AlertRateLimiter } from '../src/detect/rate-limiter.ts';
import { loadRulesTexts } from '../src/detect/rules/load-rules.ts';
import { generateLedgerKeys, openLedger } from '../src/ledger/index.ts';
import { sharedPath } from '../test/shared-corpus.ts';

const TOTAL = Number(process.argv[2] ?? 200_000);
const BATCH = Number(process.argv[3] ?? 400);

function templates(): Record<string, unknown>[] {
  const log = sharedPath('corpus', 'audit', 'audit.log');
  if (existsSync(log))
    return readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
  return Array.from({ length: 50 }, (_, i) => ({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `t-${i}`,
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/ns${i % 5}/pods`,
    verb: i % 3 === 0 ? 'create' : 'list',
    user: {
      username: i % 4 === 0 ? 'alice' : 'system:kube-controller-manager',
      groups: ['system:authenticated'],
    },
    sourceIPs: ['10.0.0.1'],
    userAgent: 'kubectl/v1.30.0',
    objectRef: { resource: i % 7 === 0 ? 'secrets' : 'pods', namespace: `ns${i % 5}`, name: `p${i}` },
    responseStatus: { code: 200 },
    requestReceivedTimestamp: '2026-11-22T10:00:00.000000Z',
    stageTimestamp: '2026-11-22T10:00:00.001000Z',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
  }));
}

function buildBatches(): string[] {
  const base = templates();
  const batches: string[] = [];
  let items: unknown[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const template = base[i % base.length]!;
    // A distinct auditID per event, so at-least-once deduplication does not shortcut the work.
    const { kind: _kind, apiVersion: _apiVersion, ...item } = template;
    items.push({
      ...item,
      auditID: `${String(template.auditID).slice(0, 24)}${String(i).padStart(12, '0')}`,
    });
    if (items.length === BATCH) {
      batches.push(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items }));
      items = [];
    }
  }
  if (items.length > 0)
    batches.push(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items }));
  return batches;
}

function falcoRuleset() {
  const path = sharedPath('corpus', 'falco', 'plugins-rules', 'k8s_audit_rules.HEAD-0b3cbd8d84eb.yaml');
  if (!existsSync(path)) return undefined;
  return loadRulesTexts([{ text: readFileSync(path, 'utf8'), file: path }]).ruleset;
}

let peakRss = 0;
/** The loops are synchronous (no timer would fire), so they sample memory themselves, once per batch. */
function sampleMemory(): void {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}

function parseOnly(batches: readonly string[]): number {
  const start = performance.now();
  let count = 0;
  for (const text of batches) {
    count += (JSON.parse(text) as { items: unknown[] }).items.length;
    sampleMemory();
  }
  const seconds = (performance.now() - start) / 1000;
  return count / seconds;
}

function detect(batches: readonly string[]) {
  const falco = falcoRuleset();
  const rulesets = [loadBuiltinRuleset().ruleset, ...(falco ? [falco] : [])];
  const engine = new DetectionEngine({ rulesets });
  const limiter = new AlertRateLimiter({ limit: 20, windowMs: 60_000 });
  let alertBytes = 0;
  const start = performance.now();
  for (const text of batches) {
    const parsed = eventsFromValue(JSON.parse(text), 'bench', 0);
    for (const event of parsed.events) {
      for (const alert of engine.process(event))
        for (const out of limiter.offer(alert, 0)) alertBytes += JSON.stringify(out).length;
    }
    sampleMemory();
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    rate: engine.stats.events / seconds,
    rules: engine.ruleCount,
    falco: falco !== undefined,
    alerts: engine.stats.alerts,
    alertBytes,
  };
}

async function ledgerRate(): Promise<{ sequential: number; concurrent: number } | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'palisade-bench-ledger-'));
  try {
    const keys = generateLedgerKeys('palisade/alerts');
    await writeFile(join(dir, 'k.key'), keys.privateKeyPem, { mode: 0o600 });
    const entry = JSON.stringify({
      rule: 'Exec Into Pod',
      priority: 'Warning',
      output: 'x'.repeat(300),
      output_fields: {},
      tags: [],
      source: 'k8s_audit',
      time: '',
    });
    const seq = await openLedger({
      dir: join(dir, 'seq'),
      origin: 'palisade/alerts',
      signingKeyFile: join(dir, 'k.key'),
    });
    let start = performance.now();
    for (let i = 0; i < 300; i++) await seq.append(entry);
    const sequential = 300 / ((performance.now() - start) / 1000);
    await seq.close();
    const conc = await openLedger({
      dir: join(dir, 'conc'),
      origin: 'palisade/alerts',
      signingKeyFile: join(dir, 'k.key'),
    });
    start = performance.now();
    for (let round = 0; round < 20; round++)
      await Promise.all(Array.from({ length: 100 }, () => conc.append(entry)));
    const concurrent = 2000 / ((performance.now() - start) / 1000);
    await conc.close();
    return { sequential, concurrent };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const batches = buildBatches();
const megabytes = batches.reduce((sum, text) => sum + text.length, 0) / 1e6;
const baselineRss = process.memoryUsage.rss();
// Warm up both paths once on a slice so the JIT does not favour whichever runs first.
parseOnly(batches.slice(0, 20));
detect(batches.slice(0, 20));
const parseRate = parseOnly(batches);
const result = detect(batches);
const parseRate2 = parseOnly(batches);
const parseMean = (parseRate + parseRate2) / 2;
console.log(
  `events: ${TOTAL} in ${batches.length} EventList batches of ${BATCH} (${megabytes.toFixed(1)} MB of JSON)`,
);
console.log(
  `rules: ${result.rules} (built-ins${result.falco ? ' + Falco k8s_audit_rules.yaml HEAD' : '; Falco rules file not found'})`,
);
console.log(
  `parse only:              ${Math.round(parseMean).toLocaleString('en')} events/s (runs: ${Math.round(parseRate)}, ${Math.round(parseRate2)})`,
);
console.log(
  `parse + detect + alerts: ${Math.round(result.rate).toLocaleString('en')} events/s  (${result.alerts} alerts before rate limiting)`,
);
console.log(`ratio detect/parse-only: ${((result.rate / parseMean) * 100).toFixed(1)}% (target >= 50%)`);
console.log(
  `peak RSS: ${(peakRss / 1e6).toFixed(0)} MB (${((peakRss - baselineRss) / 1e6).toFixed(0)} MB above the process holding the ${megabytes.toFixed(0)} MB of batches)`,
);
const ledger = await ledgerRate();
if (ledger)
  console.log(
    `ledger append: ${Math.round(ledger.sequential)} entries/s one at a time (each durable), ${Math.round(ledger.concurrent)} entries/s 100 in flight`,
  );
