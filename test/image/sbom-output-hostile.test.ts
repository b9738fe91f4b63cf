// What the SBOM writers make of hostile lockfile data: a lone UTF-16 surrogate in one version does not lose the
// lockfile, and license texts that are not valid SPDX expressions become LicenseRefs, never invalid expressions.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatPurl } from '../../src/image/purl.ts';
import { spdxExpression } from '../../src/image/sbom/spdx-license.ts';
import { runPalisade } from '../cli/cli-harness.ts';
import { skipWithoutShared } from '../shared-corpus.ts';
import { cycloneDxValidator, spdxValidator } from './sbom-schemas.ts';
import { tempDir } from './temp-dir.ts';

// biome-ignore lint/suspicious/noExplicitAny: SBOM documents are inspected loosely in assertions
type LooseJson = any;

const skip = skipWithoutShared('corpus', 'schemas', 'spdx', 'spdx-schema-2.3.json');

describe('SBOM output from hostile lockfiles', () => {
  it('formats a purl whose parts hold lone surrogates (U+FFFD, not "URI malformed")', () => {
    assert.equal(formatPurl({ type: 'npm', name: 'x', version: '1.0.0\ud800' }), 'pkg:npm/x@1.0.0%EF%BF%BD');
    assert.equal(formatPurl({ type: 'npm', name: '\udc00y', version: '1' }), 'pkg:npm/%EF%BF%BDy@1');
    assert.equal(
      formatPurl({ type: 'npm', name: 'ok\ud83d\ude00', version: '1' }),
      'pkg:npm/ok%F0%9F%98%80@1',
    );
  });

  it('lowercases composer vendors and names, as the purl composer type requires (versions keep their case)', () => {
    assert.equal(
      formatPurl({ type: 'composer', namespace: 'Symfony', name: 'Http-Kernel', version: 'v5.4.0-RC1' }),
      'pkg:composer/symfony/http-kernel@v5.4.0-RC1',
    );
  });

  it('keeps the rest of a package-lock.json when one version has a lone surrogate', { skip }, async (t) => {
    const dir = await tempDir(t);
    // JSON.stringify writes the lone surrogate as the escape `\ud800`, as a hostile lockfile would.
    const lock = JSON.stringify({
      name: 'root',
      lockfileVersion: 3,
      packages: {
        '': { name: 'root' },
        'node_modules/x': { version: '1.0.0\ud800' },
        'node_modules/y': { version: '2.0.0' },
      },
    });
    assert.match(lock, /\\ud800/);
    await writeFile(join(dir, 'package-lock.json'), lock);
    const run = await runPalisade(['sbom', '.', '--format', 'cyclonedx'], { cwd: dir });
    assert.doesNotMatch(run.stderr, /URI malformed/);
    assert.equal(run.code, 0, run.stderr);
    const bom: LooseJson = JSON.parse(run.stdout);
    const purls = bom.components.map((component: { purl?: string }) => component.purl).sort();
    assert.deepEqual(purls, ['pkg:npm/x@1.0.0%EF%BF%BD', 'pkg:npm/y@2.0.0']);
    const validate = cycloneDxValidator();
    assert.equal(validate(bom), true, JSON.stringify(validate.errors));
  });

  it('accepts only grammatical SPDX expressions of known ids', () => {
    for (const text of [
      'MIT MIT',
      'AND',
      '()',
      'MIT)',
      '(MIT',
      'OR MIT',
      'MIT OR',
      '(MIT AND)',
      'MIT WITH MIT',
      'MIT WITH',
      'WITH Classpath-exception-2.0',
      'Classpath-exception-2.0',
      'MIT WITH Foo-exception',
      'GPL-2.0-only WITH Classpath-exception-2.0 WITH LLVM-exception',
      'MIT AND AND ISC',
      '(MIT) (ISC)',
      'MIT+ +',
      'LicenseRef-x',
      `${'('.repeat(100)}MIT${')'.repeat(100)}`,
      'MIT OR '.repeat(500) + 'MIT',
    ])
      assert.equal(spdxExpression(text), undefined, text);
    assert.equal(spdxExpression('mit'), 'MIT');
    assert.equal(spdxExpression('(MIT OR Apache-2.0)'), 'MIT OR Apache-2.0');
    assert.equal(spdxExpression('mit and (isc or apache-2.0)'), 'MIT AND (ISC OR Apache-2.0)');
    assert.equal(spdxExpression('MIT OR ISC AND Zlib'), 'MIT OR ISC AND Zlib');
    assert.equal(spdxExpression('(MIT OR ISC) AND Zlib'), '(MIT OR ISC) AND Zlib');
    assert.equal(
      spdxExpression('gpl-2.0-only with classpath-exception-2.0'),
      'GPL-2.0-only WITH Classpath-exception-2.0',
    );
    assert.equal(spdxExpression('Apache-2.0+'), 'Apache-2.0+');
    assert.equal(spdxExpression('gpl-2+'), 'GPL-2.0-or-later');
    assert.equal(spdxExpression('((MIT))'), 'MIT');
    // Deprecated SPDX ids, as package metadata still writes them, and names that mean one id (as CycloneDX reads them).
    assert.equal(spdxExpression('GPL-2.0+'), 'GPL-2.0-or-later');
    assert.equal(spdxExpression('GPL-1.0'), 'GPL-1.0-only');
    assert.equal(spdxExpression('GPL-2.0 OR LGPL-3.0+'), 'GPL-2.0-only OR LGPL-3.0-or-later');
    assert.equal(spdxExpression('Apache 2.0'), 'Apache-2.0');
    assert.equal(spdxExpression('Apache License 2.0'), 'Apache-2.0');
  });

  it('writes invalid license expressions as LicenseRefs, and the SPDX document validates', {
    skip,
  }, async (t) => {
    const dir = await tempDir(t);
    const invalid = [
      'MIT MIT',
      'AND',
      '()',
      'MIT)',
      'OR MIT',
      '(MIT AND)',
      'MIT WITH MIT',
      'Classpath-exception-2.0',
    ];
    const packages: Record<string, unknown> = { '': { name: 'root' } };
    invalid.forEach((license, i) => {
      packages[`node_modules/p${i}`] = { version: '1.0.0', license };
    });
    packages['node_modules/good'] = {
      version: '1.0.0',
      license: 'GPL-2.0-only WITH Classpath-exception-2.0',
    };
    await writeFile(
      join(dir, 'package-lock.json'),
      JSON.stringify({ name: 'root', lockfileVersion: 3, packages }),
    );
    const run = await runPalisade(['sbom', '.', '--format', 'spdx'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const spdx: LooseJson = JSON.parse(run.stdout);
    const validate = spdxValidator();
    assert.equal(validate(spdx), true, JSON.stringify(validate.errors));
    const declared = new Map(
      spdx.packages.map((pkg: { name: string; licenseDeclared: string }) => [pkg.name, pkg.licenseDeclared]),
    );
    const extracted = new Map(
      spdx.hasExtractedLicensingInfos.map((info: { licenseId: string; extractedText: string }) => [
        info.licenseId,
        info.extractedText,
      ]),
    );
    invalid.forEach((license, i) => {
      const value = declared.get(`p${i}`) as string;
      assert.match(value, /^LicenseRef-[A-Za-z0-9.-]+$/, `${license} -> ${value}`);
      assert.equal(extracted.get(value), license);
    });
    assert.equal(declared.get('good'), 'GPL-2.0-only WITH Classpath-exception-2.0');
  });
});
