// Runs the workload, secrets and network rules over the real-world corpus and prints finding counts per rule
// and a sample of messages, for false-positive review. Usage: node bench/review-hardening-rules.ts [rule-id] [sample]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadAll } from 'js-yaml';
import { evaluate } from '../src/core/engine.ts';
import type { PostureFinding, RuleError } from '../src/core/finding.ts';
import { Inventory, type InventoryEntry } from '../src/core/inventory.ts';
import { isKubeObject, type KubeObject, refOf } from '../src/core/kube-object.ts';
import { parsePssVersion } from '../src/core/pss-version.ts';
import { networkRules } from '../src/rules/network/index.ts';
import { secretsRules } from '../src/rules/secrets/index.ts';
import { workloadRules } from '../src/rules/workload/index.ts';

const root = join(import.meta.dirname, '../../shared/corpus/realworld-manifests');
const only = process.argv[2];
const sample = Number(process.argv[3] ?? 8);
const rules = [...workloadRules, ...secretsRules, ...networkRules].filter(
  (rule) => !only || rule.id === only,
);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function flatten(value: unknown): KubeObject[] {
  if (!isKubeObject(value)) return [];
  if (value.kind.endsWith('List') && Array.isArray(value.items)) return value.items.flatMap(flatten);
  return [value];
}

// One inventory per directory: the objects of one directory are the ones applied together.
const byDirectory = new Map<string, InventoryEntry[]>();
for (const file of walk(root)) {
  let docs: unknown[];
  try {
    docs = loadAll(readFileSync(file, 'utf8')) as unknown[];
  } catch {
    continue;
  }
  const list = byDirectory.get(dirname(file)) ?? [];
  for (const object of docs.flatMap(flatten))
    list.push({ object, ref: refOf(object), source: { type: 'inline' } });
  byDirectory.set(dirname(file), list);
}
const started = performance.now();
const pssVersion = parsePssVersion('latest');
const result = { findings: [] as PostureFinding[], errors: [] as RuleError[] };
let objects = 0;
for (const entries of byDirectory.values()) {
  objects += entries.length;
  const one = evaluate(new Inventory(entries), { rules, pssVersion });
  result.findings.push(...one.findings);
  result.errors.push(...one.errors);
}
const elapsed = performance.now() - started;
console.log(
  `${objects} objects in ${byDirectory.size} directories, ${rules.length} rules, ${result.findings.length} findings, ${result.errors.length} errors, ${elapsed.toFixed(0)} ms`,
);
for (const error of result.errors.slice(0, 5)) console.log('ERROR', error.message);
const counts = new Map<string, typeof result.findings>();
for (const finding of result.findings)
  counts.set(finding.ruleId, [...(counts.get(finding.ruleId) ?? []), finding]);
for (const rule of rules) {
  const findings = counts.get(rule.id) ?? [];
  const objects = new Set(
    findings.map((f) => `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`),
  ).size;
  console.log(`\n${rule.id} (${rule.severity}): ${findings.length} findings on ${objects} objects`);
  const step = Math.max(1, Math.floor(findings.length / sample));
  for (let i = 0; i < findings.length && i / step < sample; i += step) {
    const f = findings[i];
    if (f)
      console.log(`  ${f.resource.kind}/${f.resource.namespace ?? '-'}/${f.resource.name}: ${f.message}`);
  }
}
