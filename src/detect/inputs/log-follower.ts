// Follows a kube-apiserver audit log (JSON lines): reads complete lines only, survives rotation by rename
// (the old file is drained to its end first, found again by inode after a restart) and truncation, and
// persists its offset after each batch has been handled (`onBatch` resolved), so restarts neither lose
// nor repeat events.
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { delay } from '../abortable-delay.ts';
import { type AuditParseResult, appendLine } from '../audit-event.ts';
import { type FollowPosition, loadPosition, savePosition } from './follow-state.ts';

export interface LogFollowerOptions {
  path: string;
  /** Where the offset is kept; without one, every start begins at `from`. */
  stateFile?: string;
  /** Where to begin when there is no saved position. */
  from?: 'start' | 'end';
  pollMs?: number;
  /** Handles one batch; the position is saved only after it resolves. */
  onBatch: (batch: AuditParseResult) => Promise<void>;
  onNotice?: (message: string) => void;
}

const CHUNK = 1024 * 1024;
/** A "line" longer than this is not an audit event; it is reported and skipped. */
const MAX_LINE = 16 * 1024 * 1024;

interface OpenFile {
  handle: FileHandle;
  path: string;
  dev: number;
  ino: number;
  offset: number;
  /**
   * 1-based number of the line starting at `offset`, counted as newlines are consumed; undefined when reading
   * began mid-file without a known count (`from: 'end'`, or a state file saved before lines were counted).
   */
  line: number | undefined;
  /** `offset` is inside a line longer than MAX_LINE, skipped up to its newline (which may come in a later poll). */
  skipping: boolean;
}

/** `audit.log line 12 (byte 3456)`, or `audit.log (byte 3456)` when the line number is not known. */
function position(path: string, line: number | undefined, byte: number): string {
  return line === undefined ? `${path} (byte ${byte})` : `${path} line ${line} (byte ${byte})`;
}

export class AuditLogFollower {
  private readonly options: LogFollowerOptions;
  private readonly path: string;
  private current: OpenFile | undefined;
  private pending: OpenFile | undefined;
  private started = false;
  linesRead = 0;
  /** After a poll: bytes at the end of the live file after its last newline (an event still being written). */
  unterminatedTail: { offset: number; length: number } | undefined;

  /** The offset handled so far in the live file (undefined before it is opened or while a rotated file is drained). */
  get handledOffset(): number | undefined {
    return this.pending === undefined ? this.current?.offset : undefined;
  }

  constructor(options: LogFollowerOptions) {
    this.options = options;
    this.path = resolve(options.path);
  }

  /** Follows until the signal aborts; the position is saved as batches complete. */
  async run(signal: AbortSignal | undefined): Promise<void> {
    const pollMs = this.options.pollMs ?? 500;
    while (!signal?.aborted) {
      await this.poll();
      await delay(pollMs, signal);
    }
    await this.close();
  }

  /** One pass: reads everything complete that is there now, handling rotation and truncation. */
  async poll(): Promise<void> {
    if (!this.started) {
      this.started = true;
      await this.resume();
    }
    if (this.pending !== undefined) {
      // A file rotated away while we were down: finish it, then the live file from its start.
      await this.drain(this.pending, true);
      await this.pending.handle.close();
      this.pending = undefined;
    }
    const info = await stat(this.path).catch(() => undefined);
    if (this.current !== undefined) {
      const rotated = info === undefined || info.ino !== this.current.ino || info.dev !== this.current.dev;
      if (rotated) {
        await this.drain(this.current, true);
        await this.current.handle.close();
        this.current = undefined;
      } else if (info.size < this.current.offset) {
        this.options.onNotice?.(`${this.path} was truncated; reading it again from the start`);
        this.current.offset = 0;
        this.current.line = 1;
        this.current.skipping = false;
      }
    }
    if (this.current === undefined && info !== undefined) this.current = await this.openAt(0, 1);
    if (this.current !== undefined) await this.drain(this.current, false);
  }

  async close(): Promise<void> {
    await this.current?.handle.close();
    await this.pending?.handle.close();
    this.current = undefined;
    this.pending = undefined;
  }

  /** `line`: the number of the line at `offset`, when known. */
  private async openAt(
    offset: number,
    line: number | undefined,
    path = this.path,
  ): Promise<OpenFile | undefined> {
    try {
      const handle = await open(path, 'r');
      const info = await handle.stat();
      const start = Math.min(offset, info.size);
      return {
        handle,
        path,
        dev: info.dev,
        ino: info.ino,
        offset: start,
        line: start === 0 ? 1 : start === offset ? line : undefined,
        skipping: false,
      };
    } catch {
      return undefined;
    }
  }

  private async resume(): Promise<void> {
    const saved =
      this.options.stateFile === undefined
        ? undefined
        : await loadPosition(this.options.stateFile, this.options.onNotice);
    const info = await stat(this.path).catch(() => undefined);
    if (saved === undefined || saved.path !== this.path) {
      // From the end, the lines before are not counted (that would read the whole file): bytes only.
      if (info !== undefined)
        this.current = await this.openAt(this.options.from === 'end' ? info.size : 0, undefined);
      return;
    }
    if (info !== undefined && info.ino === saved.ino && info.dev === saved.dev) {
      const offset = info.size < saved.offset ? 0 : saved.offset;
      if (offset !== saved.offset)
        this.options.onNotice?.(`${this.path} is shorter than the saved offset; reading it from the start`);
      this.current = await this.openAt(offset, offset === 0 ? 1 : saved.line);
      return;
    }
    const rotatedPath = await this.findByInode(saved);
    if (rotatedPath !== undefined) {
      this.options.onNotice?.(
        `resuming rotated file ${rotatedPath} at byte ${saved.offset} before ${this.path}`,
      );
      this.pending = await this.openAt(saved.offset, saved.line, rotatedPath);
    } else {
      this.options.onNotice?.(
        `the file saved at byte ${saved.offset} is gone (rotated and removed?); events after that offset in it may be missing`,
      );
    }
  }

  private async findByInode(saved: FollowPosition): Promise<string | undefined> {
    const dir = dirname(this.path);
    const stem = basename(this.path).replace(/\.[^.]*$/, '');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return undefined;
    }
    for (const name of names) {
      if (!name.startsWith(stem) || name.endsWith('.gz')) continue;
      const path = join(dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info !== undefined && info.ino === saved.ino && info.dev === saved.dev) return path;
    }
    return undefined;
  }

  /**
   * Reads complete lines from `file` to its current end; `final` also takes a last line without newline. Lines
   * are handed over as bytes, so offsets stay exact whatever the encoding, and numbered by counting newlines.
   */
  private async drain(file: OpenFile, final: boolean): Promise<void> {
    const buffer = Buffer.allocUnsafe(CHUNK);
    // Bytes from file.offset on that hold no complete line yet.
    let carry = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await file.handle.read(buffer, 0, CHUNK, file.offset + carry.length);
      if (bytesRead === 0) break;
      let chunk = buffer.subarray(0, bytesRead);
      if (file.skipping) {
        const newline = chunk.indexOf(10);
        file.offset += newline < 0 ? chunk.length : newline + 1;
        if (newline < 0) continue;
        file.skipping = false;
        if (file.line !== undefined) file.line++;
        chunk = chunk.subarray(newline + 1);
      }
      const data = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      const lastNewline = data.lastIndexOf(10);
      if (lastNewline < 0) {
        if (data.length > MAX_LINE) {
          this.options.onNotice?.(
            `${position(file.path, file.line, file.offset)}: a line longer than 16 MiB; skipped`,
          );
          file.skipping = true;
          file.offset += data.length;
          carry = Buffer.alloc(0);
          continue;
        }
        carry = Buffer.from(data);
        continue;
      }
      await this.handle(data.subarray(0, lastNewline + 1), file);
      carry = Buffer.from(data.subarray(lastNewline + 1));
    }
    if (final && carry.length > 0 && !file.skipping) await this.handle(carry, file);
    else if (file === this.current)
      this.unterminatedTail = carry.length > 0 ? { offset: file.offset, length: carry.length } : undefined;
  }

  /** Handles `bytes` (the file's bytes from file.offset on: whole lines), then moves the position past them. */
  private async handle(bytes: Buffer, file: OpenFile): Promise<void> {
    const batch: AuditParseResult = { events: [], issues: [] };
    let line = file.line;
    for (let start = 0; start < bytes.length; ) {
      const newline = bytes.indexOf(10, start);
      const end = newline < 0 ? bytes.length : newline;
      const text = bytes.toString('utf8', start, end);
      if (text.trim() !== '') {
        this.linesRead++;
        appendLine(batch, text, position(file.path, line, file.offset + start), line ?? 0);
      }
      start = end + 1;
      if (line !== undefined) line++;
    }
    await this.options.onBatch(batch);
    file.offset += bytes.length;
    file.line = line;
    if (this.options.stateFile !== undefined) {
      const saved: FollowPosition = { path: this.path, dev: file.dev, ino: file.ino, offset: file.offset };
      if (line !== undefined) saved.line = line;
      await savePosition(this.options.stateFile, saved);
    }
  }
}
