// OCI layout directories whose files are not plain files: symlinks to devices or out of the layout, FIFOs,
// directories, blobs whose size disagrees with their descriptor; and SBOM files in UTF-16.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { runPalisade } from '../cli/cli-harness.ts';
import { BASE_LAYER } from './fixture-image.ts';
import { buildImage, ociLayoutFiles, writeFiles } from './image-builder.ts';
import { tempDir } from './temp-dir.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

/** A separate process, killed after a while: the bugs these tests guard against hang or eat memory. */
function runChild(args: readonly string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { cwd, timeout: 10_000, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 },
      (error, _stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stderr });
      },
    );
  });
}

const image = buildImage({ layers: [BASE_LAYER] });
const hex = (digest: string): string => digest.slice('sha256:'.length);

async function layout(t: TestContext): Promise<string> {
  const dir = await tempDir(t);
  await writeFiles(join(dir, 'image'), ociLayoutFiles([{ image }]));
  return dir;
}

async function replace(dir: string, path: string, make: (full: string) => Promise<void> | void) {
  const full = join(dir, 'image', path);
  await rm(full);
  await make(full);
}

const layerPath = `blobs/sha256/${hex(image.layers[0]!.digest)}`;
const configPath = `blobs/sha256/${hex(image.configDigest)}`;

describe('OCI layout directories with hostile files', () => {
  for (const path of ['oci-layout', 'index.json', configPath, layerPath])
    it(`refuses ${path} as a symlink to /dev/zero`, { timeout: 20_000 }, async (t) => {
      const dir = await layout(t);
      await replace(dir, path, (full) => symlink('/dev/zero', full));
      const run = await runChild(['sbom', 'image'], dir);
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /symlink that leaves the layout directory/);
      assert.ok(run.stderr.includes(path), run.stderr);
    });

  for (const path of ['index.json', layerPath])
    it(`refuses ${path} as a FIFO`, { timeout: 20_000 }, async (t) => {
      const dir = await layout(t);
      await replace(dir, path, (full) => {
        execFileSync('mkfifo', [full]);
      });
      const run = await runChild(['sbom', 'image'], dir);
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /is a FIFO, not a regular file/);
      assert.ok(run.stderr.includes(path), run.stderr);
    });

  for (const path of ['index.json', configPath, layerPath])
    it(`refuses ${path} as a directory, without an internal error`, { timeout: 20_000 }, async (t) => {
      const dir = await layout(t);
      await replace(dir, path, (full) => mkdir(full));
      const run = await runPalisade(['sbom', 'image'], { cwd: dir });
      assert.equal(run.code, 3, run.stderr);
      assert.doesNotMatch(run.stderr, /internal error|EISDIR/);
      assert.match(run.stderr, /is a directory, not a regular file/);
      assert.ok(run.stderr.includes(path), run.stderr);
    });

  it('follows symlinks that stay inside the layout', { timeout: 20_000 }, async (t) => {
    const dir = await layout(t);
    await writeFile(join(dir, 'image', 'layer.bin'), image.layers[0]!.blob);
    await replace(dir, layerPath, (full) => symlink('../../layer.bin', full));
    const run = await runPalisade(['sbom', 'image'], { cwd: dir });
    assert.doesNotMatch(run.stderr, /symlink|internal error/);
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
  });

  it('refuses a layer blob whose size differs from its descriptor', { timeout: 20_000 }, async (t) => {
    const dir = await layout(t);
    await writeFile(join(dir, 'image', layerPath), Buffer.concat([image.layers[0]!.blob, Buffer.alloc(10)]));
    const run = await runPalisade(['sbom', 'image'], { cwd: dir });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /descriptor says/);
  });

  it('refuses an index.json over the manifest limit without reading it all', {
    timeout: 20_000,
  }, async (t) => {
    const dir = await layout(t);
    await writeFile(join(dir, 'image', 'index.json'), Buffer.alloc(5 * 1024 * 1024, 0x20));
    const run = await runPalisade(['sbom', 'image'], { cwd: dir });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /index\.json is over \d+ bytes/);
  });
});

describe('palisade sbom on UTF-16 SBOM files', () => {
  const bom = JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    components: [{ type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }],
  });
  const encodings: [string, Buffer][] = [
    ['UTF-16LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bom, 'utf16le')])],
    ['UTF-16BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(bom, 'utf16le').swap16()])],
  ];
  for (const [name, bytes] of encodings)
    it(`reads a ${name} file with a byte-order mark as an SBOM`, async (t) => {
      const dir = await tempDir(t);
      await writeFile(join(dir, 'bom.json'), bytes);
      const run = await runPalisade(['sbom', 'bom.json'], { cwd: dir });
      assert.doesNotMatch(run.stderr, /not a tar archive/);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /left-pad/);
    });
});
