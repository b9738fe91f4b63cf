// A TLS certificate and key that are reloaded when their files change, without a restart: the server swaps its
// secure context and new connections use the new certificate. A pair that does not load (a rotation halfway
// written, a key that does not match) keeps the previous one serving and is retried. Reusable by every server.
import { createSecureContext, type SecureContextOptions, type Server } from 'node:tls';
import { PalisadeError } from '../core/errors.ts';
import { FilePoller } from './file-poller.ts';

export interface ReloadingTlsOptions {
  certFile: string;
  keyFile: string;
  /** How often the files are checked; Kubernetes propagates Secret updates within about a minute anyway. */
  intervalMs?: number;
  onReload?: () => void;
  onError?: (error: Error) => void;
}

/** TLS 1.2 is the floor (the issue and every Kubernetes hardening guide); TLS 1.3 is preferred when offered. */
export const MIN_TLS_VERSION = 'TLSv1.2';

/** A rotation that did not load; the message names the files and says that the previous pair keeps serving. */
class CertificateReloadError extends Error {}

export class ReloadingTlsCredentials {
  readonly #options: ReloadingTlsOptions;
  readonly #poller: FilePoller;
  readonly #servers = new Set<Server>();
  #current: SecureContextOptions | undefined;
  reloads = 0;

  constructor(options: ReloadingTlsOptions) {
    this.#options = options;
    this.#poller = new FilePoller({
      files: [options.certFile, options.keyFile],
      intervalMs: options.intervalMs ?? 5000,
      onChange: ([cert, key]) => {
        try {
          this.#use(cert as Buffer, key as Buffer);
        } catch (error) {
          throw new CertificateReloadError(
            `TLS certificate ${options.certFile} and key ${options.keyFile} do not load (${(error as Error).message}); the previous certificate stays in use`,
            { cause: error },
          );
        }
      },
      onError: (error) =>
        options.onError?.(
          error instanceof CertificateReloadError
            ? error
            : new CertificateReloadError(
                `TLS certificate ${options.certFile} or key ${options.keyFile} cannot be read (${error.message}); the previous certificate stays in use`,
                { cause: error },
              ),
        ),
    });
  }

  /** Loads the pair once (a bad pair at start-up is an error, not a server without TLS) and starts watching. */
  async start(): Promise<SecureContextOptions> {
    let cert: Buffer;
    let key: Buffer;
    try {
      [cert, key] = (await this.#poller.start()) as [Buffer, Buffer];
    } catch (error) {
      throw new PalisadeError(
        'input-unreadable',
        `cannot read TLS certificate or key: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    try {
      this.#use(cert, key, false);
    } catch (error) {
      this.#poller.stop();
      throw new PalisadeError(
        'config-invalid',
        `TLS certificate ${this.#options.certFile} and key ${this.#options.keyFile} do not load: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return this.options;
  }

  /** Options for `https.createServer`; the context is swapped on reload for every attached server. */
  get options(): SecureContextOptions {
    if (!this.#current) throw new Error('TLS credentials are not loaded yet');
    return this.#current;
  }

  attach(server: Server): void {
    this.#servers.add(server);
  }

  detach(server: Server): void {
    this.#servers.delete(server);
  }

  /** Checks the files now instead of waiting for the next tick. */
  checkNow(): Promise<void> {
    return this.#poller.check();
  }

  stop(): void {
    this.#poller.stop();
    this.#servers.clear();
  }

  #use(cert: Buffer, key: Buffer, notify = true): void {
    const options: SecureContextOptions = { cert, key, minVersion: MIN_TLS_VERSION };
    // Throws on unreadable PEM and on a key that does not match the certificate, before anything is swapped.
    createSecureContext(options);
    this.#current = options;
    for (const server of this.#servers) server.setSecureContext(options);
    if (notify) {
      this.reloads++;
      this.#options.onReload?.();
    }
  }
}
