// Hand-checked CVSS scores (FIRST calculator examples) and the refusal of malformed vectors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreCvssVector, severityFromScore, severityOfCvss } from './index.ts';
import { cvss2BaseScore } from './v2.ts';
import { cvss3BaseScore } from './v3.ts';
import { cvss4Score } from './v4.ts';

test('v3.1 and v3.0 examples, including one where their rounding differs', () => {
  assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 9.8);
  assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'), 10);
  assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N'), 0);
  assert.equal(cvss3BaseScore('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N'), 5.5);
  // Temporal and environmental metrics are parsed and do not change the base score.
  assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:R/CR:L'), 9.8);
});

test('v4.0 examples (values from the FIRST calculator, as in go-cvss)', () => {
  assert.equal(cvss4Score('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), 9.3);
  assert.equal(cvss4Score('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N'), 0);
  assert.equal(cvss4Score('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U'), 9.1);
});

test('v2 base scores as NVD publishes them, with temporal and environmental metrics parsed but not scored', () => {
  const cases: [string, number][] = [
    ['AV:N/AC:L/Au:N/C:C/I:C/A:C', 10],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5],
    ['AV:N/AC:M/Au:N/C:C/I:C/A:C', 9.3],
    ['AV:N/AC:M/Au:N/C:P/I:P/A:P', 6.8],
    ['AV:L/AC:L/Au:N/C:C/I:C/A:C', 7.2],
    ['AV:L/AC:M/Au:N/C:C/I:C/A:C', 6.9],
    ['AV:A/AC:L/Au:N/C:C/I:C/A:C', 8.3],
    ['AV:N/AC:L/Au:S/C:P/I:P/A:P', 6.5],
    ['AV:N/AC:H/Au:N/C:P/I:P/A:P', 5.1],
    ['AV:N/AC:L/Au:N/C:N/I:N/A:P', 5],
    ['AV:N/AC:M/Au:N/C:N/I:P/A:N', 4.3],
    ['AV:L/AC:L/Au:N/C:P/I:N/A:N', 2.1],
    ['AV:N/AC:L/Au:N/C:N/I:N/A:N', 0],
    ['(AV:N/AC:L/Au:N/C:P/I:P/A:P)', 7.5],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC/RL:OF/RC:C/CDP:N/TD:H/CR:ND/IR:ND/AR:ND', 7.5],
  ];
  for (const [vector, score] of cases) assert.equal(cvss2BaseScore(vector), score, vector);
  // NVD's v2 bands have no critical: 9.3 is high.
  const scored = scoreCvssVector('AV:N/AC:M/Au:N/C:C/I:C/A:C');
  assert.deepEqual(scored, { version: '2.0', vector: 'AV:N/AC:M/Au:N/C:C/I:C/A:C', score: 9.3 });
  assert.equal(severityOfCvss(scored), 'high');
  assert.equal(severityOfCvss({ version: '2.0', vector: '', score: 4 }), 'medium');
  assert.equal(severityOfCvss({ version: '2.0', vector: '', score: 0 }), 'low');
});

test('malformed vectors are refused, never scored by guess', () => {
  for (const vector of [
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
    'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N',
    'AV:N/AC:L/Au:N/C:P/I:P',
    'AV:N/AC:L/Au:N/C:P/I:P/A:X',
    'AV:N/AC:L/Au:N/Au:N/C:P/I:P/A:P',
    'AV:N/AC:L/PR:N/C:P/I:P/A:P',
    `CVSS:3.1/${'AV:N/'.repeat(10000)}`,
    `${'AV:N/'.repeat(10000)}`,
  ])
    assert.equal(scoreCvssVector(vector), undefined, vector.slice(0, 60));
});

test('qualitative severity', () => {
  assert.deepEqual([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityFromScore), [
    'info',
    'low',
    'low',
    'medium',
    'medium',
    'high',
    'high',
    'critical',
    'critical',
  ]);
});
