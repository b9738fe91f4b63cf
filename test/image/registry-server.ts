// Runs Debian's docker-registry on a loopback port with a temporary storage directory, optionally with TLS
// (a certificate made with openssl), htpasswd basic auth (bcrypt) or token auth (a token server in this
// process signing JWTs with a generated key whose certificate the registry trusts).
import { execFileSync, spawn } from 'node:child_process';
import { createSign, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { sendRequest } from '../../src/image/http-request.ts';
import { tempDir } from './temp-dir.ts';

export const REGISTRY_BINARY = process.env.PALISADE_DOCKER_REGISTRY ?? '/usr/bin/docker-registry';

function hasCommand(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** false, or why registry tests cannot run here. */
export function skipWithoutRegistry(): false | string {
  if (!existsSync(REGISTRY_BINARY))
    return `${REGISTRY_BINARY} is not installed (apt-get install docker-registry)`;
  if (!hasCommand('openssl', ['version']))
    return 'openssl is not installed (needed to make test certificates)';
  return false;
}

/** A bcrypt htpasswd line (cost 4: tests need speed, not strength): apache2-utils' htpasswd, else Python's crypt module; undefined when neither exists. */
export function bcryptHtpasswd(user: string, password: string): string | undefined {
  try {
    return execFileSync('htpasswd', ['-nbB', '-C', '4', user, password], { encoding: 'utf8' }).trim();
  } catch {}
  try {
    const hash = execFileSync(
      'python3',
      [
        '-W',
        'ignore',
        '-c',
        'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))',
        password,
      ],
      { encoding: 'utf8' },
    ).trim();
    return hash.startsWith('$2') ? `${user}:${hash}` : undefined;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export interface CertificatePair {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

export async function makeCertificate(dir: string, name: string): Promise<CertificatePair> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8'), certFile, keyFile };
}

export interface RunningRegistry {
  host: string;
  ca?: string;
  /** Authorization header value that may push (basic or a push-scoped token). */
  pushAuthorization(repository: string): Promise<string | undefined>;
}

export interface RegistryConfig {
  tls?: boolean;
  auth?: 'none' | 'basic' | 'token';
  user?: string;
  password?: string;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Token server: checks Basic credentials, then signs a JWT granting the requested scopes. */
async function startTokenServer(
  t: TestContext,
  signer: CertificatePair,
  user: string,
  password: string,
  service: string,
): Promise<string> {
  const x5c = new X509Certificate(signer.cert).raw.toString('base64');
  const server: Server = createHttpServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
      return;
    }
    const access = url.searchParams.getAll('scope').flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      return type === undefined || name === undefined || actions === undefined
        ? []
        : [{ type, name, actions: actions.split(',') }];
    });
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [x5c] }));
    const claims = base64url(
      JSON.stringify({
        iss: 'palisade-test-issuer',
        sub: user,
        aud: service,
        exp: now + 300,
        nbf: now - 10,
        iat: now,
        jti: `${now}-${Math.random()}`,
        access,
      }),
    );
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(signer.key);
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token: `${header}.${claims}.${base64url(signature)}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('token server has no address');
  return `http://127.0.0.1:${address.port}/token`;
}

export async function startRegistry(t: TestContext, config: RegistryConfig = {}): Promise<RunningRegistry> {
  const dir = await tempDir(t, 'palisade-registry-');
  const port = await freePort();
  const user = config.user ?? 'alice';
  const password = config.password ?? 's3cret-pass';
  const service = 'palisade-test-registry';
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  let ca: string | undefined;
  if (config.tls === true) {
    const pair = await makeCertificate(dir, 'server');
    ca = pair.cert;
    lines.push('  tls:', `    certificate: ${pair.certFile}`, `    key: ${pair.keyFile}`);
  }
  let tokenRealm: string | undefined;
  if (config.auth === 'basic') {
    const line = bcryptHtpasswd(user, password);
    if (line === undefined) throw new Error('no bcrypt hasher (install apache2-utils)');
    await writeFile(join(dir, 'htpasswd'), `${line}\n`);
    lines.push('auth:', '  htpasswd:', '    realm: palisade-test', `    path: ${join(dir, 'htpasswd')}`);
  } else if (config.auth === 'token') {
    const signer = await makeCertificate(dir, 'token-signer');
    tokenRealm = await startTokenServer(t, signer, user, password, service);
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${tokenRealm}`,
      `    service: ${service}`,
      '    issuer: palisade-test-issuer',
      `    rootcertbundle: ${signer.certFile}`,
    );
  }
  await writeFile(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  const child = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  t.after(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
  const host = `127.0.0.1:${port}`;
  const url = new URL(`${config.tls === true ? 'https' : 'http'}://${host}/v2/`);
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await sendRequest(url, {}, { insecure: false, ...(ca === undefined ? {} : { ca }) });
      response.body.resume();
      if (response.status === 200 || response.status === 401) break;
    } catch {}
    if (attempt > 300 || child.exitCode !== null) throw new Error(`docker-registry did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return {
    host,
    ...(ca === undefined ? {} : { ca }),
    async pushAuthorization(repository) {
      if (config.auth === 'basic') return basic;
      if (config.auth !== 'token') return undefined;
      const tokenUrl = new URL(tokenRealm!);
      tokenUrl.searchParams.set('service', service);
      tokenUrl.searchParams.set('scope', `repository:${repository}:pull,push`);
      const response = await sendRequest(tokenUrl, { authorization: basic }, { insecure: false });
      let body = '';
      for await (const chunk of response.body) body += String(chunk);
      return `Bearer ${(JSON.parse(body) as { token: string }).token}`;
    },
  };
}
