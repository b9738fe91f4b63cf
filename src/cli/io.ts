// What a command may touch of the process, injected so that commands are tested in-process.

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Injected clock for reproducible reports. */
  now: () => Date;
  /** Aborted on SIGINT/SIGTERM: long-running commands (servers, watchers) shut down cleanly when it fires. */
  signal?: AbortSignal;
}

/** CLI exit codes (CONVENTIONS.md). */
export const EXIT = { clean: 0, findings: 1, usage: 2, runtime: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
