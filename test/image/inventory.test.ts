import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import { languagePackage } from '../../src/image/analyzers/language-package.ts';
import { type PackageInventory, scanTarget } from '../../src/image/index.ts';
import { mergePackages } from '../../src/image/inventory.ts';
import { parsePlatform } from '../../src/image/platform.ts';
import {
  DPKG_STATUS,
  EXPECTED_LANGUAGE_PACKAGES,
  FIXTURE_LAYERS,
  installedInStatus,
} from './fixture-image.ts';
import {
  buildImage,
  type Compression,
  dockerArchiveFiles,
  filesToTar,
  ociLayoutFiles,
  writeFiles,
} from './image-builder.ts';
import { tempDir } from './temp-dir.ts';

const platform = parsePlatform('linux/amd64');

async function scan(target: string, cwd: string): Promise<PackageInventory> {
  return (await scanTarget(target, { cwd, platform })).inventory;
}

async function fixtureTargets(
  t: TestContext,
): Promise<{ name: string; target: string; cwd: string; diffIds: string[] }[]> {
  const dir = await tempDir(t);
  const targets: { name: string; target: string; cwd: string; diffIds: string[] }[] = [];
  for (const compression of ['gzip', 'zstd', 'none'] as Compression[]) {
    const image = buildImage({ layers: FIXTURE_LAYERS, compression });
    const diffIds = image.layers.map((layer) => layer.diffId);
    const layoutDir = join(dir, `layout-${compression}`);
    await writeFiles(layoutDir, ociLayoutFiles([{ image }]));
    targets.push({
      name: `OCI layout directory (${compression})`,
      target: `layout-${compression}`,
      cwd: dir,
      diffIds,
    });
    if (compression === 'zstd') {
      await writeFile(join(dir, 'layout.tar'), filesToTar(ociLayoutFiles([{ image, tag: 'v1' }])));
      targets.push({ name: 'OCI layout tar (zstd)', target: 'layout.tar', cwd: dir, diffIds });
    }
    if (compression === 'none') {
      await writeFile(join(dir, 'old.tar'), filesToTar(dockerArchiveFiles(image, 'old')));
      await writeFile(join(dir, 'new.tar'), filesToTar(dockerArchiveFiles(image, 'docker25')));
      targets.push({ name: 'docker save, old layout', target: 'old.tar', cwd: dir, diffIds });
      targets.push({ name: 'docker save, Docker 25+ layout', target: 'new.tar', cwd: dir, diffIds });
    }
  }
  return targets;
}

describe('image inventory', () => {
  it('lists exactly the packages put in the image, with versions, sources and layers, from every format', async (t) => {
    const installed = installedInStatus(DPKG_STATUS.toString('utf8'));
    for (const { name, target, cwd, diffIds } of await fixtureTargets(t)) {
      const inventory = await scan(target, cwd);
      assert.equal(inventory.kind, 'image', name);
      assert.deepEqual(
        inventory.os && { family: inventory.os.family, version: inventory.os.version },
        { family: 'debian', version: '12.11' },
        name,
      );

      const debs = inventory.packages.filter((pkg) => pkg.type === 'deb');
      assert.equal(debs.length, installed.size, `${name}: every installed dpkg package, no more`);
      for (const deb of debs) {
        const expected = installed.get(deb.name);
        assert.ok(expected, `${name}: ${deb.name} is installed in the status file`);
        assert.equal(deb.version, expected.version, `${name}: ${deb.name} version`);
        const expectedSource = expected.source?.split(' ')[0] ?? deb.name;
        assert.equal(deb.sourceName, expectedSource, `${name}: ${deb.name} source`);
        const sourceVersion = /\((.+)\)/.exec(expected.source ?? '')?.[1] ?? expected.version;
        assert.equal(deb.sourceVersion, sourceVersion, `${name}: ${deb.name} source version`);
        assert.equal(deb.locations[0]?.layer, diffIds[0], `${name}: ${deb.name} layer`);
        assert.equal(deb.ecosystem, 'Debian:12');
        assert.ok(deb.purl.startsWith(`pkg:deb/debian/${encodeURIComponent(deb.name)}@`), deb.purl);
      }

      const language = inventory.packages.filter((pkg) => pkg.type !== 'deb');
      assert.deepEqual(
        Object.fromEntries(language.map((pkg) => [pkg.purl, diffIds.indexOf(pkg.locations[0]?.layer ?? '')])),
        EXPECTED_LANGUAGE_PACKAGES,
        `${name}: language packages and their layers`,
      );
      const requests = language.find((pkg) => pkg.name === 'requests');
      assert.deepEqual(requests?.licenses, ['Apache 2.0']);
      assert.equal(
        requests?.locations[0]?.path,
        'usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA',
      );
      const commons = language.find((pkg) => pkg.name === 'commons-lang3');
      assert.equal(commons?.locations[0]?.path, 'opt/app/app.war!/WEB-INF/lib/commons-lang3-3.12.0.jar');
      assert.equal(commons?.hashes[0]?.algorithm, 'SHA-1');
      assert.ok(
        inventory.issues.every((issue) => issue.severity === 'info'),
        `${name}: no warnings: ${JSON.stringify(inventory.issues)}`,
      );
    }
  });

  it('leaves nothing behind in the temporary directory', async (t) => {
    const before = new Set((await readdir(tmpdir())).filter((name) => name.startsWith('palisade-image-')));
    const [first] = await fixtureTargets(t);
    await scan(first!.target, first!.cwd);
    const after = (await readdir(tmpdir())).filter(
      (name) => name.startsWith('palisade-image-') && !before.has(name),
    );
    assert.deepEqual(after, []);
  });

  it('picks the platform from a (nested) index in a layout, a tag among several, and reads gzip-compressed docker archives', async (t) => {
    const dir = await tempDir(t);
    const make = (name: string) =>
      buildImage({
        layers: [
          [
            {
              name: `app/node_modules/${name}/package.json`,
              content: JSON.stringify({ name, version: '1.0.0' }),
            },
          ],
        ],
      });
    const amd = make('amd-only');
    const arm = make('arm-only');
    await writeFiles(
      join(dir, 'multi'),
      ociLayoutFiles(
        [
          { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
          { image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        ],
        true,
      ),
    );
    const names = async (target: string, platformText = 'linux/amd64') =>
      (await scanTarget(target, { cwd: dir, platform: parsePlatform(platformText) })).inventory.packages.map(
        (pkg) => pkg.name,
      );
    assert.deepEqual(await names('multi'), ['amd-only']);
    assert.deepEqual(await names('multi', 'linux/arm64'), ['arm-only']);
    await assert.rejects(names('multi', 'windows/amd64'), /no image for platform windows\/amd64/);

    await writeFiles(
      join(dir, 'tagged'),
      ociLayoutFiles([
        { image: amd, tag: 'one' },
        { image: arm, tag: 'two' },
      ]),
    );
    assert.deepEqual(await names('tagged:two'), ['arm-only']);
    // The tag given picks the image and names it once (it was tagged:two:two).
    const picked = await scanTarget('tagged:two', { cwd: dir, platform: parsePlatform('linux/amd64') });
    assert.equal(picked.inventory.image?.reference, 'tagged:two');
    await assert.rejects(
      names('tagged'),
      /^PalisadeError: tagged: the layout holds 2 images; name one as tagged:<tag> \(one, two\)$/,
    );
    await assert.rejects(names('tagged:three'), /no image tagged "three"/);

    await writeFile(join(dir, 'saved.tar.gz'), gzipSync(filesToTar(dockerArchiveFiles(amd, 'docker25'))));
    assert.deepEqual(await names('saved.tar.gz'), ['amd-only']);
    const two = dockerArchiveFiles(amd, 'old', 'app:1');
    const manifest = JSON.parse(two.get('manifest.json')!.toString()) as unknown[];
    const other = dockerArchiveFiles(arm, 'old', 'app:2');
    for (const [name, data] of other) if (name !== 'manifest.json') two.set(name, data);
    two.set(
      'manifest.json',
      Buffer.from(
        JSON.stringify([...manifest, ...(JSON.parse(other.get('manifest.json')!.toString()) as unknown[])]),
      ),
    );
    await writeFile(join(dir, 'two.tar'), filesToTar(two));
    await assert.rejects(names('two.tar'), /holds 2 images.*app:1, app:2/);
    assert.deepEqual(await names('two.tar:app:2'), ['arm-only']);
  });
});

describe('merging the copies of a package', () => {
  it('is dev-only only when every copy is: a copy with no scope (yarn.lock) is not, in either order', () => {
    const copy = (path: string, dev?: boolean) =>
      languagePackage({
        type: 'npm',
        name: 'left-pad',
        version: '1.3.0',
        path,
        foundBy: 'lockfile',
        ...(dev === undefined ? {} : { dev }),
      });
    const dev = (...copies: ReturnType<typeof copy>[]) => mergePackages(copies).map((pkg) => pkg.dev);
    assert.deepEqual(dev(copy('package-lock.json', true), copy('yarn.lock')), [undefined]);
    assert.deepEqual(dev(copy('yarn.lock'), copy('package-lock.json', true)), [undefined]);
    assert.deepEqual(
      dev(copy('a/package-lock.json', true), copy('yarn.lock'), copy('b/package-lock.json', false)),
      [false],
    );
    assert.deepEqual(dev(copy('a/package-lock.json', true), copy('b/package-lock.json', true)), [true]);
  });
});
