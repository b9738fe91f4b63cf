// `db import`: OSV records from a directory of JSON files, an OSV `all.zip`, or one JSON file, into the database.
import { lstat, open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PalisadeError } from '../../core/errors.ts';
import { ZipReader } from '../../image/zip-reader.ts';
import type { AdvisoryDatabase, UpsertOutcome } from './database.ts';
import { parseOsvRecord } from './osv-record.ts';
import { UnmatchableEcosystems } from './unmatchable-ecosystems.ts';

export interface ImportIssue {
  /** File (or `archive!entry`) the problem is in; the imported path for a summary of the whole import. */
  file: string;
  /**
   * `error`: a file or record was not imported (counted in `invalid`); `warning`: imported, but part of it cannot be
   * matched as written (a malformed range event, an ecosystem without a version comparator).
   */
  severity: 'error' | 'warning';
  message: string;
}

export interface ImportStats {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  invalid: number;
  warnings: number;
  /** Errors in the order met, then warnings about ecosystems, then warnings about records; each list capped. */
  issues: ImportIssue[];
}

/** A single OSV JSON file larger than this is refused: the largest real records are a few MiB. */
const MAX_JSON_FILE = 32 * 1024 * 1024;
/** Records are written in transactions of this size: fast, and an interrupted import keeps what it committed. */
const BATCH = 2000;
/**
 * And of at most this much JSON text: 2,000 documents of up to 32 MiB each, held parsed until written, would be
 * tens of GiB (a 50 KB hostile zip naming one large entry 300 times took the process to its heap limit).
 */
const BATCH_TEXT_BYTES = 32 * 1024 * 1024;
/** Issues beyond this are counted, not listed. */
const MAX_LISTED_ISSUES = 200;

function emptyStats(): ImportStats {
  return {
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    withdrawn: 0,
    invalid: 0,
    warnings: 0,
    issues: [],
  };
}

/** A stream of (name, bytes) pairs from whatever the path is. */
async function* jsonDocuments(
  path: string,
  label: string,
  signal?: AbortSignal,
): AsyncGenerator<{ name: string; read: () => Promise<Buffer> }> {
  // The path the user named is followed when it is a symbolic link (a linked directory or all.zip is what they
  // meant); links found while walking below it are not (directoryDocuments).
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new PalisadeError(
      'input-not-found',
      `${label}: ${error.code === 'ENOENT' ? 'no such file or directory' : error.message}`,
      {
        cause: error,
      },
    );
  });
  if (info.isDirectory()) {
    yield* directoryDocuments(path, label, signal);
    return;
  }
  if (!info.isFile())
    throw new PalisadeError('input-unreadable', `${label}: not a regular file or directory`);
  const handle = await open(path, 'r');
  const magic = Buffer.alloc(4);
  await handle.read(magic, 0, 4, 0);
  await handle.close();
  if (magic.readUInt32LE(0) === 0x04034b50 || magic.readUInt32LE(0) === 0x06054b50) {
    const zip = await ZipReader.open(path, {}, label);
    try {
      for (const entry of zip.entries) {
        if (signal?.aborted) return;
        if (entry.name.endsWith('/') || !entry.name.toLowerCase().endsWith('.json')) continue;
        yield { name: `${label}!${entry.name}`, read: () => zip.read(entry) };
      }
    } finally {
      await zip.close();
    }
    return;
  }
  yield { name: label, read: () => readLimited(path, info.size, label) };
}

async function readLimited(path: string, size: number, label: string): Promise<Buffer> {
  if (size > MAX_JSON_FILE)
    throw new PalisadeError('input-unreadable', `${label}: larger than ${MAX_JSON_FILE} bytes`);
  return readFile(path);
}

async function* directoryDocuments(
  directory: string,
  label: string,
  signal?: AbortSignal,
): AsyncGenerator<{ name: string; read: () => Promise<Buffer> }> {
  const entries = (await readdir(directory, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  );
  for (const entry of entries) {
    if (signal?.aborted) return;
    const full = join(directory, entry.name);
    const name = join(label, entry.name);
    // Symbolic links are not followed: a link loop or a link out of the tree must not be read.
    if (entry.isDirectory()) yield* directoryDocuments(full, name, signal);
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) {
      yield { name, read: async () => readLimited(full, (await lstat(full)).size, name) };
    }
  }
}

/** Strict: bytes that are not UTF-8 are an error, not silently replaced. A leading BOM is dropped by the decoder. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Buffer): unknown {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    // Reported as an invalid record naming the file: never stored with U+FFFD in its IDs or names.
    throw new Error('not valid UTF-8 (OSV records are UTF-8 JSON)');
  }
  return JSON.parse(text);
}

/** Imports every OSV record under `path`; per-file problems become issues, never a stop. */
export async function importOsv(
  database: AdvisoryDatabase,
  path: string,
  options: {
    source: string;
    now: Date;
    signal?: AbortSignal | undefined;
    location?: string;
    /** How `path` is named in issues and errors (e.g. the URL a temporary download came from); `path` when absent. */
    label?: string;
  },
): Promise<ImportStats> {
  const label = options.label ?? path;
  const stats = emptyStats();
  const errors: ImportIssue[] = [];
  const recordWarnings: ImportIssue[] = [];
  const issue = (file: string, message: string): void => {
    stats.invalid++;
    if (errors.length < MAX_LISTED_ISSUES) errors.push({ file, severity: 'error', message });
  };
  const warn = (file: string, message: string): void => {
    stats.warnings++;
    if (recordWarnings.length < MAX_LISTED_ISSUES)
      recordWarnings.push({ file, severity: 'warning', message });
  };
  const unmatchable = new UnmatchableEcosystems();
  let pending: Array<{ name: string; value: unknown }> = [];
  let pendingText = 0;
  const flush = (): void => {
    const batch = pending;
    pending = [];
    pendingText = 0;
    database.transaction(() => {
      for (const { name, value } of batch) {
        // An array of records is accepted too (some mirrors publish them so).
        for (const item of Array.isArray(value) ? value : [value]) {
          const parsed = parseOsvRecord(item);
          if (!parsed.ok) {
            issue(name, parsed.reason);
            continue;
          }
          stats.read++;
          for (const message of parsed.warnings) warn(name, message);
          unmatchable.count(parsed.record);
          if (parsed.record.withdrawn) stats.withdrawn++;
          const outcome: UpsertOutcome = database.upsert(parsed.record, options.source);
          stats[outcome]++;
        }
      }
    });
  };
  for await (const document of jsonDocuments(path, label, options.signal)) {
    if (options.signal?.aborted) break;
    let value: unknown;
    try {
      const text = await document.read();
      pendingText += text.length;
      value = parseJson(text);
    } catch (error) {
      issue(
        document.name,
        error instanceof SyntaxError ? `invalid JSON: ${error.message}` : (error as Error).message,
      );
      continue;
    }
    pending.push({ name: document.name, value });
    if (pending.length >= BATCH || pendingText >= BATCH_TEXT_BYTES) flush();
  }
  flush();
  const ecosystemWarnings = unmatchable
    .messages()
    .slice(0, MAX_LISTED_ISSUES)
    .map((message): ImportIssue => ({ file: label, severity: 'warning', message }));
  stats.warnings += unmatchable.size;
  stats.issues = [...errors, ...ecosystemWarnings, ...recordWarnings];
  const unlisted = stats.warnings - ecosystemWarnings.length - recordWarnings.length;
  if (unlisted > 0)
    stats.issues.push({ file: label, severity: 'warning', message: `${unlisted} more warnings not listed` });
  if (options.signal?.aborted)
    throw new PalisadeError('internal', `import of ${label} interrupted; records committed so far are kept`);
  const previous = database.source(options.source);
  database.recordSource({
    name: options.source,
    location: options.location ?? path,
    updatedAt: options.now.toISOString(),
    advisories: (previous?.advisories ?? 0) + stats.inserted,
    ...(previous?.etag === undefined ? {} : { etag: previous.etag }),
    ...(previous?.lastModified === undefined ? {} : { lastModified: previous.lastModified }),
  });
  return stats;
}
