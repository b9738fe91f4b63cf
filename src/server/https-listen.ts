// The one place that binds a port: an HTTPS server with reloading credentials, bounded timeouts and a graceful
// close that waits for requests in flight. Reusable by every server (admission webhook, audit receiver).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { PalisadeError } from '../core/errors.ts';
import type { ReloadingTlsCredentials } from './tls-reload.ts';

export interface HttpsListenOptions {
  /** Omitted: every address, IPv6 and IPv4 where the machine has IPv6 (node's `::` dual stack), else IPv4. */
  host?: string;
  port: number;
  credentials: ReloadingTlsCredentials;
  handler: (request: IncomingMessage, response: ServerResponse) => void;
  /** Whole-request limit (headers and body); a hung client never holds a socket longer. */
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** The API server keeps connections alive; idle ones are closed after this. */
  keepAliveTimeoutMs?: number;
  /**
   * How often the header and request timeouts are checked. Node's default (30 s) lets a slow client hold a socket up
   * to 30 s past its timeout; at 1 s the 408 comes within a second of it.
   */
  connectionsCheckingIntervalMs?: number;
  /** Sockets open at once (TLS handshakes included); more are closed on accept. */
  maxConnections?: number;
  /**
   * Time for a new socket to complete its TLS handshake. Node's default (120 s) let sockets that never start TLS
   * hold connection slots long enough to lock legitimate clients out.
   */
  handshakeTimeoutMs?: number;
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;

export const DEFAULT_MAX_CONNECTIONS = 1024;

export interface ListeningServer {
  server: Server;
  host: string;
  port: number;
  /**
   * Stops accepting, lets requests in flight finish (up to `graceMs`), then closes every socket: idle and
   * mid-handshake ones included, so the returned promise settles shortly after `graceMs` whatever clients do.
   */
  close(graceMs?: number): Promise<void>;
}

export async function listenHttps(options: HttpsListenOptions): Promise<ListeningServer> {
  const server = createServer(
    {
      ...options.credentials.options,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      headersTimeout: options.headersTimeoutMs ?? 5_000,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      connectionsCheckingInterval: options.connectionsCheckingIntervalMs ?? 1000,
      handshakeTimeout: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    },
    options.handler,
  );
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  options.credentials.attach(server);
  // A TLS handshake that never completes would otherwise hold the socket until the OS gives up.
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  // Every raw socket, from accept: closeAllConnections only knows sockets that reached HTTP, and server.close
  // waits for all of them, including one that never sends a byte.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    // A port in use or not allowed is the user's to fix: a plain message, not an internal error.
    const refuse = (error: NodeJS.ErrnoException): void => {
      const where =
        options.host === undefined
          ? `port ${options.port} (every address)`
          : `${options.host}:${options.port}`;
      const reason =
        error.code === 'EADDRINUSE'
          ? 'the address is already in use (another server is listening there)'
          : error.code === 'EACCES'
            ? 'permission denied (ports below 1024 need privileges)'
            : error.code === 'EADDRNOTAVAIL'
              ? 'the address is not one of this machine'
              : error.message;
      reject(new PalisadeError('usage', `cannot listen on ${where}: ${reason}`, { cause: error }));
    };
    server.once('error', refuse);
    server.listen(options.port, options.host, () => {
      server.off('error', refuse);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    server,
    host: address.address,
    port: address.port,
    close(graceMs = 5_000) {
      closing ??= new Promise<void>((resolve) => {
        options.credentials.detach(server);
        const timer = setTimeout(() => {
          server.closeAllConnections();
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
