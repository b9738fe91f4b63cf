// Hand-written ordering cases per scheme, beyond the public vectors: each row is left < right unless marked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schemeForEcosystem } from './index.ts';
import type { VersionScheme } from './scheme.ts';

/** Each list is strictly ascending; every pair is checked both ways. */
const ASCENDING: Record<string, string[]> = {
  Debian: ['1.0~rc1-1', '1.0-1', '1.0-1+deb12u1', '1.0-2', '1.0a-1', '1.1-1', '1:0.1-1', '2:0.0.1'],
  AlmaLinux: ['1.0~rc1-1.el9', '1.0-1.el9', '1.0-1.el9_1', '1.0^git1-1.el9', '1.0.1-1.el9', '1:0.9-1.el9'],
  Alpine: ['1.0_alpha1', '1.0_beta', '1.0_rc2', '1.0', '1.0-r1', '1.0_p1', '1.0a', '1.0.1', '1.2.10'],
  npm: [
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.0.1',
    '10.0.0',
  ],
  Go: [
    'v0.0.0-20191109021931-daa7c04131f5',
    'v0.0.0-20201109021931-aaaaaaaaaaaa',
    'v0.1.0',
    'v1.2.3',
    'v1.2.4-0.20191109021931-daa7c04131f5',
    'v1.2.4',
    'v2.0.0+incompatible',
    'v2.1.0+incompatible',
  ],
  PyPI: ['1.0.dev1', '1.0a1', '1.0b2.post3', '1.0rc1', '1.0', '1.0+local.1', '1.0.post1', '1.1', '1!0.1'],
  Maven: [
    '1.0-alpha-1',
    '1.0-beta',
    '1.0-milestone-1',
    '1.0-rc1',
    '1.0-SNAPSHOT',
    '1.0',
    '1.0-sp1',
    '1.0.1',
    '1.1',
    '1.10',
  ],
  RubyGems: ['1.0.a', '1.0.a.2', '1.0.b1', '1.0.rc1', '1.0', '1.0.1', '1.1', '2'],
  NuGet: ['1.0.0-alpha', '1.0.0-Beta', '1.0.0-beta.2', '1.0.0-rc.1', '1.0.0', '1.0.0.1', '1.0.1', '1.10.0'],
  Packagist: [
    '1.0.0-dev',
    '1.0.0-alpha1',
    '1.0.0-beta2',
    '1.0.0-RC1',
    '1.0.0',
    '1.0.0-p1',
    '1.0.1',
    'v1.1',
    '2.0',
  ],
};

/** Pairs each scheme considers equal. */
const EQUAL: Record<string, Array<[string, string]>> = {
  Debian: [
    ['1.0', '0:1.0'],
    ['1.0-0', '1.0-0'],
  ],
  AlmaLinux: [['0:1.0-1.el9', '1.0-1.el9']],
  npm: [['1.2.3+build.1', '1.2.3+build.2']],
  Go: [['v2.0.0+incompatible', 'v2.0.0']],
  PyPI: [
    ['1.0', '1.0.0'],
    ['1.0alpha1', '1.0a1'],
    ['1.0-1', '1.0.post1'],
  ],
  Maven: [
    ['1.0', '1.0.0'],
    ['1.0-ga', '1'],
    ['1.0-final', '1.0'],
    ['1.0-cr1', '1.0-rc1'],
    // Maven 3.9 (MNG-7644): a qualifier after a dot is read as after a dash.
    ['2.0.0-RC1', '2.0.0.RC1'],
    ['1.0-alpha', '1.0.alpha'],
  ],
  RubyGems: [
    ['1.0', '1.0.0'],
    ['1.0-beta', '1.0.pre.beta'],
  ],
  NuGet: [
    ['1.0', '1.0.0.0'],
    ['1.0.0-BETA', '1.0.0-beta'],
    ['1.0.0+meta', '1.0.0'],
  ],
  Packagist: [
    ['v1.0', '1.0.0.0'],
    ['1.0.0-beta.2', '1.0.0-beta2'],
  ],
};

function scheme(ecosystem: string): VersionScheme {
  const found = schemeForEcosystem(ecosystem);
  assert.ok(found, `no scheme for ${ecosystem}`);
  return found;
}

/** Pairs where left < right, each checked against Maven 3.9.6's ComparableVersion (MNG-7644, MNG-6964). */
const LESS: Record<string, Array<[string, string]>> = {
  // rpm's parseEVR takes an epoch only from digits before the colon; otherwise the colon is part of the version
  // (osv-scanner's redhat-versions fixture).
  'Red Hat': [
    ['a:1', 'b:1'],
    ['a1:1', 'a2:1'],
    ['b~1:1', 'b:1'],
    ['a:1', '0:1'],
  ],
  Maven: [
    ['3.0.0.M9', '3.0.0-M10'],
    ['5.4.0.CR1', '5.4.0-SNAPSHOT'],
    ['1-0.alpha', '1'],
    ['1-0.beta', '1'],
    ['1', '1-GA.m'],
  ],
};

for (const [ecosystem, pairs] of Object.entries(LESS)) {
  test(`${ecosystem}: ordered pairs`, () => {
    for (const [left, right] of pairs) {
      assert.equal(scheme(ecosystem).compare(left, right), -1, `${left} < ${right}`);
      assert.equal(scheme(ecosystem).compare(right, left), 1, `${right} > ${left}`);
    }
  });
}

for (const [ecosystem, versions] of Object.entries(ASCENDING)) {
  test(`${ecosystem}: hand-written ascending list`, () => {
    const wrong: string[] = [];
    for (let i = 0; i < versions.length; i++)
      for (let j = 0; j < versions.length; j++) {
        const actual = scheme(ecosystem).compare(versions[i]!, versions[j]!);
        if (actual !== Math.sign(i - j)) wrong.push(`${versions[i]} vs ${versions[j]} gave ${actual}`);
      }
    assert.deepEqual(wrong, []);
  });
}

for (const [ecosystem, pairs] of Object.entries(EQUAL)) {
  test(`${ecosystem}: equal spellings`, () => {
    for (const [left, right] of pairs)
      assert.equal(scheme(ecosystem).compare(left, right), 0, `${left} = ${right}`);
  });
}

test('invalid versions are refused with the scheme named, never ordered by guess', () => {
  const cases: Array<[string, string]> = [
    ['npm', 'not-a-version'],
    ['PyPI', 'french toast'],
    ['Debian', '1.0 beta'],
    ['Alpine', '1.0_foobar'],
    ['NuGet', '1.2.3.4.5'],
    ['Packagist', 'dev-main'],
    ['RubyGems', '1..0'],
  ];
  for (const [ecosystem, version] of cases) {
    assert.ok(scheme(ecosystem).validate(version), `${ecosystem} ${version} should be invalid`);
    assert.throws(() => scheme(ecosystem).compare(version, '1.0.0'), { code: 'unsupported' });
  }
});

test('hostile input: huge numbers compare exactly and very long versions are refused', () => {
  assert.equal(scheme('Debian').compare('1.99999999999999999999999', '1.99999999999999999999998'), 1);
  assert.equal(scheme('AlmaLinux').compare('1.99999999999999999999999-1', '1.99999999999999999999998-1'), 1);
  assert.ok(scheme('npm').validate(`1.0.0-${'a'.repeat(300)}`));
  assert.ok(scheme('Debian').validate(`1.${'0'.repeat(300)}`));
});

test('ecosystems with a release suffix use the base scheme; unknown ecosystems have none', () => {
  assert.equal(schemeForEcosystem('Debian:12')?.name, 'dpkg');
  assert.equal(schemeForEcosystem('Ubuntu:22.04:LTS')?.name, 'dpkg');
  assert.equal(schemeForEcosystem('Alpine:v3.20')?.name, 'apk');
  assert.equal(schemeForEcosystem('Rocky Linux:9')?.name, 'rpm');
  assert.equal(schemeForEcosystem('GIT'), undefined);
});

test('Go toolchain versions (go1.21rc2, go1.9) order like the SemVer OSV writes for them', () => {
  const go = scheme('Go');
  assert.equal(go.compare('go1.21rc2', '1.21.0-rc.2'), 0);
  assert.equal(go.compare('go1.21rc2', 'go1.21.0'), -1);
  assert.equal(go.compare('go1.9', '1.9.0'), 0);
  assert.equal(go.compare('go1.20.14', 'go1.21rc1'), -1);
});
