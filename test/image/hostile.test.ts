import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it, type TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import { type PackageInventory, scanTarget } from '../../src/image/index.ts';
import { LayeredFileSystem } from '../../src/image/layer-filesystem.ts';
import { parsePlatform } from '../../src/image/platform.ts';
import { readTar } from '../../src/image/tar-reader.ts';
import { zipBytes } from './artifact-builders.ts';
import {
  buildImage,
  dockerArchiveFiles,
  filesToTar,
  type ImageSpec,
  ociLayoutFiles,
  writeFiles,
} from './image-builder.ts';
import { tarBytes } from './tar-writer.ts';
import { tempDir } from './temp-dir.ts';

const platform = parsePlatform('linux/amd64');
const OS_RELEASE = 'ID=alpine\nVERSION_ID=3.19.0\n';

async function layout(
  t: TestContext,
  spec: ImageSpec,
  mutate?: (files: Map<string, Buffer>) => void,
): Promise<{ dir: string; target: string }> {
  const dir = await tempDir(t);
  const files = ociLayoutFiles([{ image: buildImage(spec) }]);
  mutate?.(files);
  await writeFiles(join(dir, 'image'), files);
  return { dir, target: 'image' };
}

async function scanLayout(
  t: TestContext,
  spec: ImageSpec,
  options: { maxLayerBytes?: number } = {},
): Promise<PackageInventory> {
  const { dir, target } = await layout(t, spec);
  return (await scanTarget(target, { cwd: dir, platform, ...options })).inventory;
}

async function drain(tar: Buffer, maxEntrySize = 2 ** 30): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of readTar(Readable.from([tar]), 'test.tar', {
    maxEntrySize,
    maxMetaSize: 1024 * 1024,
  }))
    names.push(entry.name);
  return names;
}

describe('hostile images are refused or contained', () => {
  it('refuses entries that climb out of the root, and contains absolute paths', async (t) => {
    const inventory = await scanLayout(t, {
      layers: [
        [
          { name: '../../../../tmp/palisade-escape', content: 'x' },
          { name: '/etc/os-release', content: OS_RELEASE },
          { name: 'lib/../../../evil/package.json', content: '{}' },
        ],
      ],
    });
    assert.equal(inventory.os?.family, 'alpine', 'an absolute name is read as inside the image');
    const escapes = inventory.issues.filter((issue) => issue.code === 'path-escape');
    assert.equal(escapes.length, 2);
    assert.match(escapes[0]!.message, /escapes the image root/);
    assert.ok(!(await readdir('/tmp')).includes('palisade-escape'));
  });

  it('resolves symlinks inside the image only, never to the host, and survives loops', async (t) => {
    const hostDir = await tempDir(t);
    await writeFile(join(hostDir, 'os-release'), 'ID=host-file\nVERSION_ID=1\n');
    const inventory = await scanLayout(t, {
      layers: [
        [
          { name: 'etc/os-release', type: 'symlink', linkName: `../../../../../../..${hostDir}/os-release` },
          { name: 'usr/lib/os-release', type: 'symlink', linkName: 'loop-b' },
          { name: 'usr/lib/loop-b', type: 'symlink', linkName: 'os-release' },
        ],
      ],
    });
    assert.equal(inventory.os, undefined, 'the host file was not read');
  });

  it('follows hard links to files of the image and refuses those that climb out', async (t) => {
    const inventory = await scanLayout(t, {
      layers: [
        [
          { name: 'usr/lib/os-release', content: OS_RELEASE },
          { name: 'etc/os-release', type: 'hardlink', linkName: 'usr/lib/os-release' },
          { name: 'app/node_modules/a/package.json', type: 'hardlink', linkName: '../../etc/shadow' },
          { name: 'app/node_modules/b/package.json', type: 'hardlink', linkName: 'missing/package.json' },
        ],
      ],
    });
    assert.equal(inventory.os?.version, '3.19.0');
    assert.ok(
      inventory.issues.some((issue) => issue.code === 'path-escape' && /hard link/.test(issue.message)),
    );
    assert.ok(inventory.issues.some((issue) => issue.code === 'hardlink-unresolved'));
  });

  it('never creates device files or FIFOs, and says so', async (t) => {
    const inventory = await scanLayout(t, {
      layers: [
        [
          { name: 'dev/sda', type: 'char' },
          { name: 'run/fifo', type: 'fifo' },
        ],
      ],
    });
    assert.match(
      inventory.issues.find((issue) => issue.code === 'special-file')?.message ?? '',
      /2 device or FIFO/,
    );
  });

  it('refuses a decompression bomb at the configured limit', async (t) => {
    const bomb = tarBytes([{ name: 'zeros', content: Buffer.alloc(8 * 1024 * 1024) }]);
    await assert.rejects(
      scanLayout(t, { layers: [bomb] }, { maxLayerBytes: 1024 * 1024 }),
      /decompression bomb/,
    );
  });

  it('refuses an entry whose declared size is absurd', async () => {
    const header = tarBytes([{ name: 'big', content: '', declaredSize: 2 ** 33 }], { end: false });
    await assert.rejects(drain(header, 2 ** 32), /exceeds the 4294967296-byte limit/);
  });

  it('refuses truncated streams, bad checksums and sparse files', async () => {
    const tar = tarBytes([{ name: 'a.txt', content: 'x'.repeat(2000) }]);
    await assert.rejects(drain(tar.subarray(0, 1000)), /truncated/);
    await assert.rejects(drain(tar.subarray(0, 300)), /truncated/);
    const corrupt = Buffer.from(tar);
    corrupt[10] = 0x41;
    await assert.rejects(drain(corrupt), /checksum/);
    await assert.rejects(drain(tarBytes([{ name: 's', type: 'sparse' }])), /sparse/);
  });

  it('refuses layers, configs and manifests whose digest does not match', async (t) => {
    const spec: ImageSpec = { layers: [[{ name: 'etc/os-release', content: OS_RELEASE }]] };
    const image = buildImage(spec);
    const layerPath = `blobs/sha256/${image.layers[0]!.digest.slice(7)}`;
    const tampered = await layout(t, spec, (files) => {
      // Same size, same content once decompressed (gzip ignores its mtime field): only the digest tells.
      const blob = Buffer.from(files.get(layerPath)!);
      blob[4] = (blob[4]! + 1) % 256;
      files.set(layerPath, blob);
    });
    await assert.rejects(scanTarget(tampered.target, { cwd: tampered.dir, platform }), /digest mismatch/);
    const configPath = `blobs/sha256/${image.configDigest.slice(7)}`;
    const badConfig = await layout(t, spec, (files) =>
      files.set(configPath, Buffer.from('{"rootfs":{"diff_ids":[]}}')),
    );
    await assert.rejects(scanTarget(badConfig.target, { cwd: badConfig.dir, platform }), /digest mismatch/);
    // Uncompressed content checked against diff_id even when the blob digest is right (docker archives carry no blob digest).
    const archiveDir = await tempDir(t);
    const files = dockerArchiveFiles(image, 'old');
    const layerFile = [...files.keys()].find((name) => name.endsWith('layer.tar'))!;
    files.set(layerFile, tarBytes([{ name: 'etc/os-release', content: 'ID=evil\n' }]));
    await writeFile(join(archiveDir, 'a.tar'), filesToTar(files));
    await assert.rejects(scanTarget('a.tar', { cwd: archiveDir, platform }), /diff_id/);
  });

  it('refuses docker archives whose manifest points outside the archive', async (t) => {
    const dir = await tempDir(t);
    const image = buildImage({ layers: [[{ name: 'a', content: 'a' }]] });
    const files = dockerArchiveFiles(image, 'old');
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    manifest[0].Layers = ['../../../etc/passwd'];
    files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
    await writeFile(join(dir, 'a.tar'), filesToTar(files));
    await assert.rejects(scanTarget('a.tar', { cwd: dir, platform }), /missing|escapes/);
    await writeFile(join(dir, 'b.tar'), tarBytes([{ name: '../escape', content: 'x' }]));
    await assert.rejects(scanTarget('b.tar', { cwd: dir, platform }), /escapes/);
  });

  it('contains zip bombs and endless nesting in Java archives', async (t) => {
    let nested = zipBytes([
      { name: 'META-INF/maven/g/deep/pom.properties', content: 'groupId=g\nartifactId=deep\nversion=1\n' },
    ]);
    for (let depth = 0; depth < 8; depth++)
      nested = zipBytes([{ name: `lib/level-${depth}.jar`, content: nested }]);
    const bomb = zipBytes([
      { name: 'lib/bomb-1.0.jar', content: Buffer.alloc(4 * 1024 * 1024), deflate: true, declaredSize: 100 },
    ]);
    const inventory = await scanLayout(t, {
      layers: [
        [
          { name: 'app/nested.jar', content: nested },
          { name: 'app/bomb.jar', content: bomb },
          { name: 'app/garbage.jar', content: 'PK not a zip' },
        ],
      ],
    });
    assert.ok(
      !inventory.packages.some((pkg) => pkg.name === 'deep'),
      'nesting beyond the depth limit is not opened',
    );
    assert.ok(
      inventory.issues.some((issue) => /bomb-1\.0\.jar/.test(issue.message)),
      JSON.stringify(inventory.issues),
    );
    assert.ok(
      inventory.issues.some(
        (issue) => /garbage\.jar/.test(issue.message ?? '') || issue.path === 'app/garbage.jar',
      ),
    );
  });

  it('whiteouts and opaque directories hide only lower layers, in order', async () => {
    const fs = new LayeredFileSystem();
    const keep = (): boolean => true;
    const apply = (entries: Parameters<typeof tarBytes>[0], index: number) =>
      fs.applyLayer(
        readTar(Readable.from([tarBytes(entries)]), `layer ${index}`),
        { diffId: `sha256:${index}`, index },
        keep,
      );
    await apply(
      [
        { name: 'a/one', content: '1' },
        { name: 'a/two', content: '2' },
        { name: 'b/x', content: 'x' },
        { name: 'c', content: 'c' },
      ],
      0,
    );
    await apply(
      [
        { name: 'a/three', content: '3' },
        { name: 'a/.wh..wh..opq', content: '' },
        { name: '.wh.b', content: '' },
      ],
      1,
    );
    await apply([{ name: 'c/inside', content: 'now a directory' }], 2);
    assert.deepEqual([...fs.files()].map((file) => file.path).sort(), ['a/three', 'c/inside']);
    assert.equal((await fs.read(fs.get('a/three')!)).toString(), '3');
    await fs.dispose();
  });

  it('names how far into the compressed blob a cut-short gzip layer ends', async (t) => {
    const gzip = gzipSync(tarBytes([{ name: 'etc/os-release', content: 'ID=alpine\n'.repeat(2000) }]));
    // Stored as given (no compression by the builder): the scanner finds gzip by its magic bytes.
    await assert.rejects(
      scanLayout(t, { layers: [gzip.subarray(0, Math.floor(gzip.length / 2))], compression: 'none' }),
      /layer 1\/1 \(sha256:[0-9a-f]{64}\): unexpected end of file \(after \d+ bytes of the compressed blob\)/,
    );
  });

  it('removes its temporary files even when a scan fails', async (t) => {
    const before = new Set(await readdir(tmpdir()));
    const big = tarBytes([
      {
        name: 'app/node_modules/x/package.json',
        content: JSON.stringify({ name: 'x', version: '1.0.0', pad: 'p'.repeat(400_000) }),
      },
    ]);
    const truncated = big.subarray(0, big.length - 2048 - 300_000);
    await assert.rejects(scanLayout(t, { layers: [truncated] }));
    const left = (await readdir(tmpdir())).filter(
      (name) => name.startsWith('palisade-image-') && !before.has(name),
    );
    assert.deepEqual(left, []);
  });
});
