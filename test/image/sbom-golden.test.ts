import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runPalisade } from '../cli/cli-harness.ts';
import { lineDiff } from '../outputs/golden.ts';
import { APP_LAYER, WHITEOUT_LAYER } from './fixture-image.ts';
import { buildImage, ociLayoutFiles, writeFiles } from './image-builder.ts';
import { tempDir } from './temp-dir.ts';

// Golden SBOMs live with this area's fixtures; UPDATE_GOLDEN=1 rewrites them, as for the other golden files.
const GOLDEN_DIR = fileURLToPath(new URL('../fixtures/image/golden/', import.meta.url));
const STATUS = readFileSync(fileURLToPath(new URL('../fixtures/image/dpkg-status', import.meta.url)));

function assertGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file))
    assert.fail(`test/fixtures/image/golden/${name} is missing; run with UPDATE_GOLDEN=1`);
  const expected = readFileSync(file, 'utf8');
  if (actual !== expected)
    assert.fail(`output differs from test/fixtures/image/golden/${name}:\n${lineDiff(expected, actual)}`);
}

describe('SBOM golden files', () => {
  it('CycloneDX and SPDX output of a fixed image do not drift', async (t) => {
    const dir = await tempDir(t);
    // Uncompressed layers: digests do not depend on the zlib version.
    const image = buildImage({
      compression: 'none',
      layers: [
        [
          {
            name: 'etc/os-release',
            content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
          },
          { name: 'var/lib/dpkg/status', content: STATUS },
        ],
        APP_LAYER.filter((entry) => !entry.name.startsWith('usr/local/bin/') && !entry.name.endsWith('.war')),
        WHITEOUT_LAYER,
      ],
    });
    await writeFiles(join(dir, 'layout'), ociLayoutFiles([{ image, tag: 'golden' }]));
    for (const [format, file] of [
      ['cyclonedx', 'image.cdx.json'],
      ['spdx', 'image.spdx.json'],
    ] as const) {
      const run = await runPalisade(['sbom', 'layout', '--format', format], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      assertGolden(file, run.stdout);
    }
  });
});
