// Benchmark of the vulnerability database: import of 300,000 generated OSV advisories (six ecosystem all.zip
// files, as OSV publishes them), database size, matching an inventory of 5,000 packages, and peak memory.
// Baseline, measured in the same run: only JSON.parse of the same advisory texts.
// Run: ./node_modules/.bin/node bench/vuln.ts [advisories] [packages]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdvisoryDatabase } from '../src/vuln/db/database.ts';
import { importOsv } from '../src/vuln/db/import.ts';
import { writeZip } from '../src/vuln/db/zip-writer.ts';
import { matchPackages } from '../src/vuln/match/matcher.ts';
import type { MatchPackage } from '../src/vuln/match/package.ts';

const GENERATE_INTO = process.argv[2] === '--generate-into' ? process.argv[3] : undefined;
const ADVISORIES = Number((GENERATE_INTO ? process.argv[4] : process.argv[2]) ?? 300_000);
const PACKAGES = Number(process.argv[3] ?? 5_000);
const ADVISORIES_PER_PACKAGE = 5;

/** Deterministic pseudo-random numbers, so every run generates the same data. */
let seed = 42;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const pick = (n: number): number => Math.floor(random() * n);

const ECOSYSTEMS: Array<{
  ecosystem: string;
  type: 'SEMVER' | 'ECOSYSTEM';
  version: (a: number, b: number, c: number) => string;
}> = [
  { ecosystem: 'npm', type: 'SEMVER', version: (a, b, c) => `${a}.${b}.${c}` },
  { ecosystem: 'PyPI', type: 'ECOSYSTEM', version: (a, b, c) => `${a}.${b}.${c}` },
  { ecosystem: 'Go', type: 'SEMVER', version: (a, b, c) => `${a}.${b}.${c}` },
  { ecosystem: 'Maven', type: 'ECOSYSTEM', version: (a, b, c) => `${a}.${b}.${c}` },
  { ecosystem: 'Debian:12', type: 'ECOSYSTEM', version: (a, b, c) => `${a}.${b}-${c}+deb12u1` },
  { ecosystem: 'Alpine:v3.20', type: 'ECOSYSTEM', version: (a, b, c) => `${a}.${b}.${c}-r${c}` },
];

function packageName(ecosystem: string, index: number): string {
  if (ecosystem === 'Maven') return `org.example.group${index % 97}:artifact-${index}`;
  if (ecosystem === 'Go') return `example.com/module${index}`;
  return `package-${index}`;
}

function advisory(ecosystemIndex: number, number: number): string {
  const { ecosystem, type, version } = ECOSYSTEMS[ecosystemIndex]!;
  const packageIndex = Math.floor(number / ADVISORIES_PER_PACKAGE);
  const major = pick(5);
  const introduced = version(major, pick(10), 0);
  const fixed = version(major, 10 + pick(10), pick(20));
  return JSON.stringify({
    schema_version: '1.6.0',
    id: `BENCH-${ecosystemIndex}-${number}`,
    modified: '2026-01-01T00:00:00Z',
    published: '2025-01-01T00:00:00Z',
    aliases: [`CVE-2026-${ecosystemIndex}${String(number).padStart(6, '0')}`],
    summary: `Generated advisory ${number} for ${packageName(ecosystem, packageIndex)}`,
    details: 'A generated advisory of realistic size. '.repeat(12),
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:L/A:N' }],
    affected: [
      {
        package: { ecosystem, name: packageName(ecosystem, packageIndex) },
        ranges: [{ type, events: [{ introduced }, { fixed }] }],
      },
    ],
    references: [{ type: 'ADVISORY', url: `https://example.test/advisories/${number}` }],
  });
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

interface Generated {
  total: number;
  jsonBytes: number;
  parseMs: number;
  parsed: number;
  zips: string[];
}

/**
 * Runs in a child process (so the generator's memory does not count in the import's peak): one ecosystem at a
 * time, the same texts feed the baseline (JSON.parse only) and that ecosystem's all.zip.
 */
function generate(directory: string): Generated {
  const perEcosystem = Math.ceil(ADVISORIES / ECOSYSTEMS.length);
  let total = 0;
  let jsonBytes = 0;
  let parseMs = 0;
  let parsed = 0;
  const zips: string[] = [];
  for (let e = 0; e < ECOSYSTEMS.length; e++) {
    const texts: string[] = [];
    for (let n = 0; n < perEcosystem && total < ADVISORIES; n++, total++) texts.push(advisory(e, n));
    jsonBytes += texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    const started = performance.now();
    for (const text of texts) parsed += (JSON.parse(text) as { id: string }).id.length > 0 ? 1 : 0;
    parseMs += performance.now() - started;
    const path = join(directory, `${e}-all.zip`);
    writeFileSync(path, writeZip(texts.map((text, n) => ({ name: `BENCH-${e}-${n}.json`, data: text }))));
    zips.push(path);
  }
  return { total, jsonBytes, parseMs, parsed, zips };
}

if (GENERATE_INTO !== undefined) {
  process.stdout.write(JSON.stringify(generate(GENERATE_INTO)));
} else {
  await main();
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'palisade-bench-vuln-'));
  try {
    const { total, jsonBytes, parseMs, parsed, zips } = JSON.parse(
      execFileSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--generate-into', directory, String(ADVISORIES)],
        {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        },
      ),
    ) as Generated;
    const perEcosystem = Math.ceil(ADVISORIES / ECOSYSTEMS.length);
    const zipBytes = zips.reduce((sum, path) => sum + statSync(path).size, 0);

    // Import.
    const dbPath = join(directory, 'vuln.db');
    const db = AdvisoryDatabase.open(dbPath, { create: true });
    let started = performance.now();
    let imported = 0;
    for (const [e, zip] of zips.entries()) {
      const stats = await importOsv(db, zip, { source: `osv:${ECOSYSTEMS[e]!.ecosystem}`, now: new Date() });
      imported += stats.inserted;
    }
    const importMs = performance.now() - started;
    db.close();
    const dbBytes = ['', '-wal', '-shm'].reduce((sum, suffix) => {
      try {
        return sum + statSync(dbPath + suffix).size;
      } catch {
        return sum;
      }
    }, 0);

    // Re-import (incremental: all unchanged).
    const again = AdvisoryDatabase.open(dbPath, { create: false });
    started = performance.now();
    let unchanged = 0;
    for (const [e, zip] of zips.entries())
      unchanged += (
        await importOsv(again, zip, { source: `osv:${ECOSYSTEMS[e]!.ecosystem}`, now: new Date() })
      ).unchanged;
    const reimportMs = performance.now() - started;

    // Inventory: packages spread over the ecosystems, half of them named in advisories, random versions.
    const packagesInDb = Math.floor(perEcosystem / ADVISORIES_PER_PACKAGE);
    const inventory: MatchPackage[] = [];
    for (let i = 0; i < PACKAGES; i++) {
      const e = i % ECOSYSTEMS.length;
      const { ecosystem, version } = ECOSYSTEMS[e]!;
      const index = i % 2 === 0 ? pick(packagesInDb) : packagesInDb + i;
      inventory.push({
        ecosystem,
        name: packageName(ecosystem, index),
        version: version(pick(5), pick(25), pick(20)),
      });
    }
    started = performance.now();
    const result = matchPackages(again, inventory, 'bench');
    const matchMs = performance.now() - started;
    again.close();

    const peak = process.resourceUsage().maxRSS * 1024;
    console.log(
      `advisories generated: ${total} in ${ECOSYSTEMS.length} all.zip files (${megabytes(zipBytes)} zipped, ${megabytes(jsonBytes)} JSON); parsed ${parsed}`,
    );
    console.log(
      `baseline, JSON.parse only:  ${parseMs.toFixed(0)} ms (${Math.round(total / (parseMs / 1000))} advisories/s)`,
    );
    console.log(
      `import into SQLite:         ${importMs.toFixed(0)} ms (${Math.round(imported / (importMs / 1000))} advisories/s), ${(importMs / parseMs).toFixed(1)}x the parse-only baseline`,
    );
    console.log(
      `re-import, all unchanged:   ${reimportMs.toFixed(0)} ms (${unchanged} unchanged), ${(reimportMs / parseMs).toFixed(1)}x baseline`,
    );
    console.log(
      `database size:              ${megabytes(dbBytes)} (${(dbBytes / jsonBytes).toFixed(2)}x the JSON)`,
    );
    console.log(
      `match ${PACKAGES} packages:       ${matchMs.toFixed(0)} ms (${(matchMs / PACKAGES).toFixed(3)} ms/package), ${(matchMs / parseMs).toFixed(2)}x baseline; ${result.findings.length} findings`,
    );
    console.log(
      `peak memory (max RSS):      ${megabytes(peak)} (import and match; the data is generated in a child process)`,
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
