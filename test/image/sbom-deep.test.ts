import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import { scanTarget } from '../../src/image/index.ts';
import { parsePlatform } from '../../src/image/platform.ts';
import { tempDir } from './temp-dir.ts';

it('reads CycloneDX components at any depth, not only the first 32 levels', async (t) => {
  const dir = await tempDir(t);
  for (const depth of [40, 20_000]) {
    // Written as text: JSON.stringify itself recurses, and would overflow on the deepest case.
    const open = Array.from(
      { length: depth },
      (_, level) =>
        `{"type":"library","name":"wrap${level}","version":"1.0.0","purl":"pkg:npm/wrap${level}@1.0.0","components":[`,
    ).join('');
    const leaf = '{"type":"library","name":"lodash","version":"4.17.20","purl":"pkg:npm/lodash@4.17.20"}';
    await writeFile(
      join(dir, 'deep.cdx.json'),
      `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[${open}${leaf}${']}'.repeat(depth)}]}`,
    );
    const { inventory } = await scanTarget('deep.cdx.json', {
      cwd: dir,
      platform: parsePlatform('linux/amd64'),
    });
    assert.equal(inventory.packages.length, depth + 1, `depth ${depth}`);
    assert.ok(
      inventory.packages.some((pkg) => pkg.purl === 'pkg:npm/lodash@4.17.20'),
      `depth ${depth}: the deepest package is read`,
    );
  }
});
