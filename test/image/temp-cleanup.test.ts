import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { inventoryImage } from '../../src/image/inventory.ts';
import { openTarget } from '../../src/image/open-target.ts';
import { parsePlatform } from '../../src/image/platform.ts';
import { liveTempDirs } from '../../src/image/temp-files.ts';
import { buildImage, dockerArchiveFiles, filesToTar } from './image-builder.ts';

const platform = parsePlatform('linux/amd64');
const SOURCE = new URL('../../src/image/', import.meta.url);

/**
 * A gzip-compressed docker save archive (decompressed to a temporary directory) whose first layer holds a
 * package database large enough to be spilled to the layer filesystem's temporary directory, and whose second
 * layer holds a marker file: when the scan reaches the marker, both temporary directories exist.
 */
function spillingArchive(): Buffer {
  const status = `Package: big\nStatus: install ok installed\nVersion: 1.0\nDescription: padding\n${' .\n'.repeat(200_000)}\n`;
  const image = buildImage({
    layers: [
      [{ name: 'var/lib/dpkg/status', content: status }],
      [{ name: 'app/marker.txt', content: 'hi\n' }],
    ],
  });
  return gzipSync(filesToTar(dockerArchiveFiles(image, 'docker25')));
}

describe('temporary files of a scan', () => {
  let work = '';
  let scratch = '';
  const savedTmp = process.env.TMPDIR;
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'palisade-test-'));
    // The scan's temporary directories go here, so the test sees exactly what this scan left behind.
    scratch = await mkdtemp(join(tmpdir(), 'palisade-test-tmp-'));
    process.env.TMPDIR = scratch;
  });
  afterEach(async () => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    await rm(work, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  it('are removed when an inventory is aborted mid-way', async () => {
    await writeFile(join(work, 'saved.tar.gz'), spillingArchive());
    const controller = new AbortController();
    const target = await openTarget('saved.tar.gz', { cwd: work, platform, signal: controller.signal });
    assert.equal(target.kind, 'image');
    if (target.kind !== 'image') return;
    let seenMidway: string[] = [];
    try {
      await assert.rejects(
        inventoryImage(target.source, {
          signal: controller.signal,
          visitor: {
            wants: () => true,
            visit(path) {
              if (path !== 'app/marker.txt') return;
              seenMidway = liveTempDirs();
              controller.abort(new Error('test abort'));
            },
          },
        }),
        /test abort/,
      );
    } finally {
      await target.source.close();
    }
    assert.equal(seenMidway.length, 2, 'the archive and spill directories existed mid-way');
    assert.deepEqual(await readdir(scratch), []);
    assert.deepEqual(liveTempDirs(), []);
  });

  it('are removed when the process exits mid-scan (a second Ctrl-C calls process.exit)', async () => {
    await writeFile(join(work, 'saved.tar.gz'), spillingArchive());
    const url = (name: string): string => JSON.stringify(new URL(name, SOURCE).href);
    const script = `
      import { readdirSync } from 'node:fs';
      import { openTarget } from ${url('open-target.ts')};
      import { inventoryImage } from ${url('inventory.ts')};
      import { parsePlatform } from ${url('platform.ts')};
      const target = await openTarget('saved.tar.gz', { cwd: ${JSON.stringify(work)}, platform: parsePlatform('linux/amd64') });
      await inventoryImage(target.source, {
        visitor: {
          wants: () => true,
          visit(path) {
            if (path !== 'app/marker.txt') return;
            process.stdout.write(JSON.stringify(readdirSync(${JSON.stringify(scratch)})));
            process.exit(130);
          },
        },
      });
      process.stdout.write('not stopped');
    `;
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve) => {
      execFile(
        process.execPath,
        ['--input-type=module', '--eval', script],
        { cwd: work, env: { ...process.env, TMPDIR: scratch }, timeout: 60_000 },
        (error, out, err) =>
          resolve({ code: error === null ? 0 : (error.code as number), stdout: out, stderr: err }),
      );
    });
    assert.equal(code, 130, stderr);
    const midway = JSON.parse(stdout) as string[];
    assert.deepEqual(
      midway.map((name) => name.replace(/-[^-]+$/, '')).sort(),
      ['palisade-archive', 'palisade-image'],
      'the archive and spill directories existed when the process exited',
    );
    assert.deepEqual(await readdir(scratch), [], 'nothing left in the temporary directory');
  });

  it('stops decompressing an archive when aborted, and removes the partial output', async () => {
    // 256 MiB of zeros: the abort lands long before the decompression could finish.
    await writeFile(join(work, 'zeros.tar.gz'), gzipSync(Buffer.alloc(256 * 2 ** 20), { level: 1 }));
    const controller = new AbortController();
    const poll = setInterval(() => {
      if (liveTempDirs().some((dir) => dir.includes('palisade-archive-')))
        controller.abort(new Error('test abort'));
    }, 1);
    try {
      await assert.rejects(
        openTarget('zeros.tar.gz', { cwd: work, platform, signal: controller.signal }),
        /test abort/,
      );
    } finally {
      clearInterval(poll);
    }
    assert.ok(controller.signal.aborted);
    assert.deepEqual(await readdir(scratch), []);
    assert.deepEqual(liveTempDirs(), []);
  });
});
