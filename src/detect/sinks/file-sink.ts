// JSON lines appended to a file; `flush` writes and fsyncs what is pending, so a flushed alert survives a crash.
import { type FileHandle, open } from 'node:fs/promises';
import { PalisadeError } from '../../core/errors.ts';
import type { Alert } from '../alert.ts';
import type { AlertSink } from './alert-sink.ts';

export class FileSink implements AlertSink {
  readonly name: string;
  private readonly handle: FileHandle;
  private pending: string[] = [];
  private chain: Promise<void> = Promise.resolve();

  private constructor(handle: FileHandle, path: string) {
    this.handle = handle;
    this.name = `file:${path}`;
  }

  static async open(path: string): Promise<FileSink> {
    try {
      const handle = await open(path, 'a', 0o600);
      // The mode given to open applies only to a new file: an existing one readable by others is made private
      // too, since alerts name users, objects and sources.
      try {
        const info = await handle.stat();
        if (info.isFile() && (info.mode & 0o077) !== 0) await handle.chmod(0o600);
      } catch (error) {
        await handle.close();
        throw error;
      }
      return new FileSink(handle, path);
    } catch (error) {
      throw new PalisadeError(
        'output-unwritable',
        `cannot open alert file ${path}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  write(alert: Alert): void {
    this.pending.push(`${JSON.stringify(alert)}\n`);
    if (this.pending.length >= 256) void this.flush();
  }

  flush(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    this.chain = this.chain.then(async () => {
      if (lines.length === 0) return;
      await this.handle.write(lines.join(''));
      await this.handle.sync();
    });
    return this.chain;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }
}
