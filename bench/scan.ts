// Benchmark: full scan (load with positions, inventory, every built-in rule, locations of every finding)
// against js-yaml `loadAll` parse-only throughput measured in the same run, on the real-world corpus and on a
// generated corpus. Each phase runs in its own process so that its peak RSS is its own.
// Run: ./node_modules/.bin/node bench/scan.ts [--objects 100000] [--repeats 3]   (env PALISADE_SHARED overrides ../shared)
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

const REPEATS = Number(argument('--repeats') ?? 3);

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

/** Runs one phase in this process and prints its result as JSON (the child side). */
function runPhase(corpus: Corpus, mode: Mode, objects: number): void {
  const texts = corpusTexts(corpus, objects);
  const bytes = texts.reduce((sum, { text }) => sum + Buffer.byteLength(text, 'utf8'), 0);
  let best = Number.POSITIVE_INFINITY;
  let counts: Counts = { objects: 0, findings: 0, issues: 0, loadMs: 0, evaluateMs: 0 };
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    const run = mode === 'parse' ? parseOnly(texts) : fullScan(texts);
    const elapsed = performance.now() - started;
    if (elapsed < best) {
      best = elapsed;
      counts = run;
    }
  }
  const result: PhaseResult = {
    bytes,
    files: texts.length,
    bestMs: best,
    ...counts,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(result));
}

function phase(corpus: Corpus, mode: Mode, objects: number): PhaseResult {
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
  return JSON.parse(child.stdout) as PhaseResult;
}

const mbPerSecond = (result: PhaseResult): number => result.bytes / 1e6 / (result.bestMs / 1000);

const objects = Number(argument('--objects') ?? 100_000);
const only = argument('--phase');
if (only) {
  const [corpus, mode] = only.split(':') as [Corpus, Mode];
  runPhase(corpus, mode, objects);
} else {
  console.log(`node ${process.version}; ${builtinRules.length} rules; best of ${REPEATS} runs per phase`);
  for (const corpus of ['realworld', 'generated'] as const) {
    const parse = phase(corpus, 'parse', objects);
    const scan = phase(corpus, 'scan', objects);
    const ratio = mbPerSecond(scan) / mbPerSecond(parse);
    console.log(
      `${corpus}: ${parse.files} files, ${(parse.bytes / 1e6).toFixed(1)} MB; ` +
        `parse-only ${mbPerSecond(parse).toFixed(1)} MB/s; ` +
        `scan ${mbPerSecond(scan).toFixed(1)} MB/s (${ratio.toFixed(2)}x), ` +
        `${Math.round(scan.objects / (scan.bestMs / 1000))} objects/s; ` +
        `${scan.objects} objects; ${scan.findings} findings; ${scan.issues} load issues; ` +
        `peak RSS parse-only ${Math.round(parse.peakRssMb)} MB, scan ${Math.round(scan.peakRssMb)} MB`,
    );
    const loadRate = scan.bytes / 1e6 / (scan.loadMs / 1000);
    console.log(
      `  of the scan: loading with positions ${(scan.loadMs / 1000).toFixed(2)} s (${loadRate.toFixed(1)} MB/s, ` +
        `${(loadRate / mbPerSecond(parse)).toFixed(2)}x parse-only); evaluating rules and locating findings ${(scan.evaluateMs / 1000).toFixed(2)} s`,
    );
  }
}
