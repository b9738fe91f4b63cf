// Where our comparators once parted from the ecosystems' own tools: each expectation below is the reference
// implementation's answer (apk-tools, pub_semver, Composer, node-semver 7.8, RubyGems, golang.org/x/vuln).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareApk } from '../../src/vuln/version/apk.ts';
import { normalizeComposer } from '../../src/vuln/version/composer.ts';
import * as go from '../../src/vuln/version/go.ts';
import { schemeForEcosystem } from '../../src/vuln/version/index.ts';
import * as npmRange from '../../src/vuln/version/npm-range.ts';
import type { VersionScheme } from '../../src/vuln/version/scheme.ts';

function scheme(ecosystem: string): VersionScheme {
  const found = schemeForEcosystem(ecosystem);
  assert.ok(found, `no scheme for ${ecosystem}`);
  return found;
}

/** Every pair of a strictly ascending list, both ways; failures are listed together. */
function assertAscending(compare: (a: string, b: string) => number, versions: readonly string[]): void {
  const wrong: string[] = [];
  for (let i = 0; i < versions.length; i++)
    for (let j = 0; j < versions.length; j++) {
      const expected = Math.sign(i - j);
      const actual = compare(versions[i]!, versions[j]!);
      if (actual !== expected)
        wrong.push(`${versions[i]} vs ${versions[j]}: ${actual}, expected ${expected}`);
    }
  assert.deepEqual(wrong, []);
}

function assertPairs(
  compare: (a: string, b: string) => number,
  pairs: ReadonlyArray<[string, string, number]>,
) {
  const wrong = pairs
    .map(([a, b, expected]) => ({ a, b, expected, actual: compare(a, b) }))
    .filter((row) => row.actual !== row.expected);
  assert.deepEqual(wrong, []);
}

test('apk: a suffix without a number is older than the same suffix with one (apk-tools reads the number as its own token)', () => {
  assertPairs(compareApk, [
    ['1.2.3_rc', '1.2.3_rc0', -1],
    ['1.2.3_rc0', '1.2.3_rc', 1],
    ['1.2.3_p', '1.2.3_p0', -1],
    ['1.0_alpha', '1.0_alpha0', -1],
    // The suffix number outranks a revision: `_p-r1` ends its suffix where `_p0` goes on.
    ['1.0_p-r1', '1.0_p0', -1],
    ['1.0_rc-r5', '1.0_rc0', -1],
    ['1.0_rc_p', '1.0_rc0', 1],
    ['1.0_rc1', '1.0_rc', 1],
  ]);
});

test('apk: suffix order around the release and -r revisions (unchanged, already as apk-tools)', () => {
  const ascending = ['1.0_alpha', '1.0_beta', '1.0_pre', '1.0_rc', '1.0', '1.0-r0', '1.0-r1', '1.0-r10'];
  assertAscending(compareApk, [...ascending, '1.0_cvs', '1.0_svn', '1.0_git', '1.0_hg', '1.0_p', '1.0_p1']);
  assert.equal(compareApk('1.0-r1', '1.0-r01'), 0);
});

test('Pub: build metadata orders versions, after pre-releases (pub_semver compareTo)', () => {
  const pub = scheme('Pub');
  // pub_semver's own "correctly sorted list of versions".
  assertAscending(
    (a, b) => pub.compare(a, b),
    [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0-rc.1+build.1',
      '1.0.0',
      '1.0.0+0.3.7',
      '1.3.7+build',
      '1.3.7+build.2.b8f12d7',
      '1.3.7+build.11.e0f985a',
      '2.0.0',
      '2.1.0',
      '2.2.0',
      '2.11.0',
      '2.11.1',
    ],
  );
  assertAscending((a, b) => pub.compare(a, b), ['1.0.0', '1.0.0+1', '1.0.0+2', '1.0.0+10', '1.0.0+a']);
});

test('Pub: leading zeros are allowed and numeric; malformed versions are refused', () => {
  const pub = scheme('Pub');
  assertPairs(
    (a, b) => pub.compare(a, b),
    [
      ['01.2.3', '1.2.3', 0],
      ['1.02.3', '1.2.3', 0],
      ['1.2.03', '1.2.3', 0],
      ['1.2.3-01', '1.2.3-1', 0],
      ['1.2.3+01', '1.2.3+1', 0],
    ],
  );
  for (const bad of ['1.0', '1.2.3.4', '1234', '-2.3.4', '1.3-pre', '1.3+build', '1.3+bu?!3ild', 'v1.2.3'])
    assert.notEqual(pub.validate(bad), undefined, bad);
});

test("Packagist: Composer's normalize() strips +build and reads dates and date-times as versions", () => {
  // Expected forms from composer/semver's VersionParserTest.
  const normalized: Array<[string, string]> = [
    ['1.0.0+foo', '1.0.0.0'],
    ['1.0.0-beta.5+foo', '1.0.0.0-beta5'],
    ['1.0.0+foo@dev', '1.0.0.0'],
    ['1.0.0+foo as 2.0', '1.0.0.0'],
    ['20100102', '20100102'],
    ['v20100102', '20100102'],
    ['20100102.0', '20100102.0'],
    ['2010-01-02', '2010.01.02'],
    ['2010.01.02', '2010.01.02.0'],
    ['2010-01-02-10-20-30.5', '2010.01.02.10.20.30.5'],
    ['20100102-203040-p1', '20100102.203040-patch1'],
    ['99999', '99999.0.0.0'],
    ['100000', '100000'],
    ['1.x-dev', '1.9999999.9999999.9999999-dev'],
    ['1.0.0RC1dev', '1.0.0.0-RC1-dev'],
  ];
  assert.deepEqual(
    normalized.map(([input]) => [input, normalizeComposer(input)]),
    normalized,
  );
  for (const bad of ['1.0.0+foo bar', '20100102.0.3.4', '2023013.0.0', '1.0.0.0.0', 'dev-master', ''])
    assert.equal(normalizeComposer(bad), undefined, bad);
});

test('Packagist: +build and date versions compare as version_compare on the normalized forms', () => {
  const composer = scheme('Packagist');
  assertPairs(
    (a, b) => composer.compare(a, b),
    [
      ['1.0.0+build.2', '1.0.0', 0],
      ['1.0.0+b', '1.0.1', -1],
      ['2010-01-02', '2010-01-03', -1],
      ['20100102', '20100102.0', -1],
      ['2010.01.02', '2010-01-02', 1],
      ['99999', '100000', -1],
      ['1.0-', '1.0', 0],
    ],
  );
});

/** [range, version, options, satisfies, validRange is not null]: node-semver 7.8.6's answers. */
const NPM_CASES: ReadonlyArray<[string, string, npmRange.RangeOptions, boolean, boolean]> = [
  ['x.2.x', '1.2.0', {}, false, false],
  ['x.2.x', '1.2.0', { loose: true }, false, false],
  ['1.x.3', '1.5.0', {}, false, false],
  ['x.x.1', '1.0.1', {}, false, false],
  ['>x.2', '3.0.0', {}, false, false],
  ['~1.x.3', '1.5.0', {}, true, true],
  ['^x.1', '1.2.3', {}, true, true],
  ['1.2.3 - x.2.x', '9.0.0', {}, true, true],
  ['x.1 || ~01', '1.5.0', { loose: true }, true, true],
  ['x.1 || ~01', '3.0.0', { loose: true }, false, true],
  ['* || 1.2.3-beta', '1.2.3-beta', {}, false, true],
  ['>=0.0.0 || 1.2.3-beta', '1.2.3-beta', {}, false, true],
  ['1.2.3-beta', '1.2.3-beta', {}, true, true],
  ['=1.2.3 - 2', '1.5.0', {}, false, false],
  ['=1.2.3 - 2', '1.5.0', { loose: true }, true, true],
  ['= 1.2.3 - 2', '1.5.0', { loose: true }, false, true],
  ['= 1.2.3 - 2', '1.2.3', { loose: true }, true, true],
  ['1.2.3 - 2.3.4', '1.2.3-beta', { includePrerelease: true }, true, true],
  ['1.2.3 - 2.3.4', '2.3.5-beta', { includePrerelease: true }, false, true],
  ['^00.1.2', '0.5.0', { loose: true }, true, true],
  ['^0.1.2', '0.5.0', { loose: true }, false, true],
  ['1.2+build', '1.2.5', {}, true, true],
  ['1.2.3*', '1.2.3', {}, true, true],
  ['~9007199254740991', '9007199254740991.0.0', {}, false, false],
  ['1.2.99999999999999999999', '1.2.3', {}, false, false],
  ['1.2.3-01', '1.2.3-1', {}, false, false],
  ['foo 1.2.3', '1.2.3', {}, false, false],
  ['foo 1.2.3', '1.2.3', { loose: true }, true, true],
  ['<>01 ^x <>X.3.0-rc.1', '1.0.0', { loose: true }, false, false],
  ['>= 1.2.3 < 2', '1.9.0', {}, true, true],
  ['~> 1.2', '1.2.9', {}, true, true],
  ['1.x || >=2.5.0 || 5.0.0 - 7.2.3', '2.4.0', {}, false, true],
  ['1.x || >=2.5.0 || 5.0.0 - 7.2.3', '5.5.0', {}, true, true],
  ['', '0.0.0-alpha', { includePrerelease: true }, true, true],
  ['>=0.0.0', '0.0.0-alpha', { includePrerelease: true }, false, true],
  ['^1.2.3+build', '1.3.0', {}, true, true],
];

test('npm ranges: malformed x-ranges are refused and odd forms read as node-semver 7.8 reads them', () => {
  const wrong = NPM_CASES.flatMap(([range, version, options, satisfies, valid]) => {
    const actual = [
      npmRange.satisfiesNpmRange(version, range, options),
      npmRange.validNpmRange(range, options),
    ];
    return actual[0] === satisfies && actual[1] === valid
      ? []
      : [`${JSON.stringify(range)} ${version} ${JSON.stringify(options)}: got ${actual}`];
  });
  assert.deepEqual(wrong, []);
});

test('RubyGems: blank text is Gem::Version 0, and only Ruby whitespace is trimmed', () => {
  const gems = scheme('RubyGems');
  for (const blank of ['', '   ', '\t\n'])
    assert.equal(gems.validate(blank), undefined, JSON.stringify(blank));
  assertPairs(
    (a, b) => gems.compare(a, b),
    [
      ['', '0', 0],
      [' ', '0.0.0', 0],
      ['', '0.0.1', -1],
      ['', '0.a', 1],
      ['\t1.0\n', '1', 0],
    ],
  );
  // Ruby's \s has no no-break space: Gem::Version.correct?("1.0\u00a0") is false.
  assert.notEqual(gems.validate('1.0\u00a0'), undefined);
  assert.notEqual(gems.validate('1.0 1'), undefined);
});

test('Go: toolchain tags become the SemVer govulncheck uses, pre-releases kept', () => {
  const cases: Array<[string, string | undefined]> = [
    ['go1.21rc2', 'v1.21.0-rc.2'],
    ['go1.21', 'v1.21.0'],
    ['go1.21.0', 'v1.21.0'],
    ['go1.9beta1', 'v1.9.0-beta.1'],
    ['go1.21.3rc1', 'v1.21.3-rc.1'],
    ['go1', 'v1.0.0'],
    ['go1.21.0 X:boringcrypto', 'v1.21.0'],
    ['go1.0', undefined],
    ['devel go1.22-abcdef', undefined],
    ['1.21.0', undefined],
  ];
  assert.deepEqual(
    cases.map(([tag]) => [tag, go.goTagToSemver(tag)]),
    cases,
  );
  // The Go scheme itself already reads a `go` tag with its pre-release.
  const goScheme = scheme('Go');
  assert.equal(goScheme.compare('go1.21rc2', 'v1.21.0-rc.2'), 0);
  assert.equal(goScheme.compare('go1.21rc2', 'v1.21.0'), -1);
});
