// `mkdir -p` that always ends. Node's own recursive mkdir retries forever where mkdir answers ENOENT although the
// parent exists (any path under /proc), holding a thread at full CPU that no signal stops: a typo in an output
// path must give an error, not a hung process. Here the missing components are created one by one, top down.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PalisadeError } from './errors.ts';

/** Creates `path` and its missing parents (each with `mode`); a clear `output-unwritable` error otherwise. */
export function makeDirectory(path: string, mode?: number): void {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    let info: ReturnType<typeof statSync>;
    try {
      // Followed links, as mkdir -p follows them: a link to a directory is a directory.
      info = statSync(current, { throwIfNoEntry: false });
    } catch (error) {
      throw unwritable(path, current, error);
    }
    if (info !== undefined) {
      if (!info.isDirectory())
        throw new PalisadeError(
          'output-unwritable',
          `cannot create directory ${path}: ${current} exists and is not a directory`,
        );
      break;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const directory of missing.reverse()) {
    try {
      mkdirSync(directory, mode === undefined ? {} : { mode });
    } catch (error) {
      // Made meanwhile by someone else: fine if it is a directory.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(directory).isDirectory()) continue;
      throw unwritable(path, directory, error);
    }
  }
}

function unwritable(path: string, at: string, error: unknown): PalisadeError {
  return new PalisadeError(
    'output-unwritable',
    `cannot create directory ${path}${at === resolve(path) ? '' : ` (at ${at})`}: ${(error as Error).message}`,
    { cause: error },
  );
}
