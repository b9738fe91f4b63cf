// Golden files under test/golden/<scenario>/. `UPDATE_GOLDEN=1` rewrites them; otherwise a drift fails
// with the first differing lines, so the diff is readable without a tool.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const GOLDEN_ROOT = fileURLToPath(new URL('../golden/', import.meta.url));
const CONTEXT = 3;
const MAX_SHOWN = 40;

export function assertGolden(relativePath: string, actual: string): void {
  const file = `${GOLDEN_ROOT}${relativePath}`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file))
    assert.fail(`golden file test/golden/${relativePath} is missing; run with UPDATE_GOLDEN=1`);
  const expected = readFileSync(file, 'utf8');
  if (actual === expected) return;
  assert.fail(
    `output differs from test/golden/${relativePath} (rerun with UPDATE_GOLDEN=1 if the change is intended):\n${lineDiff(expected, actual)}`,
  );
}

/** The region around the first and last differing lines: `-` expected, `+` actual. */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, start - CONTEXT);
  const out = [`@@ line ${start + 1} @@`];
  for (let i = from; i < start; i++) out.push(`  ${show(a[i])}`);
  for (const line of a.slice(start, endA + 1).slice(0, MAX_SHOWN)) out.push(`- ${show(line)}`);
  for (const line of b.slice(start, endB + 1).slice(0, MAX_SHOWN)) out.push(`+ ${show(line)}`);
  for (let i = endA + 1; i < Math.min(a.length, endA + 1 + CONTEXT); i++) out.push(`  ${show(a[i])}`);
  return out.join('\n');
}

/** JSON-quoted, so invisible differences (escape codes, trailing spaces) show. */
function show(line: string | undefined): string {
  return JSON.stringify(line ?? '').slice(1, -1);
}
