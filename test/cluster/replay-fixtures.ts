// Paths, TLS material and credentials shared by the cluster tests, and a helper writing a kubeconfig for a server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURE_DIR = join(repoRoot, 'test', 'fixtures', 'cluster');
const tlsDir = join(FIXTURE_DIR, 'tls');

export const TLS = {
  key: readFileSync(join(tlsDir, 'server.key')),
  cert: readFileSync(join(tlsDir, 'server.crt')),
  ca: readFileSync(join(tlsDir, 'ca.crt')),
  otherCa: readFileSync(join(tlsDir, 'other-ca.crt')),
  clientCert: readFileSync(join(tlsDir, 'client.crt')),
  clientKey: readFileSync(join(tlsDir, 'client.key')),
};

/** Tokens the tests send, mapped to the identities the recordings were made with. */
export const ADMIN_TOKEN = 'test-admin-token-5d1c';
export const DEV_TOKEN = 'test-dev-user-token-77ab';
/** The token the recordings' `invalid-token` identity sent (named in the recordings' README). */
export const REVOKED_TOKEN = 'test-revoked-token-0b3e';
export const INVALID_TOKEN = 'not-a-valid-token-0123456789';
export const TOKENS: Record<string, string> = {
  [ADMIN_TOKEN]: 'admin',
  [DEV_TOKEN]: 'dev-user',
  [INVALID_TOKEN]: 'invalid-token',
  [REVOKED_TOKEN]: 'revoked',
};

// Test directories hold fixture tokens and keys: every one is removed when the test process exits.
const createdDirectories: string[] = [];
process.once('exit', () => {
  for (const directory of createdDirectories) rmSync(directory, { recursive: true, force: true });
});

export function tempDir(prefix = 'palisade-cluster-'): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  createdDirectories.push(directory);
  return directory;
}

/** Writes a kubeconfig with one context `replay` for `server`, authenticating with `token`. */
export function writeKubeconfig(
  directory: string,
  server: string,
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = { 'certificate-authority-data': TLS.ca.toString('base64') },
): string {
  const file = join(directory, 'kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'replay',
    contexts: [{ name: 'replay', context: { cluster: 'replay', user: 'replay-user' } }],
    clusters: [{ name: 'replay', cluster: { server, ...cluster } }],
    users: [{ name: 'replay-user', user }],
  };
  writeFileSync(file, JSON.stringify(config));
  return file;
}
