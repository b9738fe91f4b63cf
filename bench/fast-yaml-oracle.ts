// Oracle for the fast YAML path: every document it accepts must give exactly js-yaml's value.
// Usage: node bench/fast-yaml-oracle.ts [DIR...]  (default: the shared corpora and a generated corpus)

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { load } from 'js-yaml';
import { splitDocuments } from '../src/inputs/document-splitter.ts';
import { FALLBACK, parseFastYaml } from '../src/inputs/fast-yaml.ts';
import { KUBERNETES_YAML_SCHEMA } from '../src/inputs/yaml-schema.ts';
import { sharedPath } from '../test/shared-corpus.ts';
import { generateCorpus } from './generate-corpus.ts';

export interface OracleResult {
  documents: number;
  fast: number;
  mismatches: { name: string; line: number; detail: string }[];
}

export function compareDocuments(texts: Iterable<{ name: string; text: string }>): OracleResult {
  const result: OracleResult = { documents: 0, fast: 0, mismatches: [] };
  for (const { name, text } of texts) {
    for (const segment of splitDocuments(text)) {
      if (segment.empty) continue;
      result.documents++;
      const fast = parseFastYaml(segment.text, 100);
      if (fast === FALLBACK) continue;
      result.fast++;
      let expected: unknown;
      try {
        expected = load(segment.text, { schema: KUBERNETES_YAML_SCHEMA, maxDepth: 100 });
      } catch (error) {
        result.mismatches.push({
          name,
          line: segment.startLine,
          detail: `js-yaml refuses it: ${(error as Error).message.split('\n')[0]}`,
        });
        continue;
      }
      if (!isDeepStrictEqual(fast, expected))
        result.mismatches.push({
          name,
          line: segment.startLine,
          detail: firstDifference(fast, expected, ''),
        });
    }
  }
  return result;
}

function firstDifference(a: unknown, b: unknown, path: string): string {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return `${path || '/'}: fast ${JSON.stringify(a)?.slice(0, 80)} vs js-yaml ${JSON.stringify(b)?.slice(0, 80)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const x = (a as Record<string, unknown>)[key];
    const y = (b as Record<string, unknown>)[key];
    if (!isDeepStrictEqual(x, y)) return firstDifference(x, y, `${path}/${key}`);
  }
  return `${path || '/'}: types differ`;
}

export function* yamlFilesUnder(dirs: readonly string[]): Generator<{ name: string; text: string }> {
  for (const dir of dirs)
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
      const file = join(entry.parentPath, entry.name);
      yield { name: file, text: readFileSync(file, 'utf8') };
    }
}

if (import.meta.main) {
  const dirs = process.argv.slice(2);
  const sets: [string, Iterable<{ name: string; text: string }>][] =
    dirs.length > 0
      ? [['given', yamlFilesUnder(dirs)]]
      : [
          ['realworld-manifests', yamlFilesUnder([sharedPath('corpus/realworld-manifests')])],
          ['psa-fixtures', yamlFilesUnder([sharedPath('corpus/psa-fixtures')])],
          ['helm-kustomize', yamlFilesUnder([sharedPath('corpus/helm-kustomize')])],
          ['generated 20k', generateCorpus(20000)],
        ];
  let failed = false;
  for (const [label, texts] of sets) {
    const r = compareDocuments(texts);
    console.log(
      `${label}: ${r.documents} documents, ${r.fast} on the fast path (${((100 * r.fast) / Math.max(1, r.documents)).toFixed(1)}%), ${r.mismatches.length} mismatches`,
    );
    for (const m of r.mismatches.slice(0, 20)) console.log(`  ${m.name}:${m.line}: ${m.detail}`);
    if (r.mismatches.length > 0) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}
