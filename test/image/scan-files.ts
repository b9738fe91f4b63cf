// Writes files into a temporary directory and inventories it as `palisade sbom <dir>` would: the lockfile tests'
// common first step.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { scanTarget } from '../../src/image/index.ts';
import type { PackageInventory } from '../../src/image/package.ts';
import { parsePlatform } from '../../src/image/platform.ts';
import { tempDir } from './temp-dir.ts';

export async function scanFiles(t: TestContext, files: Record<string, string>): Promise<PackageInventory> {
  const dir = await tempDir(t);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return (await scanTarget(dir, { cwd: '/', platform: parsePlatform('linux/amd64') })).inventory;
}
