// Where ../shared is (CI has it beside the repo); PALISADE_SHARED overrides. Tests that need it skip, saying why.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const SHARED_DIR = process.env.PALISADE_SHARED ?? join(repoRoot, '..', 'shared');

export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

/** `false` when present, else the reason to skip (node:test's `skip` option takes either). */
export function skipWithoutShared(...parts: string[]): false | string {
  const path = sharedPath(...parts);
  return existsSync(path) ? false : `${path} is not present (the shared corpus sits beside the repo in CI)`;
}
