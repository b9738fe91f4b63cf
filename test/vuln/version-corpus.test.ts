// Every public version-comparison vector in ../shared/corpus/versions/, one test per file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { apkScheme, compareApk } from '../../src/vuln/version/apk.ts';
import { dpkgScheme } from '../../src/vuln/version/dpkg.ts';
import { satisfiesNpmRange } from '../../src/vuln/version/npm-range.ts';
import { compareParsedPep440, normalizePep440, parsePep440 } from '../../src/vuln/version/pep440.ts';
import { rpmvercmp } from '../../src/vuln/version/rpm.ts';
import { compareSemver, parseSemver } from '../../src/vuln/version/semver.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';

const skip = skipWithoutShared('corpus', 'versions');

function rows(file: string): string[][] {
  const lines = readFileSync(sharedPath('corpus', 'versions', file), 'utf8').split('\n');
  return lines
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

/** Collects every mismatch so a failure lists all of them, not just the first. */
function expectAll(label: string, cases: Array<{ name: string; actual: unknown; expected: unknown }>): void {
  const failures = cases.filter((c) => JSON.stringify(c.actual) !== JSON.stringify(c.expected));
  assert.ok(cases.length > 0, `${label}: no cases read`);
  assert.deepEqual(
    failures.map((f) => `${f.name}: got ${JSON.stringify(f.actual)} expected ${JSON.stringify(f.expected)}`),
    [],
  );
}

function signOf(run: () => number): number | string {
  try {
    return run();
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

test('dpkg: every comparison vector', { skip }, () => {
  expectAll(
    'dpkg',
    rows('dpkg-version-compare.tsv').map(([left = '', right = '', expected = '']) => ({
      name: `${left} vs ${right}`,
      actual: signOf(() => dpkgScheme.compare(left, right)),
      expected: Number(expected),
    })),
  );
});

test('dpkg: every validity vector (warnings count as invalid: they are not versions dpkg writes)', {
  skip,
}, () => {
  expectAll(
    'dpkg validity',
    rows('dpkg-version-validity.tsv').map(([raw = '', expected = '']) => {
      const version = raw.replace(/\\t/g, '\t');
      return {
        name: JSON.stringify(version),
        actual: dpkgScheme.validate(version) === undefined ? 'valid' : 'invalid',
        expected: expected === 'valid' ? 'valid' : 'invalid',
      };
    }),
  );
});

test('rpm: every asserted rpmvercmp vector', { skip }, () => {
  expectAll(
    'rpm',
    rows('rpm-rpmvercmp.tsv')
      .filter((row) => row[3] === 'asserted')
      .map(([left = '', right = '', expected = '']) => ({
        name: `${left} vs ${right}`,
        actual: rpmvercmp(left, right),
        expected: Number(expected),
      })),
  );
});

const APK_OPS: Record<string, (left: string, right: string) => boolean> = {
  '<': (l, r) => compareApk(l, r) < 0,
  '>': (l, r) => compareApk(l, r) > 0,
  '=': (l, r) => compareApk(l, r) === 0,
  '~': (l, r) => compareApk(l, r, true) === 0,
  '!~': (l, r) => compareApk(l, r, true) !== 0,
  '<~': (l, r) => compareApk(l, r, true) < 0,
  '>~': (l, r) => compareApk(l, r, true) > 0,
};

test('apk: every comparison vector (including fuzzy ~ forms)', { skip }, () => {
  expectAll(
    'apk',
    rows('apk-version-compare.tsv').map(([left = '', op = '', right = '']) => {
      const check = APK_OPS[op];
      return {
        name: `${left} ${op} ${right}`,
        actual: check ? check(left, right) : `unknown op ${op}`,
        expected: true,
      };
    }),
  );
});

test('apk: every validity vector', { skip }, () => {
  expectAll(
    'apk validity',
    rows('apk-version-validity.tsv').map(([version = '', expected = '']) => ({
      name: JSON.stringify(version),
      actual: apkScheme.validate(version) === undefined ? 'valid' : 'invalid',
      expected,
    })),
  );
});

test('semver: every comparison vector (loose rows parsed loosely)', { skip }, () => {
  expectAll(
    'semver',
    rows('semver-compare.tsv').map(([left = '', right = '', expected = '', options = '']) => ({
      name: `${left} vs ${right} ${options}`,
      actual: signOf(() => compareSemver(left, right, { loose: options === 'loose' })),
      expected: Number(expected),
    })),
  );
});

test('semver: every invalid version is refused', { skip }, () => {
  expectAll(
    'semver invalid',
    rows('semver-invalid-versions.tsv').map(([value = '', , options = '']) => ({
      name: value.slice(0, 40),
      actual: typeof parseSemver(value, { loose: options === 'loose' }),
      expected: 'string',
    })),
  );
});

test('pep440: every comparison pair', { skip }, () => {
  expectAll(
    'pep440',
    rows('pep440-compare-pairs.tsv').map(([left = '', right = '', expected = '']) => {
      const a = parsePep440(left);
      const b = parsePep440(right);
      return {
        name: `${left} vs ${right}`,
        actual: typeof a === 'string' || typeof b === 'string' ? 'unparsed' : compareParsedPep440(a, b),
        expected: Number(expected),
      };
    }),
  );
});

test('pep440: the ascending list is strictly ascending', { skip }, () => {
  const versions = readFileSync(sharedPath('corpus', 'versions', 'pep440-versions-ascending.txt'), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));
  const cases = [];
  for (let i = 0; i < versions.length; i++)
    for (let j = 0; j < versions.length; j++) {
      const a = parsePep440(versions[i]!);
      const b = parsePep440(versions[j]!);
      cases.push({
        name: `${versions[i]} vs ${versions[j]}`,
        actual: typeof a === 'string' || typeof b === 'string' ? 'unparsed' : compareParsedPep440(a, b),
        expected: Math.sign(i - j),
      });
    }
  expectAll('pep440 ascending', cases);
});

test('pep440: invalid, normalized and component tables', { skip }, () => {
  const tables = JSON.parse(readFileSync(sharedPath('corpus', 'versions', 'pep440-tables.json'), 'utf8')) as {
    tables: Record<string, { cases: unknown[] }>;
  };
  const cases: Array<{ name: string; actual: unknown; expected: unknown }> = [];
  for (const version of tables.tables.test_invalid_versions?.cases ?? [])
    cases.push({
      name: `invalid ${version}`,
      actual: typeof parsePep440(String(version)),
      expected: 'string',
    });
  for (const tableName of ['test_normalized_versions', 'test_version_str_repr']) {
    for (const entry of (tables.tables[tableName]?.cases ?? []) as Array<[string, string]>) {
      const parsed = parsePep440(entry[0]);
      cases.push({
        name: `${tableName} ${entry[0]}`,
        actual: typeof parsed === 'string' ? parsed : normalizePep440(parsed),
        expected: entry[1],
      });
    }
  }
  const component: Record<string, (v: Exclude<ReturnType<typeof parsePep440>, string>) => unknown> = {
    test_version_public: (v) =>
      normalizePep440({ ...v, local: undefined as never }).replace(/\+undefined$/, ''),
    test_version_base_version: (v) => `${v.epoch === '0' ? '' : `${v.epoch}!`}${v.release.join('.')}`,
    test_version_epoch: (v) => Number(v.epoch),
    test_version_release: (v) => v.release.map(Number),
    test_version_local: (v) => (v.local ? v.local.join('.') : null),
    test_version_pre: (v) => (v.pre ? [v.pre.label, Number(v.pre.number)] : null),
    test_version_dev: (v) => (v.dev === undefined ? null : Number(v.dev)),
    test_version_post: (v) => (v.post === undefined ? null : Number(v.post)),
    test_version_is_prerelease: (v) => v.pre !== undefined || v.dev !== undefined,
    test_version_is_devrelease: (v) => v.dev !== undefined,
    test_version_is_postrelease: (v) => v.post !== undefined,
  };
  for (const [tableName, extract] of Object.entries(component)) {
    for (const entry of (tables.tables[tableName]?.cases ?? []) as Array<[string, unknown]>) {
      const parsed = parsePep440(entry[0]);
      cases.push({
        name: `${tableName} ${entry[0]}`,
        actual: typeof parsed === 'string' ? parsed : extract(parsed),
        expected: entry[1],
      });
    }
  }
  expectAll('pep440 tables', cases);
});

test('npm ranges: every satisfies vector', { skip }, () => {
  expectAll(
    'semver ranges',
    rows('semver-range-satisfies.tsv').map(([range = '', version = '', expected = '', options = '']) => ({
      name: `${JSON.stringify(range)} ${version} ${options}`,
      actual: satisfiesNpmRange(version, range.replace(/\\t/g, '\t'), {
        loose: options === 'loose',
        includePrerelease: options === 'includePrerelease',
      }),
      expected: expected === 'true',
    })),
  );
});
