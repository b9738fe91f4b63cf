// Turns the inputs a user names (files, directories, `-`) into the ordered list of files to read.
import { isUtf8 } from 'node:buffer';
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { compareText } from '../core/finding-order.ts';
import { CONFIG_FILE_NAMES } from './config-loader.ts';

export const STDIN_NAME = '<stdin>';
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

export type InputSource = { type: 'file'; path: string } | { type: 'stdin' };

/** Something under an input that could not be read; the rest of the input is still scanned. */
export interface InputProblem {
  path: string;
  message: string;
  /** `error` when a manifest may have been missed (unreadable directory), `warning` otherwise; `info` says. */
  severity: 'error' | 'warning' | 'info';
  /** The input was read; the message is about what it held, not a failure to read it. */
  read?: true;
}

export interface ExpandedInput {
  sources: InputSource[];
  problems: InputProblem[];
}

/**
 * Hidden entries not worth a notice: version-control metadata (in every repository, never manifests) and
 * Palisade's own configuration file, which is read as configuration.
 */
const EXPECTED_HIDDEN: ReadonlySet<string> = new Set(['.git', '.hg', '.svn', '.jj', ...CONFIG_FILE_NAMES]);

interface WalkState {
  visited: Set<string>;
  /** Hidden entries and node_modules left out (directories, or files named as manifests), for one notice. */
  unread: string[];
}

function isManifestName(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** A file name's bytes for messages: printable ASCII kept, every other byte (and the backslash) as `\xHH`. */
export function escapeNameBytes(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes)
    text +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, '0')}`;
  return text;
}

/**
 * Manifest files under `dir`, depth first in name order. `node_modules` and hidden entries (`.git`) are skipped
 * (and named in `state.unread`, version control metadata and Palisade's configuration aside);
 * symbolic links are followed, but a directory already visited (by its real path) is not entered again.
 */
async function walk(cwd: string, dir: string, state: WalkState, out: ExpandedInput): Promise<void> {
  let entries: import('node:fs').Dirent<Buffer>[];
  try {
    const real = await fs.realpath(resolve(cwd, dir));
    if (state.visited.has(real)) return;
    state.visited.add(real);
    entries = await fs.readdir(resolve(cwd, dir), { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    out.problems.push({
      path: dir,
      message: `cannot read directory: ${errorText(error)}`,
      severity: 'error',
    });
    return;
  }
  // Names are read as bytes: one that is not UTF-8 cannot be opened by its decoded (U+FFFD) string, so it is
  // reported as such rather than as a misleading "no such file" when the read fails later.
  const named: { entry: import('node:fs').Dirent<Buffer>; name: string }[] = [];
  for (const entry of entries) {
    if (isUtf8(entry.name)) named.push({ entry, name: entry.name.toString('utf8') });
    else if (entry.name[0] === 0x2e) continue;
    else if (isManifestName(entry.name.toString('latin1')) || entry.isDirectory() || entry.isSymbolicLink())
      out.problems.push({
        path: join(dir, escapeNameBytes(entry.name)),
        message: 'name is not valid UTF-8; not read',
        // A manifest (or a whole directory of them) left out: the scan is incomplete, as for an unreadable file.
        severity: 'error',
      });
  }
  named.sort((a, b) => compareText(a.name, b.name));
  for (const { entry, name } of named) {
    const path = join(dir, name);
    if (name.startsWith('.') || name === 'node_modules') {
      // kubectl -R reads them; left out here (dependencies, tool caches), but said, never silently.
      if (
        !EXPECTED_HIDDEN.has(name) &&
        (entry.isDirectory() || entry.isSymbolicLink() || isManifestName(name))
      )
        state.unread.push(path);
      continue;
    }
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await fs.stat(resolve(cwd, path)).catch(() => undefined);
      if (!target) {
        if (isManifestName(name))
          out.problems.push({ path, message: 'broken symbolic link: skipped', severity: 'warning' });
        continue;
      }
      isDirectory = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDirectory) await walk(cwd, path, state, out);
    else if (!isManifestName(name)) continue;
    else if (isFile) out.sources.push({ type: 'file', path });
    else
      out.problems.push({
        path,
        message: 'not a regular file (a FIFO, socket or device): skipped',
        severity: 'warning',
      });
  }
}

/**
 * Expands one input; a file named explicitly is read whatever its extension, but only if it is a regular file.
 * Relative inputs are resolved against `cwd`, and the paths returned keep the form the user gave.
 */
export async function expandInput(cwd: string, input: string, visited: Set<string>): Promise<ExpandedInput> {
  const out: ExpandedInput = { sources: [], problems: [] };
  if (input === '-') {
    out.sources.push({ type: 'stdin' });
    return out;
  }
  try {
    const stat = await fs.stat(resolve(cwd, input));
    if (stat.isDirectory()) {
      const entered = visited.size;
      const state: WalkState = { visited, unread: [] };
      await walk(cwd, input, state, out);
      if (state.unread.length > 0)
        out.problems.push({
          path: input,
          message: `not read: ${state.unread.length} hidden or node_modules entr${state.unread.length === 1 ? 'y' : 'ies'} (${state.unread.slice(0, 5).join(', ')}${state.unread.length > 5 ? ', …' : ''}); name one to scan it`,
          severity: 'info',
          read: true,
        });
      // kubectl says "no objects passed to apply"; a scan of nothing must not read as a clean result.
      if (
        out.sources.length === 0 &&
        out.problems.every((problem) => problem.severity === 'info') &&
        visited.size > entered
      )
        out.problems.push({
          path: input,
          message: `no manifest files (${MANIFEST_EXTENSIONS.join(', ')}) in this directory or below; hidden directories and node_modules are not read`,
          severity: 'warning',
          read: true,
        });
    } else if (stat.isFile()) out.sources.push({ type: 'file', path: input });
    // Reading a FIFO or a device would block or never end.
    else
      out.problems.push({
        path: input,
        message: 'not a regular file (a FIFO, socket or device)',
        severity: 'error',
      });
  } catch (error) {
    out.problems.push({ path: input, message: errorText(error), severity: 'error' });
  }
  return out;
}

/** Reads a stream to its end, refusing more than `maxBytes` (stdin may be endless: `palisade scan - < /dev/zero`). */
export async function readStream(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > maxBytes) throw new Error(`more than ${maxBytes} bytes (the input size limit)`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
