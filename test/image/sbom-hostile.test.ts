// `palisade sbom` on hostile or unusual input: names that carry terminal escapes, components without purls,
// byte-order marks, prototype-named keys, oversized files, and SBOMs whose size would make reading quadratic.
import assert from 'node:assert/strict';
import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readSbom } from '../../src/image/index.ts';
import { runPalisade } from '../cli/cli-harness.ts';
import { tempDir } from './temp-dir.ts';

// biome-ignore lint/suspicious/noExplicitAny: SBOM documents are inspected loosely in assertions
type LooseJson = any;

const cdx = (components: unknown[]): string =>
  JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components });

describe('palisade sbom on hostile input', () => {
  it('escapes control characters from file names in what it prints', async (t) => {
    const dir = await tempDir(t);
    await mkdir(join(dir, 'repo', '\u001b[31mred'), { recursive: true });
    await writeFile(join(dir, 'repo', '\u001b[31mred', 'package-lock.json'), '{ broken');
    const run = await runPalisade(['sbom', 'repo'], { cwd: dir });
    assert.ok(!run.stderr.includes('\u001b'), 'no raw escape character reaches the terminal');
    assert.match(run.stderr, /error: \\x1b\[31mred\/package-lock\.json: not read: invalid JSON/);
    assert.equal(run.code, 3, 'a lockfile not read makes the SBOM incomplete');
  });

  it('names the components it leaves out for want of a purl (not operating systems or the subject)', async (t) => {
    const dir = await tempDir(t);
    const unnamed = Array.from({ length: 7 }, (_, i) => ({ type: 'library', name: `c${i}`, version: '1' }));
    await writeFile(
      join(dir, 'in.cdx.json'),
      cdx([
        { type: 'operating-system', name: 'debian', version: '12' },
        { type: 'library', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' },
        ...unnamed,
      ]),
    );
    await writeFile(
      join(dir, 'in.spdx.json'),
      JSON.stringify({
        spdxVersion: 'SPDX-2.3',
        documentDescribes: ['SPDXRef-Root'],
        packages: [
          { SPDXID: 'SPDXRef-Root', name: 'app' },
          { SPDXID: 'SPDXRef-OS', name: 'debian', primaryPackagePurpose: 'OPERATING_SYSTEM' },
          { SPDXID: 'SPDXRef-Vendored', name: 'vendored-zlib', versionInfo: '1.3' },
        ],
      }),
    );
    const cyclone = await runPalisade(['sbom', 'in.cdx.json'], { cwd: dir });
    assert.equal(cyclone.code, 0, cyclone.stderr);
    assert.equal(
      cyclone.stderr,
      'palisade sbom: warning: in.cdx.json: 7 component(s) without a package URL (purl) left out: c0@1, c1@1, c2@1, c3@1, c4@1, and 2 more\n',
    );
    const spdx = await runPalisade(['sbom', 'in.spdx.json'], { cwd: dir });
    assert.equal(spdx.code, 0, spdx.stderr);
    assert.equal(
      spdx.stderr,
      'palisade sbom: warning: in.spdx.json: 1 package(s) without a package URL (purl) left out: vendored-zlib@1.3\n',
    );
  });

  it('names the XML and tag-value SBOM formats it does not read, in sbom and scan-sbom, instead of a JSON error', async (t) => {
    const dir = await tempDir(t);
    const files: Record<string, [string, string]> = {
      'bom.xml': [
        '<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"/>\n',
        'a CycloneDX XML SBOM',
      ],
      'doc.spdx': ['# made by hand\nSPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n', 'an SPDX tag-value SBOM'],
      'doc.rdf': [
        '\ufeff<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#"></rdf:RDF>\n',
        'an SPDX RDF/XML SBOM',
      ],
    };
    for (const [name, [text, format]] of Object.entries(files)) {
      await writeFile(join(dir, name), text);
      for (const command of ['sbom', 'scan-sbom']) {
        const database = command === 'scan-sbom' ? ['--db', join(dir, 'none.db')] : [];
        const run = await runPalisade([command, name, ...database], { cwd: dir });
        assert.equal(run.code, 3, `${command} ${name}`);
        assert.match(
          run.stderr,
          new RegExp(
            `^palisade ${command}: ${name}: ${format}, which is not read: only CycloneDX JSON and SPDX JSON SBOMs are`,
          ),
        );
      }
    }
    // Other XML is not called an SBOM.
    await writeFile(join(dir, 'pom.xml'), '<project xmlns="http://maven.apache.org/POM/4.0.0"/>\n');
    const pom = await runPalisade(['sbom', 'pom.xml'], { cwd: dir });
    assert.equal(
      pom.stderr,
      'palisade sbom: pom.xml: not a tar archive, OCI layout, directory or JSON SBOM\n',
    );
  });

  it('names component entries that are not objects, in sbom and scan-sbom, instead of dropping them unseen', async (t) => {
    const dir = await tempDir(t);
    const inner = { type: 'library', name: 'ms', version: '2.1.3', purl: 'pkg:npm/ms@2.1.3' };
    await writeFile(
      join(dir, 'odd.cdx.json'),
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        components: [[inner], 'x', { ...inner, components: [null] }],
      }),
    );
    const run = await runPalisade(['sbom', 'odd.cdx.json'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stderr,
      'palisade sbom: warning: odd.cdx.json: 3 component entries are not an object and left out: components[0] (an array), components[1] (a string), components[2].components[0] (null)\n',
    );
    const { readSbom: readForMatching } = await import('../../src/vuln/sbom/read-sbom.ts');
    const read = await readForMatching(join(dir, 'odd.cdx.json'), 'odd.cdx.json');
    assert.deepEqual(read.skipped, [
      'components[0] is not an object (an array)',
      'components[1] is not an object (a string)',
      'components[2].components[0] is not an object (null)',
    ]);
    assert.equal(read.packages.length, 1);
  });

  it('reads an SBOM with a UTF-8 byte-order mark', async (t) => {
    const dir = await tempDir(t);
    const text = cdx([{ type: 'library', name: 'ms', version: '2.1.3', purl: 'pkg:npm/ms@2.1.3' }]);
    await writeFile(join(dir, 'bom8.json'), `\ufeff${text}`);
    const run = await runPalisade(['sbom', 'bom8.json'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      (JSON.parse(run.stdout) as LooseJson).components.map((c: LooseJson) => c.purl),
      ['pkg:npm/ms@2.1.3'],
    );
  });

  it('survives prototype-named keys and wrong types, and says what it could not read', async (t) => {
    const dir = await tempDir(t);
    await writeFile(
      join(dir, 'odd.json'),
      cdx([
        { type: 'library', name: { toString: 0 }, version: { valueOf: 0 } },
        {
          type: 'library',
          name: 'x',
          purl: 'pkg:npm/x@1.0.0',
          hashes: [
            { alg: 'toString', content: 'ab' },
            { alg: '__proto__', content: 'cd' },
            { alg: 'constructor', content: 'ef' },
          ],
        },
      ]),
    );
    await writeFile(
      join(dir, 'notarray.json'),
      JSON.stringify({ bomFormat: 'CycloneDX', components: { length: 2 } }),
    );
    const odd = await runPalisade(['sbom', 'odd.json'], { cwd: dir });
    assert.equal(odd.code, 0, odd.stderr);
    assert.match(odd.stderr, /1 component\(s\) without a package URL \(purl\) left out: \(unnamed\)/);
    const component = (JSON.parse(odd.stdout) as LooseJson).components[0];
    assert.equal(component.purl, 'pkg:npm/x@1.0.0');
    assert.equal(component.hashes, undefined, 'hash algorithms named after Object members are unknown');
    const notArray = await runPalisade(['sbom', 'notarray.json'], { cwd: dir });
    assert.equal(notArray.code, 0);
    assert.match(notArray.stderr, /warning: notarray\.json: "components" is not an array: no component read/);
  });

  it('refuses an SBOM over 512 MiB with the limit, not a crash', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'huge.json'), '{"bomFormat":"CycloneDX","components":[');
    await truncate(join(dir, 'huge.json'), 512 * 1024 * 1024 + 1);
    const run = await runPalisade(['sbom', 'huge.json'], { cwd: dir });
    assert.equal(run.code, 3);
    assert.doesNotMatch(run.stderr, /internal error/);
    assert.match(
      run.stderr,
      /huge\.json: SBOM of 536870913 bytes not read: the limit is 536870912 bytes \(512 MiB\)/,
    );
  });

  it('merges 150k occurrences of one package in linear time (CycloneDX components, SPDX annotations)', {
    timeout: 60_000,
  }, () => {
    const count = 150_000;
    const components = Array.from({ length: count }, (_, i) => ({
      type: 'library',
      name: 'lodash',
      version: '4.17.21',
      purl: 'pkg:npm/lodash@4.17.21',
      licenses: [{ license: { id: `L${i}` } }],
      hashes: [{ alg: 'SHA-256', content: `h${i}` }],
      evidence: { occurrences: [{ location: `copy${i}/package.json` }] },
    }));
    const merged = readSbom(cdx(components), 'many.cdx.json').packages;
    assert.equal(merged.length, 1);
    assert.equal(merged[0]?.locations.length, count);
    assert.equal(merged[0]?.licenses.length, count);
    assert.equal(merged[0]?.hashes.length, count);
    const spdx = JSON.stringify({
      spdxVersion: 'SPDX-2.3',
      packages: [
        {
          SPDXID: 'SPDXRef-Lodash',
          name: 'lodash',
          externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:npm/lodash@4.17.21' }],
          annotations: Array.from({ length: count }, (_, i) => ({
            comment: `palisade:location:path=copy${i}/package.json`,
          })),
        },
      ],
    });
    assert.equal(readSbom(spdx, 'many.spdx.json').packages[0]?.locations.length, count);
  });
});
