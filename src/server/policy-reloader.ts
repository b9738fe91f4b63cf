// The admission policy file, reloaded when it changes. A file that does not parse keeps the last good policy
// serving (and is reported): a typo pushed to a ConfigMap must not take admission down or open it up.
import { CompiledPolicy } from '../admission/compiled-policy.ts';
import { defaultAdmissionPolicy, parseAdmissionPolicy } from '../admission/policy-config.ts';
import { PalisadeError } from '../core/errors.ts';
import type { Rule } from '../core/rule.ts';
import { FilePoller } from './file-poller.ts';

export interface PolicyReloaderOptions {
  /** Undefined: the built-in default policy, fixed. */
  file?: string;
  rules: readonly Rule[];
  intervalMs?: number;
  /** See FilePollerOptions.settleMs: a policy written in place is loaded once it stops changing. */
  settleMs?: number;
  onReload?: (policy: CompiledPolicy) => void;
  onError?: (error: Error) => void;
}

export class PolicyReloader {
  readonly #options: PolicyReloaderOptions;
  readonly #poller: FilePoller | undefined;
  #current: CompiledPolicy;

  constructor(options: PolicyReloaderOptions) {
    this.#options = options;
    this.#current = new CompiledPolicy(defaultAdmissionPolicy(), options.rules);
    const file = options.file;
    if (file !== undefined)
      this.#poller = new FilePoller({
        files: [file],
        intervalMs: options.intervalMs ?? 5000,
        settleMs: options.settleMs ?? 0,
        onChange: ([content]) => {
          this.#current = this.#compile(String(content), file);
          options.onReload?.(this.#current);
        },
        onError: (error) => options.onError?.(error),
      });
  }

  /** Loads the file: at start-up a bad policy is an error, never a silent fallback to the default. */
  async start(): Promise<CompiledPolicy> {
    const file = this.#options.file;
    if (!this.#poller || file === undefined) return this.#current;
    let content: Buffer;
    try {
      [content] = (await this.#poller.start()) as [Buffer];
    } catch (error) {
      throw new PalisadeError(
        'config-invalid',
        `cannot read policy file ${file}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    try {
      this.#current = this.#compile(String(content), file);
    } catch (error) {
      this.#poller.stop();
      throw error;
    }
    return this.#current;
  }

  get current(): CompiledPolicy {
    return this.#current;
  }

  checkNow(): Promise<void> {
    return this.#poller?.check() ?? Promise.resolve();
  }

  stop(): void {
    this.#poller?.stop();
  }

  #compile(text: string, file: string): CompiledPolicy {
    try {
      return new CompiledPolicy(parseAdmissionPolicy(text, file, this.#options.rules), this.#options.rules);
    } catch (error) {
      if (error instanceof PalisadeError) throw error;
      throw new PalisadeError('config-invalid', `policy ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}
