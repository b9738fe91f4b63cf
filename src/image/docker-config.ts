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

/** Keys under which a registry may appear: the host, with scheme, with /v1/ (Docker Hub's legacy key). */
function candidateKeys(registry: string): string[] {
  const keys = [
    registry,
    `https://${registry}`,
    `http://${registry}`,
    `https://${registry}/v1/`,
    `https://${registry}/v2/`,
  ];
  if (registry === 'docker.io' || registry === 'registry-1.docker.io')
    keys.push('https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io');
  return keys;
}

function decodeAuth(auth: string, where: string): Credentials {
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new PalisadeError('config-invalid', `${where}: "auth" is not base64 of user:password`);
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function runHelper(helper: string, registry: string): Promise<Credentials | undefined> {
  if (!/^[\w.-]+$/.test(helper))
    return Promise.reject(new PalisadeError('config-invalid', `bad credential helper "${helper}"`));
  return new Promise((resolve, reject) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: 30_000 }, (error, stdout) => {
      if (error !== null) {
        // Helpers exit non-zero for "credentials not found": anonymous access then.
        if (/not found/i.test(stdout) || (error as NodeJS.ErrnoException).code === 'ENOENT')
          resolve(undefined);
        else
          reject(
            new PalisadeError('input-unreadable', `docker-credential-${helper} failed: ${error.message}`),
          );
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
    child.stdin?.end(registry);
  });
}

export async function credentialsFor(
  config: DockerConfig | undefined,
  registry: string,
  where: string,
): Promise<Credentials | undefined> {
  if (config === undefined) return undefined;
  const keys = candidateKeys(registry);
  const helper = keys.map((key) => config.credHelpers?.[key]).find((value) => value !== undefined);
  if (helper !== undefined) return runHelper(helper, registry);
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
  if (config.credsStore !== undefined) return runHelper(config.credsStore, registry);
  return undefined;
}
