// Loads Kubernetes manifests from files, directories and stdin into inventory entries with lazy source positions.
// Every problem with the input is an issue (with file, line and column); nothing here throws for bad input.
import { promises as fs } from 'node:fs';
import type { LoadIssue } from '../core/errors.ts';
import type { InventoryEntry } from '../core/inventory.ts';
import { DuplicateTracker } from './duplicate-tracker.ts';
import { expandInput, type InputSource, readStream, STDIN_NAME } from './input-files.ts';
import { loadText } from './text-loader.ts';
import type { ParseLimits } from './yaml-parse.ts';

export interface LoadOptions {
  /** Documents larger than this are reported and not parsed. Default 8 MiB. */
  maxDocumentBytes?: number;
  /** Deepest nesting of collections accepted. Default 200. */
  maxDepth?: number;
  /** Alias-expansion budget per document: nodes a full walk may visit. Default 1,000,000. */
  maxNodes?: number;
}

export interface LoadResult {
  entries: InventoryEntry[];
  issues: LoadIssue[];
  /** Files read (stdin counts as one). */
  files: number;
  /** Documents that were not empty. */
  documents: number;
  bytes: number;
  /** Documents (and list items) that are not Kubernetes objects, each reported as a `not-kubernetes` issue. */
  skippedDocuments: number;
}

/** Files read at once: enough to keep the disk busy while documents are parsed, few enough to bound memory. */
const READ_AHEAD = 8;

function limitsOf(options: LoadOptions | undefined): ParseLimits {
  return {
    maxDocumentBytes: options?.maxDocumentBytes ?? 8 * 1024 * 1024,
    maxDepth: options?.maxDepth ?? 200,
    maxNodes: options?.maxNodes ?? 1_000_000,
  };
}

function emptyResult(): LoadResult {
  return { entries: [], issues: [], files: 0, documents: 0, bytes: 0, skippedDocuments: 0 };
}

function addText(
  result: LoadResult,
  text: string,
  file: string,
  limits: ParseLimits,
  duplicates: DuplicateTracker,
): void {
  const loaded = loadText(text, file, limits);
  result.documents += loaded.documents;
  result.skippedDocuments += loaded.skippedDocuments;
  result.issues.push(...loaded.issues);
  for (const entry of loaded.entries) {
    result.entries.push(entry);
    const duplicate = duplicates.check(entry);
    if (duplicate) result.issues.push(duplicate);
  }
}

/** Loads one text (a file's content, stdin, an admission body). Pure: no I/O. */
export function loadManifestText(text: string, file: string, options?: LoadOptions): LoadResult {
  const result = emptyResult();
  result.files = 1;
  result.bytes = Buffer.byteLength(text, 'utf8');
  addText(result, text, file, limitsOf(options), new DuplicateTracker());
  return result;
}

type ReadOutcome = { ok: true; name: string; data: Buffer } | { ok: false; name: string; message: string };

async function read(source: InputSource, stdin: NodeJS.ReadableStream | undefined): Promise<ReadOutcome> {
  if (source.type === 'stdin') {
    if (!stdin) return { ok: false, name: STDIN_NAME, message: 'no standard input available' };
    try {
      return { ok: true, name: STDIN_NAME, data: await readStream(stdin) };
    } catch (error) {
      return { ok: false, name: STDIN_NAME, message: error instanceof Error ? error.message : String(error) };
    }
  }
  try {
    return { ok: true, name: source.path, data: await fs.readFile(source.path) };
  } catch (error) {
    return { ok: false, name: source.path, message: error instanceof Error ? error.message : String(error) };
  }
}

function readFailed(file: string, message: string): LoadIssue {
  return {
    severity: 'error',
    code: 'read-failed',
    message: `cannot read ${file}: ${message}`,
    file,
    line: 0,
    column: 0,
  };
}

/**
 * Loads files, directories (recursively: `.yaml`, `.yml`, `.json`, in name order) and `-` for stdin. A missing
 * input is a `read-failed` issue; the others still load. A file reached twice (two inputs, symlinks) is read once.
 */
export async function loadManifests(
  inputs: readonly string[],
  options?: LoadOptions & { stdin?: NodeJS.ReadableStream },
): Promise<LoadResult> {
  const limits = limitsOf(options);
  const result = emptyResult();
  const visitedDirectories = new Set<string>();
  const seenFiles = new Set<string>();
  const sources: InputSource[] = [];
  let stdinTaken = false;

  for (const input of inputs) {
    const expanded = await expandInput(input, visitedDirectories);
    if (!expanded.ok) {
      result.issues.push(readFailed(expanded.input, expanded.message));
      continue;
    }
    for (const source of expanded.sources) {
      if (source.type === 'stdin') {
        if (stdinTaken) continue;
        stdinTaken = true;
        sources.push(source);
        continue;
      }
      const real = await fs.realpath(source.path).catch(() => source.path);
      if (seenFiles.has(real)) continue;
      seenFiles.add(real);
      sources.push(source);
    }
  }

  // Reads run ahead of parsing, but documents are handled in input order so that results are deterministic.
  const pending: Promise<ReadOutcome>[] = [];
  let next = 0;
  const fill = (): void => {
    while (next < sources.length && pending.length < READ_AHEAD) {
      pending.push(read(sources[next] as InputSource, options?.stdin));
      next++;
    }
  };
  fill();
  while (pending.length > 0) {
    const outcome = await (pending.shift() as Promise<ReadOutcome>);
    fill();
    if (!outcome.ok) {
      result.issues.push(readFailed(outcome.name, outcome.message));
      continue;
    }
    result.files++;
    result.bytes += outcome.data.length;
    const text = outcome.data.toString('utf8');
    try {
      addText(result, text, outcome.name, limits, new DuplicateTracker());
    } catch (error) {
      // loadText handles each document's failures; this is the last guard so one file never ends the scan.
      result.issues.push(readFailed(outcome.name, error instanceof Error ? error.message : String(error)));
    }
  }
  return result;
}
