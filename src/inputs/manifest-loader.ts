// Loads Kubernetes manifests from files, directories and stdin into inventory entries with lazy source positions.
// Every problem with the input is an issue (with file, line and column); nothing here throws for bad input.

import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { binaryContent, type DecodedText, decodeInput } from '../core/decode-text.ts';
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
  for (const issue of loaded.issues) result.issues.push(issue);
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

/** Largest input (file or stdin) read at all: bounds memory before any document limit can apply. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

async function read(
  source: InputSource,
  cwd: string,
  stdin: NodeJS.ReadableStream | undefined,
): Promise<ReadOutcome> {
  if (source.type === 'stdin') {
    if (!stdin) return { ok: false, name: STDIN_NAME, message: 'no standard input available' };
    try {
      return { ok: true, name: STDIN_NAME, data: await readStream(stdin, MAX_INPUT_BYTES) };
    } catch (error) {
      return { ok: false, name: STDIN_NAME, message: error instanceof Error ? error.message : String(error) };
    }
  }
  let handle: fs.FileHandle | undefined;
  try {
    // The type and size are checked on the opened file, so a swap between check and read changes nothing.
    handle = await fs.open(resolve(cwd, source.path));
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, name: source.path, message: 'not a regular file' };
    if (stat.size > MAX_INPUT_BYTES)
      return {
        ok: false,
        name: source.path,
        message: `${stat.size} bytes, over the input size limit of ${MAX_INPUT_BYTES}`,
      };
    return { ok: true, name: source.path, data: await handle.readFile() };
  } catch (error) {
    return { ok: false, name: source.path, message: error instanceof Error ? error.message : String(error) };
  } finally {
    await handle?.close();
  }
}

/** A problem reading an input; it has no position in a document, so its line and column are 0. */
function readFailed(file: string, message: string, severity: LoadIssue['severity'] = 'error'): LoadIssue {
  return {
    severity,
    code: 'read-failed',
    message: `cannot read ${file}: ${message}`,
    file,
    line: 0,
    column: 0,
  };
}

export interface ReadOptions {
  stdin?: NodeJS.ReadableStream;
  /** Directory relative inputs are read from (default: the process's); file names stay as given. */
  cwd?: string;
}

/** One input in order: a file's (or stdin's) text, or why it could not be read. */
export type InputText =
  | {
      type: 'text';
      name: string;
      text: string;
      bytes: number;
      /** Why the bytes were not valid in their encoding (the objects are still read, bad bytes as U+FFFD). */
      encoding?: string;
    }
  | { type: 'failed'; issue: LoadIssue };

/**
 * Reads files, directories (recursively: `.yaml`, `.yml`, `.json`, in name order) and `-` for stdin, in input order.
 * A missing input is a `read-failed` issue; the others are still read. A file reached twice (two inputs, symlinks)
 * is read once.
 */
export async function readManifestInputs(
  inputs: readonly string[],
  options?: ReadOptions,
): Promise<InputText[]> {
  const cwd = options?.cwd ?? process.cwd();
  const items: (InputText | Promise<InputText>)[] = [];
  const visitedDirectories = new Set<string>();
  const seenFiles = new Set<string>();
  let stdinTaken = false;
  let reading: Promise<unknown>[] = [];

  for (const input of inputs) {
    const expanded = await expandInput(cwd, input, visitedDirectories);
    for (const problem of expanded.problems) {
      const issue = readFailed(problem.path, problem.message, problem.severity);
      if (problem.read) issue.message = `${problem.path}: ${problem.message}`;
      items.push({ type: 'failed', issue });
    }
    for (const source of expanded.sources) {
      if (source.type === 'stdin') {
        if (stdinTaken) continue;
        stdinTaken = true;
      } else {
        const real = await fs.realpath(resolve(cwd, source.path)).catch(() => resolve(cwd, source.path));
        if (seenFiles.has(real)) continue;
        seenFiles.add(real);
      }
      // Reads overlap, a few at a time, but keep their places so that results are deterministic.
      const outcome = read(source, cwd, options?.stdin).then(toInputText);
      items.push(outcome);
      reading.push(outcome);
      if (reading.length >= READ_AHEAD) {
        await Promise.all(reading);
        reading = [];
      }
    }
  }
  return Promise.all(items);
}

function toInputText(outcome: ReadOutcome): InputText {
  if (!outcome.ok) return { type: 'failed', issue: readFailed(outcome.name, outcome.message) };
  // kubectl reads UTF-16 with a byte-order mark (and UTF-8 with one); anything else not UTF-8 it refuses.
  const binary = binaryContent(outcome.data);
  if (binary !== undefined) return { type: 'failed', issue: readFailed(outcome.name, binary) };
  let decoded: DecodedText;
  try {
    decoded = decodeInput(outcome.data);
  } catch (error) {
    return { type: 'failed', issue: readFailed(outcome.name, (error as Error).message) };
  }
  const text: InputText = {
    type: 'text',
    name: outcome.name,
    text: decoded.text,
    bytes: outcome.data.length,
  };
  if (decoded.warning !== undefined) text.encoding = decoded.warning;
  return text;
}

/** Parses texts already read, in order. Pure: no I/O. */
export function loadInputTexts(items: readonly InputText[], options?: LoadOptions): LoadResult {
  const limits = limitsOf(options);
  const result = emptyResult();
  for (const item of items) {
    if (item.type === 'failed') {
      result.issues.push(item.issue);
      continue;
    }
    result.files++;
    result.bytes += item.bytes;
    // kubectl decodes bad bytes to U+FFFD too and applies the file: a warning, the objects scanned as read.
    if (item.encoding !== undefined)
      result.issues.push({
        ...readFailed(item.name, item.encoding, 'warning'),
        message: `${item.name}: ${item.encoding}, as kubectl reads them`,
      });
    const before = result.entries.length + result.skippedDocuments + result.issues.length;
    try {
      addText(result, item.text, item.name, limits, new DuplicateTracker());
    } catch (error) {
      // loadText handles each document's failures; this is the last guard so one file never ends the scan.
      result.issues.push(readFailed(item.name, error instanceof Error ? error.message : String(error)));
    }
    // `helm template … | palisade scan -` whose first command failed, or a file left empty: said, rather than a
    // silent clean pass over nothing.
    if (result.entries.length + result.skippedDocuments + result.issues.length === before)
      result.issues.push({
        ...readFailed(item.name, '', 'warning'),
        message:
          item.name === STDIN_NAME
            ? `${STDIN_NAME}: no documents (empty, or only comments and blank lines); if a command was to write manifests there, check that it succeeded`
            : `${item.name}: no documents (empty, or only comments and blank lines)`,
      });
  }
  return result;
}

/** Reads and parses inputs: `readManifestInputs` then `loadInputTexts`. */
export async function loadManifests(
  inputs: readonly string[],
  options?: LoadOptions & ReadOptions,
): Promise<LoadResult> {
  return loadInputTexts(await readManifestInputs(inputs, options), options);
}
