// Every CVSS vector of ../shared/corpus/cvss/ scored and compared with the published score.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { cvss3BaseScore } from '../../src/vuln/cvss/v3.ts';
import { cvss4Score, parseCvss4 } from '../../src/vuln/cvss/v4.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';

const skip = skipWithoutShared('corpus', 'cvss');

function rows(file: string): string[][] {
  return readFileSync(sharedPath('corpus', 'cvss', file), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

function mismatches(file: string, score: (vector: string) => number): string[] {
  const wrong: string[] = [];
  const all = rows(file);
  assert.ok(all.length > 1000, `${file}: too few rows read`);
  for (const [vector = '', expected = ''] of all) {
    let actual: number | string;
    try {
      actual = score(vector);
    } catch (error) {
      actual = (error as Error).message;
    }
    if (actual !== Number(expected)) wrong.push(`${vector}: got ${actual}, expected ${expected}`);
  }
  return wrong;
}

test('CVSS v3.1: every vector gives its base score', { skip }, () => {
  assert.deepEqual(mismatches('cvss-v3.1.tsv', cvss3BaseScore), []);
});

test('CVSS v3.0: every vector gives its base score (3.0 rounding)', { skip }, () => {
  assert.deepEqual(mismatches('cvss-v3.0.tsv', cvss3BaseScore), []);
});

test('CVSS v4.0: every vector gives its score (base, threat, environmental, supplemental)', { skip }, () => {
  assert.deepEqual(mismatches('cvss-v4.0.tsv', cvss4Score), []);
});

test('CVSS v4.0: parse cases accept the valid and refuse the invalid', { skip }, () => {
  const wrong: string[] = [];
  for (const [vector = '', expected = '', reason = ''] of rows('cvss-v4.0-parse.tsv')) {
    let valid = true;
    try {
      parseCvss4(vector);
    } catch {
      valid = false;
    }
    if ((expected === 'valid') !== valid) wrong.push(`${reason}: ${vector}`);
  }
  assert.deepEqual(wrong, []);
});
