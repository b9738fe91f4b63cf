// A durable spool for accepted webhook batches: events are appended as JSON lines and fsynced before the
// receiver answers 200, and detection reads the spool with the audit log follower (offset persisted after
// processing). A crash between the two loses nothing: the restart resumes the spool where detection stopped.
// Once detection has caught up, a spool past `compactBytes` is emptied (under the same lock as appends).
import { type FileHandle, open } from 'node:fs/promises';
import { PalisadeError } from '../../core/errors.ts';
import { jsonText } from '../../core/json-text.ts';
import type { AuditEvent } from '../../detect/audit-event.ts';
import type { AcceptVerdict } from './audit-receiver.ts';

/** `--spool-max-backlog` default: 1 GiB of spooled events waiting for detection. */
export const DEFAULT_SPOOL_MAX_BACKLOG_BYTES = 1024 * 1024 * 1024;
/**
 * Longest spool line (without its newline) detection reads back: the audit log follower skips longer lines. An
 * event's line can be longer than the bytes it arrived as (invalid UTF-8 becomes U+FFFD, 3 bytes; `9e20` is
 * written `900000000000000000000`), so each line is measured as written and a longer one is never spooled.
 */
const MAX_SPOOL_LINE_BYTES = 16 * 1024 * 1024;

export interface SpoolAppendResult {
  /** Events not spooled because their line would be longer than MAX_SPOOL_LINE_BYTES (by index). */
  unstorable: { index: number; reason: string }[];
}

export class AuditSpool {
  readonly path: string;
  private readonly handle: FileHandle;
  private readonly compactBytes: number;
  private chain: Promise<unknown> = Promise.resolve();
  private size: number;
  compactions = 0;

  private constructor(path: string, handle: FileHandle, size: number, compactBytes: number) {
    this.path = path;
    this.handle = handle;
    this.size = size;
    this.compactBytes = compactBytes;
  }

  static async open(path: string, compactBytes = 64 * 1024 * 1024): Promise<AuditSpool> {
    try {
      const handle = await open(path, 'a+', 0o600);
      const { size } = await handle.stat();
      return new AuditSpool(path, handle, size, compactBytes);
    } catch (error) {
      throw new PalisadeError('output-unwritable', `cannot open spool ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private locked<T>(run: () => Promise<T>): Promise<T> {
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Bytes in the spool now (appended and not compacted away). */
  get bytes(): number {
    return this.size;
  }

  /** Spooled bytes detection has not handled yet (all of them while the reader's offset is unknown). */
  backlogBytes(handledOffset: number | undefined): number {
    return Math.max(0, this.size - (handledOffset ?? 0));
  }

  /** Resolves once the events are on disk; those whose line the reader could not take are left out and named. */
  append(events: readonly AuditEvent[]): Promise<SpoolAppendResult> {
    const unstorable: SpoolAppendResult['unstorable'] = [];
    const lines: string[] = [];
    events.forEach((event, index) => {
      // jsonText, not JSON.stringify: an event nested too deep for the latter would make every retry fail.
      const line = jsonText(event);
      const bytes = Buffer.byteLength(line);
      if (bytes > MAX_SPOOL_LINE_BYTES)
        unstorable.push({
          index,
          reason: `its spool line would be ${bytes} bytes, over the 16 MiB (${MAX_SPOOL_LINE_BYTES} bytes) detection reads back`,
        });
      else lines.push(line);
    });
    if (lines.length === 0) return Promise.resolve({ unstorable });
    const text = `${lines.join('\n')}\n`;
    return this.locked(async () => {
      await this.handle.write(text);
      await this.handle.sync();
      this.size += Buffer.byteLength(text);
      return { unstorable };
    });
  }

  /** Empties the spool when detection has handled all of it and it has grown past the threshold. */
  compactIfDrained(handledOffset: number | undefined): Promise<boolean> {
    return this.locked(async () => {
      if (handledOffset === undefined || handledOffset !== this.size || this.size < this.compactBytes)
        return false;
      await this.handle.truncate(0);
      await this.handle.sync();
      this.size = 0;
      this.compactions++;
      return true;
    });
  }

  async close(): Promise<void> {
    await this.chain;
    await this.handle.close();
  }
}

export interface SpoolIntake {
  /**
   * Appends the batch unless the backlog is over the limit (false: the receiver answers 503 with Retry-After);
   * events too large to read back are left out and reported (the receiver answers them as skipped).
   */
  accept: (events: AuditEvent[]) => Promise<boolean | AcceptVerdict>;
  /** Unprocessed spooled bytes, for /healthz and metrics. */
  backlog: () => number;
  /** Batches refused because detection was too far behind. */
  refused: () => number;
}

/**
 * The receiver's side of the spool with back-pressure: while more than `maxBacklogBytes` spooled bytes wait
 * for detection, batches are refused (the API server's webhook backend retries them), so a detection that
 * falls behind cannot grow the spool without limit.
 */
export function spoolIntake(
  spool: AuditSpool,
  handledOffset: () => number | undefined,
  maxBacklogBytes: number,
): SpoolIntake {
  let refused = 0;
  const backlog = () => spool.backlogBytes(handledOffset());
  return {
    accept: async (events) => {
      if (backlog() > maxBacklogBytes) {
        refused++;
        return false;
      }
      const { unstorable } = await spool.append(events);
      return unstorable.length === 0 ? true : { held: true, unstorable };
    },
    backlog,
    refused: () => refused,
  };
}
