import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ValidateFunction } from 'ajv';
import { readSbom, scanTarget } from '../../src/image/index.ts';
import { parsePlatform } from '../../src/image/platform.ts';
import { runPalisade } from '../cli/cli-harness.ts';
import { describeErrors } from '../outputs/schema-validator.ts';
import { skipWithoutShared } from '../shared-corpus.ts';
import {
  DPKG_STATUS,
  EXPECTED_LANGUAGE_PACKAGES,
  FIXTURE_LAYERS,
  installedInStatus,
} from './fixture-image.ts';
import { buildImage, ociLayoutFiles, writeFiles } from './image-builder.ts';
import { cycloneDxValidator, spdxValidator } from './sbom-schemas.ts';
import { tempDir } from './temp-dir.ts';

const skipSchemas = skipWithoutShared('corpus', 'schemas', 'cyclonedx', 'bom-1.6.schema.json');

// biome-ignore lint/suspicious/noExplicitAny: SBOM documents are inspected loosely in assertions
type LooseJson = any;

/** Without the type guard, so the documents stay editable after validation. */
function isValid(validate: ValidateFunction, document: unknown): boolean {
  return validate(document);
}

async function fixtureLayout(dir: string): Promise<string[]> {
  const image = buildImage({ layers: FIXTURE_LAYERS, compression: 'gzip' });
  await writeFiles(join(dir, 'layout'), ociLayoutFiles([{ image, tag: 'v1' }]));
  return image.layers.map((layer) => layer.diffId);
}

describe('palisade sbom', () => {
  it('writes CycloneDX 1.6 and SPDX 2.3 that validate against the official schemas', {
    skip: skipSchemas,
  }, async (t) => {
    const dir = await tempDir(t);
    await fixtureLayout(dir);
    const cdx = await runPalisade(['sbom', 'layout', '--format', 'cyclonedx', '--platform', 'linux/amd64'], {
      cwd: dir,
    });
    assert.equal(cdx.code, 0, cdx.stderr);
    const validateCdx = cycloneDxValidator();
    const cdxDocument: LooseJson = JSON.parse(cdx.stdout);
    assert.ok(isValid(validateCdx, cdxDocument), describeErrors(validateCdx.errors));
    const spdx = await runPalisade(['sbom', 'layout', '--format', 'spdx', '-o', 'out.spdx.json'], {
      cwd: dir,
    });
    assert.equal(spdx.code, 0, spdx.stderr);
    const validateSpdx = spdxValidator();
    const spdxDocument: LooseJson = JSON.parse(await readFile(join(dir, 'out.spdx.json'), 'utf8'));
    assert.ok(isValid(validateSpdx, spdxDocument), describeErrors(validateSpdx.errors));
    // The validators are not vacuous.
    cdxDocument.components[1].type = 'gadget';
    assert.equal(isValid(validateCdx, cdxDocument), false);
    delete spdxDocument.packages[1].name;
    assert.equal(isValid(validateSpdx, spdxDocument), false);
  });

  it('lists every package with purl, layer evidence and source, and reads back what it wrote', async (t) => {
    const dir = await tempDir(t);
    const diffIds = await fixtureLayout(dir);
    const installed = installedInStatus(DPKG_STATUS.toString('utf8'));
    for (const format of ['cyclonedx', 'spdx']) {
      const run = await runPalisade(['sbom', 'layout:v1', '--format', format], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      const file = join(dir, `sbom.${format}.json`);
      await writeFile(file, run.stdout);
      const inventory = readSbom(run.stdout, file);
      const purls = inventory.packages.map((pkg) => pkg.purl);
      for (const purl of Object.keys(EXPECTED_LANGUAGE_PACKAGES))
        assert.ok(purls.includes(purl), `${format}: ${purl}`);
      assert.equal(inventory.packages.filter((pkg) => pkg.type === 'deb').length, installed.size, format);
      const libc = inventory.packages.find((pkg) => pkg.type === 'deb' && pkg.name === 'libc6');
      if (installed.has('libc6')) {
        assert.equal(libc?.sourceName, 'glibc', format);
        assert.equal(libc?.version, installed.get('libc6')?.version);
        assert.equal(libc?.locations[0]?.layer, diffIds[0], format);
        assert.equal(libc?.ecosystem, 'Debian:12');
      }
      const requests = inventory.packages.find((pkg) => pkg.name === 'requests');
      assert.equal(
        requests?.locations[0]?.layer,
        diffIds[2],
        `${format}: requests came from the third layer`,
      );
      // An SBOM is itself a valid input, giving the same packages.
      const again = await runPalisade(['sbom', file, '--format', format], { cwd: dir });
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(
        readSbom(again.stdout, file).packages.map((pkg) => pkg.purl),
        purls,
        format,
      );
    }
  });

  it('keeps lockfile lines and PyPI spellings through CycloneDX and SPDX, as scan-deps reads them', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'requirements.txt'), '# pinned\nDjango==4.2.7\nzope.interface==6.1\n');
    const direct = await scanTarget(dir, { cwd: '/', platform: parsePlatform('linux/amd64') });
    const summary = (packages: typeof direct.inventory.packages) =>
      packages.map((pkg) => `${pkg.name}@${pkg.version} ${JSON.stringify(pkg.locations)}`).sort();
    const expected = summary(direct.inventory.packages);
    assert.deepEqual(expected, [
      'Django@4.2.7 [{"path":"requirements.txt","line":2}]',
      'zope.interface@6.1 [{"path":"requirements.txt","line":3}]',
    ]);
    for (const format of ['cyclonedx', 'spdx']) {
      const run = await runPalisade(['sbom', dir, '--format', format]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(summary(readSbom(run.stdout, `sbom.${format}.json`).packages), expected, format);
    }
  });

  it('is reproducible for a fixed clock, and refuses bad usage with exit 2', async (t) => {
    const dir = await tempDir(t);
    await fixtureLayout(dir);
    const first = await runPalisade(['sbom', 'layout'], { cwd: dir });
    const second = await runPalisade(['sbom', 'layout'], { cwd: dir });
    assert.equal(first.stdout, second.stdout);
    assert.equal((await runPalisade(['sbom', 'layout', '--format', 'xml'], { cwd: dir })).code, 2);
    assert.equal((await runPalisade(['sbom'], { cwd: dir })).code, 2);
    assert.equal((await runPalisade(['sbom', 'layout', '--platform', 'linux'], { cwd: dir })).code, 2);
    // A path that does not exist is named as one, not parsed as an image reference.
    for (const missing of ['./missing.tar', '/nonexistent/layout', '../nowhere']) {
      const run = await runPalisade(['sbom', missing], { cwd: dir });
      assert.equal(run.code, 3);
      assert.match(run.stderr, new RegExp(`${missing.replaceAll('.', '\\.')}: no such file or directory`));
      assert.doesNotMatch(run.stderr, /image reference/);
    }
    const help = await runPalisade(['sbom', '--help'], { cwd: dir });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--format/);
  });

  it('writes the SBOM but exits 3 when part of the image could not be read (rpm NDB)', async (t) => {
    const dir = await tempDir(t);
    const image = buildImage({
      layers: [[{ name: 'var/lib/rpm/Packages.db', content: Buffer.alloc(1024, 1) }]],
    });
    await writeFiles(join(dir, 'layout'), ociLayoutFiles([{ image }]));
    const run = await runPalisade(['sbom', 'layout', '-o', 'out.json'], { cwd: dir });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /NDB format.*not supported yet/);
    assert.equal(JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')).bomFormat, 'CycloneDX');
  });

  it('stops when aborted', async (t) => {
    const dir = await tempDir(t);
    await fixtureLayout(dir);
    const controller = new AbortController();
    controller.abort(new Error('interrupted by the user'));
    await assert.rejects(
      scanTarget('layout', { cwd: dir, platform: parsePlatform('linux/amd64'), signal: controller.signal }),
      /interrupted by the user/,
    );
  });
});
