// Turns the inputs a user names (files, directories, `-`) into the ordered list of files to read.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

export const STDIN_NAME = '<stdin>';
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

export type InputSource = { type: 'file'; path: string } | { type: 'stdin' };

export type ExpandedInput =
  | { ok: true; sources: InputSource[] }
  | { ok: false; input: string; message: string };

function isManifestName(name: string): boolean {
  return MANIFEST_EXTENSIONS.some((extension) => name.endsWith(extension));
}

/** Code-unit order, so the order is the same on every machine whatever its locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Manifest files under `dir`, depth first in name order. `node_modules` and hidden entries (`.git`) are skipped;
 * symbolic links are followed, but a directory already visited (by its real path) is not entered again.
 */
async function walk(dir: string, visited: Set<string>, out: string[]): Promise<void> {
  const real = await fs.realpath(dir);
  if (visited.has(real)) return;
  visited.add(real);
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => compareNames(a.name, b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await fs.stat(path).catch(() => undefined);
      if (!target) continue;
      isDirectory = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDirectory) await walk(path, visited, out);
    else if (isFile && isManifestName(entry.name)) out.push(path);
  }
}

/** Expands one input; a file named explicitly is read whatever its extension. */
export async function expandInput(input: string, visited: Set<string>): Promise<ExpandedInput> {
  if (input === '-') return { ok: true, sources: [{ type: 'stdin' }] };
  try {
    const stat = await fs.stat(input);
    if (!stat.isDirectory()) return { ok: true, sources: [{ type: 'file', path: input }] };
    const files: string[] = [];
    await walk(input, visited, files);
    return { ok: true, sources: files.map((path) => ({ type: 'file', path })) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'no such file or directory'
        : error instanceof Error
          ? error.message
          : String(error);
    return { ok: false, input, message };
  }
}

export async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
