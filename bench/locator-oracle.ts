// Dev-time check of the fast YAML locator against the `yaml` package as oracle, on real manifests.
// Run: ./node_modules/.bin/node bench/locator-oracle.ts [dir ...]   (default: the realworld and PSA corpora)
// For every object, every leaf path, every collection path, every container path and a few missing paths are
// located three ways: the production locate (fast, with its safety net), the fast scan alone, and the oracle.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldPath } from '../src/core/kube-object.ts';
import { getPath, isRecord } from '../src/core/kube-object.ts';
import { containersOf, podTemplateOf } from '../src/core/pod-spec.ts';
import type { LocatedField } from '../src/core/source.ts';
import { classifyDocument } from '../src/inputs/classify-document.ts';
import { type DocumentSegment, splitDocuments } from '../src/inputs/document-splitter.ts';
import { createFallbackLocator } from '../src/inputs/fallback-locator.ts';
import { YamlLocator } from '../src/inputs/yaml-locator.ts';
import { type ParseLimits, parseJsonDocument, parseYamlDocument } from '../src/inputs/yaml-parse.ts';

const shared = process.env.PALISADE_SHARED ?? join(import.meta.dirname, '..', '..', 'shared');
const roots =
  process.argv.length > 2
    ? process.argv.slice(2)
    : [join(shared, 'corpus', 'realworld-manifests'), join(shared, 'corpus', 'psa-fixtures')];
const limits: ParseLimits = { maxDocumentBytes: 8 * 1024 * 1024, maxDepth: 200, maxNodes: 1_000_000 };

function filesUnder(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort()
    .map((name) => join(root, name));
}

function pathsOf(value: unknown, prefix: (string | number)[], out: FieldPath[], depth = 0): void {
  if (depth > 100) return;
  out.push([...prefix]);
  if (Array.isArray(value)) value.forEach((item, i) => void pathsOf(item, [...prefix, i], out, depth + 1));
  else if (isRecord(value))
    for (const key of Object.keys(value)) pathsOf(value[key], [...prefix, key], out, depth + 1);
}

const same = (a: LocatedField, b: LocatedField): boolean =>
  a.line === b.line && a.column === b.column && a.path.length === b.path.length;

let objects = 0;
let paths = 0;
let agree = 0;
let fastAgree = 0;
let documentsWithFallback = 0;
let fallbackLookups = 0;
const mismatches: string[] = [];

const started = performance.now();
for (const root of roots) {
  for (const file of filesUnder(root)) {
    const raw = readFileSync(file, 'utf8');
    const body = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    const json = file.endsWith('.json') ? parseJsonDocument(body, limits) : undefined;
    const segments: { segment: DocumentSegment; value: unknown }[] = [];
    if (json?.ok)
      segments.push({
        segment: { index: 0, text: body, startLine: 1, contentLine: 1, empty: false },
        value: json.value,
      });
    else
      for (const segment of splitDocuments(body)) {
        if (segment.empty) continue;
        const parsed = parseYamlDocument(segment.text, limits);
        if (parsed.ok) segments.push({ segment, value: parsed.value });
      }
    for (const { segment, value } of segments) {
      const { objects: found } = classifyDocument(value);
      if (found.length === 0) continue;
      const production = new YamlLocator(segment.text, segment.startLine);
      const fastOnly = new YamlLocator(segment.text, segment.startLine);
      const oracle = createFallbackLocator(segment.text, segment.startLine);
      const exists = (path: FieldPath): boolean => getPath(value, path) !== undefined;
      for (const { object, prefix } of found) {
        objects++;
        const list: FieldPath[] = [];
        pathsOf(object, [...prefix], list);
        const view = podTemplateOf(object);
        if (view)
          for (const container of containersOf(view)) {
            list.push([...prefix, ...container.path]);
            list.push([...prefix, ...container.path, 'securityContext', 'privileged']);
            list.push([...prefix, ...container.path, 'no-such-field', 0]);
          }
        list.push([...prefix, 'metadata', 'annotations', 'palisade.dev/ignore']);
        for (const path of list) {
          paths++;
          const expected = oracle(path);
          const got = production.locate(path, exists);
          if (same(got, expected)) agree++;
          else if (mismatches.length < 30)
            mismatches.push(
              `${file}:${segment.startLine} ${JSON.stringify(path)} got ${got.line}:${got.column} (${got.path.length}) want ${expected.line}:${expected.column} (${expected.path.length})`,
            );
          if (same(fastOnly.locate(path), expected)) fastAgree++;
        }
      }
      if (production.fallbacks > 0) documentsWithFallback++;
      fallbackLookups += production.fallbacks;
    }
  }
}

const percent = (n: number): string => ((100 * n) / paths).toFixed(4);
console.log(`objects ${objects}; paths ${paths}; ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`production locate agrees with the yaml package: ${agree}/${paths} (${percent(agree)}%)`);
console.log(
  `without the safety net (fields the scan missed): ${fastAgree}/${paths} (${percent(fastAgree)}%)`,
);
console.log(
  `documents that used the fallback: ${documentsWithFallback}; lookups that did: ${fallbackLookups}`,
);
for (const line of mismatches) console.log(`  mismatch ${line}`);
