// Benchmark: full scan (load with positions, inventory, every built-in rule, locations of every finding)
// against js-yaml `loadAll` parse-only throughput measured in the same run, on the real-world corpus and on a
// generated corpus. Each phase runs in its own process so that its peak RSS is its own.
// Run: ./node_modules/.bin/node bench/scan.ts [--objects 100000] [--repeats 5]   (env PALISADE_SHARED overrides ../shared)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { evaluate } from '../src/core/engine.ts';
import { Inventory } from '../src/core/inventory.ts';
import { parsePssVersion } from '../src/core/pss-version.ts';
import { loadManifestText } from '../src/inputs/manifest-loader.ts';
import { builtinRules } from '../src/rules/index.ts';
import { generateCorpus } from './generate-corpus.ts';

type Corpus = 'realworld' | 'generated';
type Mode = 'parse' | 'scan';

interface Counts {
  objects: number;
  findings: number;
  issues: number;
  /** Scan only: the part spent loading (split, parse, validate) and the part spent evaluating rules. */
  loadMs: number;
  evaluateMs: number;
}

interface PhaseResult extends Counts {
  bytes: number;
  files: number;
  bestMs: number;
  peakRssMb: number;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

const REPEATS = Number(argument('--repeats') ?? 5);

function corpusTexts(corpus: Corpus, objects: number): { name: string; text: string }[] {
  if (corpus === 'generated') return generateCorpus(objects);
  const shared = process.env.PALISADE_SHARED ?? join(import.meta.dirname, '..', '..', 'shared');
  const root = join(shared, 'corpus', 'realworld-manifests');
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(root, name), 'utf8') }));
}

function parseOnly(texts: readonly { text: string }[]): Counts {
  let objects = 0;
  let issues = 0;
  for (const { text } of texts) {
    try {
      objects += loadAll(text).length;
    } catch {
      issues++;
    }
  }
  return { objects, findings: 0, issues, loadMs: 0, evaluateMs: 0 };
}

function fullScan(texts: readonly { name: string; text: string }[]): Counts {
  const started = performance.now();
  const entries = [];
  let issues = 0;
  for (const { name, text } of texts) {
    const loaded = loadManifestText(text, name);
    for (const entry of loaded.entries) entries.push(entry);
    issues += loaded.issues.length;
  }
  const loaded = performance.now();
  const result = evaluate(new Inventory(entries), {
    rules: builtinRules,
    pssVersion: parsePssVersion('latest'),
  });
  const loadMs = loaded - started;
  const evaluateMs = performance.now() - loaded;
  return { objects: entries.length, findings: result.findings.length, issues, loadMs, evaluateMs };
}

type Measured = PhaseResult & { parseMs: number };

/**
 * Runs in a child process and prints JSON. `timing` alternates parse-only and scan rounds in one process and keeps
 * the best of each, so that both face the same machine state (this VM's speed drifts by tens of percent between
 * processes); `parse` and `scan` run once each, for their own peak RSS.
 */
function runPhase(corpus: Corpus, mode: Mode | 'timing', objects: number): void {
  const texts = corpusTexts(corpus, objects);
  const bytes = texts.reduce((sum, { text }) => sum + Buffer.byteLength(text, 'utf8'), 0);
  let bestScan = Number.POSITIVE_INFINITY;
  let bestParse = Number.POSITIVE_INFINITY;
  let counts: Counts = { objects: 0, findings: 0, issues: 0, loadMs: 0, evaluateMs: 0 };
  const rounds = mode === 'timing' ? REPEATS : 1;
  for (let i = 0; i < rounds; i++) {
    if (mode !== 'scan') {
      const started = performance.now();
      parseOnly(texts);
      bestParse = Math.min(bestParse, performance.now() - started);
    }
    if (mode !== 'parse') {
      const started = performance.now();
      const run = fullScan(texts);
      const elapsed = performance.now() - started;
      if (elapsed < bestScan) {
        bestScan = elapsed;
        counts = run;
      }
    }
  }
  const result: Measured = {
    bytes,
    files: texts.length,
    bestMs: bestScan,
    parseMs: bestParse,
    ...counts,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(result));
}

function phase(corpus: Corpus, mode: Mode | 'timing', objects: number): Measured {
  const child = spawnSync(
    process.execPath,
    [
      import.meta.filename,
      '--phase',
      `${corpus}:${mode}`,
      '--objects',
      String(objects),
      '--repeats',
      String(REPEATS),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20, env: process.env },
  );
  if (child.status !== 0) throw new Error(`phase ${corpus}:${mode} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as Measured;
}

const rate = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);

const objects = Number(argument('--objects') ?? 100_000);
const only = argument('--phase');
if (only) {
  const [corpus, mode] = only.split(':') as [Corpus, Mode | 'timing'];
  runPhase(corpus, mode, objects);
} else {
  console.log(
    `node ${process.version}; ${builtinRules.length} rules; best of ${REPEATS} alternating rounds of parse-only and scan`,
  );
  for (const corpus of ['realworld', 'generated'] as const) {
    const timing = phase(corpus, 'timing', objects);
    const parseRss = phase(corpus, 'parse', objects).peakRssMb;
    const scanRss = phase(corpus, 'scan', objects).peakRssMb;
    const parseRate = rate(timing.bytes, timing.parseMs);
    const scanRate = rate(timing.bytes, timing.bestMs);
    console.log(
      `${corpus}: ${timing.files} files, ${(timing.bytes / 1e6).toFixed(1)} MB; ` +
        `parse-only ${parseRate.toFixed(1)} MB/s; scan ${scanRate.toFixed(1)} MB/s (${(scanRate / parseRate).toFixed(2)}x), ` +
        `${Math.round(timing.objects / (timing.bestMs / 1000))} objects/s; ` +
        `${timing.objects} objects; ${timing.findings} findings; ${timing.issues} load issues; ` +
        `peak RSS parse-only ${Math.round(parseRss)} MB, scan ${Math.round(scanRss)} MB`,
    );
    const loadRate = rate(timing.bytes, timing.loadMs);
    console.log(
      `  of the scan: loading with positions ${(timing.loadMs / 1000).toFixed(2)} s (${loadRate.toFixed(1)} MB/s, ` +
        `${(loadRate / parseRate).toFixed(2)}x parse-only); evaluating rules and locating findings ${(timing.evaluateMs / 1000).toFixed(2)} s`,
    );
  }
}
