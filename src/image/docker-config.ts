// Registry credentials from a Docker config.json: `auths.<host>.auth` (base64 user:password), username and
// password fields, identity tokens, and credential helpers (`credHelpers`, `credsStore`).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import type { Credentials } from './registry-auth.ts';

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** config.json location: $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
export function dockerConfigPath(env: Record<string, string | undefined>): string {
  return join(env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker'), 'config.json');
}

export async function readDockerConfig(path: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const json = JSON.parse(text) as unknown;
    return typeof json === 'object' && json !== null ? (json as DockerConfig) : undefined;
  } catch (error) {
    throw new PalisadeError('config-invalid', `${path}: not valid JSON`, { cause: error });
  }
}

/** Docker Hub's key in config.json and for credential helpers, as `docker login` writes it. */
export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

/**
 * Keys under which a registry may appear, the one Docker itself uses first (the host; Docker Hub's
 * `https://index.docker.io/v1/`), then the forms other tools write (with scheme, with /v1/ or /v2/).
 */
function candidateKeys(registry: string): string[] {
  if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io')
    return [
      DOCKER_HUB_KEY,
      'index.docker.io',
      'docker.io',
      'registry-1.docker.io',
      'https://index.docker.io',
      'https://registry-1.docker.io',
    ];
  return [
    registry,
    `https://${registry}`,
    `http://${registry}`,
    `https://${registry}/v1/`,
    `https://${registry}/v2/`,
  ];
}

function decodeAuth(auth: string, where: string): Credentials {
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new PalisadeError('config-invalid', `${where}: "auth" is not base64 of user:password`);
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** `docker-credential-<helper> get` with the server key on stdin; its output never goes into an error (secrets). */
function runHelper(helper: string, serverKey: string): Promise<Credentials | undefined> {
  if (!/^[\w.-]+$/.test(helper))
    return Promise.reject(new PalisadeError('config-invalid', `bad credential helper "${helper}"`));
  return new Promise((resolve, reject) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: 30_000 }, (error, stdout) => {
      if (error !== null) {
        // Helpers exit non-zero for "credentials not found": anonymous access then.
        if (/not found/i.test(stdout) || (error as NodeJS.ErrnoException).code === 'ENOENT')
          resolve(undefined);
        else {
          const failure = error as NodeJS.ErrnoException & { signal?: string | null; killed?: boolean };
          const status =
            typeof failure.code === 'number'
              ? `exit status ${failure.code}`
              : failure.signal
                ? `killed by ${failure.signal}${failure.killed ? ' (timed out after 30 s)' : ''}`
                : String(failure.code ?? 'unknown error');
          reject(
            new PalisadeError(
              'input-unreadable',
              `docker-credential-${helper} get failed (${status}); its output is not shown, it may hold secrets`,
            ),
          );
        }
        return;
      }
      try {
        const json = JSON.parse(stdout) as { Username?: string; Secret?: string };
        resolve(
          typeof json.Username === 'string' && typeof json.Secret === 'string'
            ? { username: json.Username, password: json.Secret }
            : undefined,
        );
      } catch {
        reject(new PalisadeError('input-unreadable', `docker-credential-${helper} printed no JSON`));
      }
    });
    // A helper may exit without reading stdin: EPIPE then is its failure, reported by the exit status.
    child.stdin?.on('error', () => {});
    child.stdin?.end(serverKey);
  });
}

/**
 * Docker's order (docker/cli configfile.GetCredentialsStore): a `credHelpers` entry for the registry wins;
 * else `credsStore`, when set, is the only source (its `auths` entries are mere markers); else `auths`.
 */
export async function credentialsFor(
  config: DockerConfig | undefined,
  registry: string,
  where: string,
): Promise<Credentials | undefined> {
  if (config === undefined) return undefined;
  const keys = candidateKeys(registry);
  const helperKey = keys.find((key) => typeof config.credHelpers?.[key] === 'string');
  if (helperKey !== undefined) return runHelper(config.credHelpers![helperKey]!, keys[0]!);
  if (typeof config.credsStore === 'string' && config.credsStore !== '')
    return runHelper(config.credsStore, keys.find((key) => config.auths?.[key] !== undefined) ?? keys[0]!);
  for (const key of keys) {
    const entry = config.auths?.[key];
    if (entry === undefined) continue;
    if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '')
      return { username: '<token>', password: entry.identitytoken };
    if (typeof entry.auth === 'string' && entry.auth !== '')
      return decodeAuth(entry.auth, `${where} auths.${key}`);
    if (typeof entry.username === 'string' && typeof entry.password === 'string')
      return { username: entry.username, password: entry.password };
  }
  return undefined;
}
