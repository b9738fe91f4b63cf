// Hostile registries served in-process over real TLS (a certificate made with openssl): foreign auth
// challenges after a redirect, token realms pointing at clear text or metadata addresses, --insecure-registry
// scope, bodies that drip or stall, huge indexes, credential helpers that print secrets.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { PalisadeError } from '../../src/core/errors.ts';
import { credentialsFor, DOCKER_HUB_KEY } from '../../src/image/docker-config.ts';
import { parsePlatform, selectPlatform } from '../../src/image/platform.ts';
import { checkRealm, isLinkLocalOrMetadata } from '../../src/image/registry-auth.ts';
import { openRegistryImage, type RegistryOptions } from '../../src/image/registry-client.ts';
import { type BuiltImage, buildImage } from './image-builder.ts';
import { type CertificatePair, makeCertificate } from './registry-server.ts';
import { tempDir } from './temp-dir.ts';

const skip = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'openssl is not installed (needed to make test certificates)';
  }
})();
const amd64 = parsePlatform('linux/amd64');
const CREDENTIALS = { username: 'alice', password: 'hunter2-registry-password' };
const BASIC = `Basic ${Buffer.from('alice:hunter2-registry-password').toString('base64')}`;
const externalIPv4 = Object.values(networkInterfaces())
  .flat()
  .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal)?.address;

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let certificate: CertificatePair | undefined;
async function cert(t: TestContext): Promise<CertificatePair> {
  certificate ??= await makeCertificate(await tempDir(t, 'palisade-hostile-'), 'server');
  return certificate;
}

/** Starts an HTTPS (default) or plain HTTP server on `address`; returns its host:port. */
async function serve(
  t: TestContext,
  handler: Handler,
  options: { tls?: boolean; address?: string } = {},
): Promise<string> {
  const pair = await cert(t);
  const server: Server =
    options.tls === false
      ? createHttpServer(handler)
      : createHttpsServer({ cert: pair.cert, key: pair.key }, handler);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, options.address ?? '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return `${options.address ?? '127.0.0.1'}:${address.port}`;
}

function testImage(): BuiltImage {
  return buildImage({
    layers: [[{ name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' }]],
  });
}

/** A registry handler serving `image` under any repository, tag `1`; `override` runs first. */
function registry(
  image: BuiltImage,
  override?: (request: IncomingMessage, response: ServerResponse) => boolean,
) {
  const blobs = new Map<string, Buffer>([[image.configDigest, image.config]]);
  for (const layer of image.layers) blobs.set(layer.digest, layer.blob);
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (override?.(request, response)) return;
    const url = request.url ?? '/';
    if (url === '/v2/') {
      response.writeHead(200).end('{}');
      return;
    }
    if (/\/manifests\//.test(url)) {
      response
        .writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' })
        .end(image.manifest);
      return;
    }
    const blob = blobs.get(/\/blobs\/(.+)$/.exec(url)?.[1] ?? '');
    if (blob === undefined) response.writeHead(404).end();
    else response.writeHead(200, { 'content-length': blob.length }).end(blob);
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Trusts the test certificate unless `trust` is false; never reads a real Docker config. */
function options(extra: Partial<RegistryOptions> = {}, trust = true): RegistryOptions {
  return {
    platform: amd64,
    env: {},
    dockerConfig: '/nonexistent/config.json',
    ...(trust && certificate !== undefined ? { ca: certificate.cert } : {}),
    ...extra,
  };
}

describe('hostile registries (in-process, real TLS)', { skip }, () => {
  it('does not answer a 401 challenge from the host a blob was redirected to (no password to its realm)', async (t) => {
    const image = testImage();
    const evilSeen: string[] = [];
    const evil = await serve(t, (request, response) => {
      evilSeen.push(`${request.url} ${request.headers.authorization ?? '-'}`);
      if (request.url?.startsWith('/token')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"EVIL"}');
        return;
      }
      response.writeHead(401, { 'www-authenticate': `Bearer realm="https://${evil}/token"` }).end();
    });
    const host = await serve(
      t,
      registry(image, (request, response) => {
        if (request.headers.authorization !== BASIC) {
          response.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
          return true;
        }
        if (request.url?.includes('/blobs/')) {
          response.writeHead(307, { location: `https://${evil}${request.url}` }).end();
          return true;
        }
        return false;
      }),
    );
    await assert.rejects(
      openRegistryImage(`${host}/team/app:1`, options({ credentials: CREDENTIALS })),
      (error: Error) =>
        error instanceof PalisadeError && error.message.includes(`HTTP 401 from ${evil} after a redirect`),
    );
    assert.ok(
      evilSeen.every((line) => !line.startsWith('/token') && line.endsWith(' -')),
      `evil host got: ${evilSeen.join('; ')}`,
    );
  });

  it('refuses token realms at link-local or metadata addresses, and clear-text realms unless loopback to loopback', async (t) => {
    const image = testImage();
    const host = await serve(
      t,
      registry(image, (request, response) => {
        if (request.headers.authorization === undefined) {
          response
            .writeHead(401, { 'www-authenticate': 'Bearer realm="https://169.254.169.254/latest/token"' })
            .end();
          return true;
        }
        return false;
      }),
    );
    await assert.rejects(
      openRegistryImage(`${host}/team/app:1`, options({ credentials: CREDENTIALS })),
      /link-local or cloud metadata/,
    );
    for (const realm of [
      'http://[fe80::1]/t',
      'https://metadata.google.internal/t',
      'http://[::ffff:169.254.169.254]/t',
    ])
      assert.throws(
        () => checkRealm(new URL(realm), new URL('https://127.0.0.1/v2/')),
        /link-local|metadata/,
        realm,
      );
    assert.equal(isLinkLocalOrMetadata('fe8::1'), false);
    assert.throws(
      () => checkRealm(new URL('http://127.0.0.1:5001/token'), new URL('https://registry.example/v2/')),
      /not HTTPS/,
    );
    assert.throws(
      () => checkRealm(new URL('http://auth.example/token'), new URL('http://127.0.0.1:5000/v2/')),
      /not HTTPS/,
    );
    checkRealm(new URL('http://localhost:5001/token'), new URL('https://127.0.0.1:5000/v2/'));
    checkRealm(new URL('https://auth.example/token'), new URL('https://registry.example/v2/'));
  });

  it('scopes --insecure-registry to the registry host: a redirect elsewhere is verified, http redirects refused', async (t) => {
    const image = testImage();
    const other = await serve(t, registry(image));
    const otherByName = other.replace('127.0.0.1', 'localhost');
    const host = await serve(
      t,
      registry(image, (request, response) => {
        if (request.url?.includes('/blobs/')) {
          response.writeHead(307, { location: `https://${otherByName}${request.url}` }).end();
          return true;
        }
        return false;
      }),
    );
    // No CA given: only the flag makes the registry's self-signed certificate acceptable, and only for it.
    await assert.rejects(
      openRegistryImage(`${host}/team/app:1`, options({ insecure: true }, false)),
      /self-signed|certificate/,
    );
    const plainOther = await serve(t, registry(image), { tls: false });
    const plain = await serve(
      t,
      registry(image, (request, response) => {
        if (request.url?.includes('/blobs/')) {
          response
            .writeHead(307, {
              location: `http://${plainOther.replace('127.0.0.1', 'localhost')}${request.url}`,
            })
            .end();
          return true;
        }
        return false;
      }),
      { tls: false },
    );
    await assert.rejects(
      openRegistryImage(`${plain}/team/app:1`, options({ insecure: true })),
      /refusing redirect to plain HTTP \(localhost:/,
    );
  });

  it('never sends a password over plain HTTP to a non-loopback registry, even with --insecure-registry', {
    skip: externalIPv4 === undefined ? 'no non-loopback IPv4 address here' : false,
  }, async (t) => {
    const image = testImage();
    const seen: string[] = [];
    const handler = registry(image, (request, response) => {
      seen.push(request.headers.authorization ?? '-');
      if (request.headers.authorization === undefined) {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
        return true;
      }
      return false;
    });
    const host = await serve(t, handler, { tls: false, address: externalIPv4! });
    await assert.rejects(
      openRegistryImage(`${host}/team/app:1`, options({ insecure: true, credentials: CREDENTIALS })),
      /refusing to send a password over plain HTTP/,
    );
    assert.ok(seen.every((value) => value === '-'));
    // Bearer: a token got with the credentials (from an HTTPS realm) is not sent in clear text either, and the realm
    // is not even asked for it.
    const realmSeen: string[] = [];
    const realm = await serve(t, (request, response) => {
      realmSeen.push(request.headers.authorization ?? '-');
      response.writeHead(200).end('{"token":"secret-token"}');
    });
    const bearerSeen: string[] = [];
    const bearerHost = await serve(
      t,
      registry(image, (request, response) => {
        bearerSeen.push(request.headers.authorization ?? '-');
        if (request.headers.authorization === undefined) {
          response.writeHead(401, { 'www-authenticate': `Bearer realm="https://${realm}/token"` }).end();
          return true;
        }
        return false;
      }),
      { tls: false, address: externalIPv4! },
    );
    await assert.rejects(
      openRegistryImage(`${bearerHost}/team/app:1`, options({ insecure: true, credentials: CREDENTIALS })),
      /refusing to send a token obtained with your credentials over plain HTTP/,
    );
    assert.deepEqual(realmSeen, []);
    assert.deepEqual(new Set(bearerSeen), new Set(['-']), 'no Authorization header was sent');
    // Without credentials the token is anonymous: the pull goes ahead.
    const anonymous = await openRegistryImage(`${bearerHost}/team/app:1`, options({ insecure: true }));
    assert.ok(anonymous.layers.length > 0);
    assert.ok(bearerSeen.includes('Bearer secret-token'));
    // A non-loopback HTTPS registry (flag: unverified) whose token realm is loopback clear text: refused.
    const tokenSeen: string[] = [];
    const token = await serve(
      t,
      (request, response) => {
        tokenSeen.push(request.headers.authorization ?? '-');
        response.writeHead(200).end('{"token":"x"}');
      },
      { tls: false },
    );
    const tlsHost = await serve(
      t,
      registry(image, (request, response) => {
        if (request.headers.authorization === undefined) {
          response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${token}/token"` }).end();
          return true;
        }
        return false;
      }),
      { address: externalIPv4! },
    );
    await assert.rejects(
      openRegistryImage(`${tlsHost}/team/app:1`, options({ insecure: true, credentials: CREDENTIALS })),
      /not HTTPS/,
    );
    assert.deepEqual(tokenSeen, []);
  });

  it('gives up on a manifest that drips, and on a layer below the minimum rate, naming what was fetched', {
    timeout: 20_000,
  }, async (t) => {
    const image = testImage();
    const drip = (response: ServerResponse, headers: Record<string, string>, bytes: number): void => {
      response.writeHead(200, headers);
      const timer = setInterval(() => response.write(Buffer.alloc(bytes, 32)), 20);
      response.on('close', () => clearInterval(timer));
    };
    const host = await serve(
      t,
      registry(image, (request, response) => {
        if (request.url?.includes('/manifests/slow')) {
          drip(response, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, 1);
          return true;
        }
        if (request.url?.endsWith(image.layers[0]!.digest)) {
          drip(response, {}, 8);
          return true;
        }
        return false;
      }),
    );
    const limits = { documentDeadlineMs: 400, blobGraceMs: 200, blobWindowMs: 200, blobMinBytes: 4096 };
    const started = Date.now();
    await assert.rejects(
      openRegistryImage(`${host}/team/app:slow`, options({ limits })),
      (error: Error) =>
        error instanceof PalisadeError &&
        error.message.includes(`${host}/team/app:slow: manifest slow`) &&
        /not complete after 400 ms/.test(error.message),
    );
    assert.ok(Date.now() - started < 5000);
    const source = await openRegistryImage(`${host}/team/app:1`, options({ limits }));
    await assert.rejects(
      readAll(await source.layers[0]!.open()),
      (error: Error) =>
        error instanceof PalisadeError &&
        error.message.includes(`layer blob ${image.layers[0]!.digest}`) &&
        /transfer too slow/.test(error.message),
    );
  });

  it('turns a manifest body cut off or stalled into an error naming the reference', {
    timeout: 20_000,
  }, async (t) => {
    const image = testImage();
    const host = await serve(
      t,
      registry(image, (request, response) => {
        if (request.url?.includes('/manifests/')) {
          response.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
          response.write('{');
          if (request.url.includes('/manifests/cut')) setTimeout(() => response.socket?.destroy(), 50);
          return true;
        }
        return false;
      }),
    );
    await assert.rejects(
      openRegistryImage(`${host}/team/app:cut`, options()),
      (error: Error) =>
        error instanceof PalisadeError && error.message.includes(`${host}/team/app:cut manifest cut`),
    );
    await assert.rejects(
      openRegistryImage(`${host}/team/app:stall`, options({ limits: { idleMs: 300 } })),
      (error: Error) =>
        error instanceof PalisadeError &&
        error.message.includes(`${host}/team/app:stall: manifest stall`) &&
        /stalled: nothing received for 300 ms/.test(error.message),
    );
  });
});

describe('bounded messages and Docker credential lookup', () => {
  it('lists at most 20 platforms of a huge index, each cut short', () => {
    const entries = Array.from({ length: 20_000 }, (_, index) => ({
      digest: `sha256:${'0'.repeat(64)}`,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      annotations: {},
      platform: { os: 'plan9', architecture: `x${index}${'y'.repeat(index === 0 ? 500 : 0)}` },
    }));
    assert.throws(
      () => selectPlatform(entries, amd64, 'reg/app:1'),
      (error: Error) =>
        error.message.length < 1500 &&
        error.message.includes(', +19980 more)') &&
        !error.message.includes('y'.repeat(100)),
    );
  });

  it('follows Docker: credHelpers, then credsStore alone, then auths; Hub under https://index.docker.io/v1/; helper output never in errors', async (t) => {
    const dir = await tempDir(t, 'palisade-helpers-');
    const helper = async (name: string, script: string): Promise<void> => {
      await writeFile(join(dir, `docker-credential-${name}`), `#!/bin/sh\n${script}\n`);
      await chmod(join(dir, `docker-credential-${name}`), 0o755);
    };
    // Answers only for the key Docker itself would pass.
    await helper(
      'hub',
      `read key; if [ "$key" = "${DOCKER_HUB_KEY}" ]; then echo '{"Username":"hubuser","Secret":"hubpw"}'; else echo "credentials not found"; exit 1; fi`,
    );
    await helper('store', `read key; echo '{"Username":"storeuser","Secret":"storepw-'"$key"'"}'`);
    await helper('leaky', 'echo "token=SUPERSECRET-OUT"; echo "password=SUPERSECRET-ERR" >&2; exit 3');
    const oldPath = process.env.PATH;
    process.env.PATH = `${dir}${delimiter}${oldPath ?? ''}`;
    t.after(() => {
      process.env.PATH = oldPath;
    });
    const auth = (user: string) => ({ auth: Buffer.from(`${user}:pw`).toString('base64') });

    assert.deepEqual(await credentialsFor({ credsStore: 'hub' }, 'docker.io', 'c'), {
      username: 'hubuser',
      password: 'hubpw',
    });
    assert.deepEqual(await credentialsFor({ credHelpers: { [DOCKER_HUB_KEY]: 'hub' } }, 'docker.io', 'c'), {
      username: 'hubuser',
      password: 'hubpw',
    });
    assert.equal(
      (await credentialsFor({ auths: { [DOCKER_HUB_KEY]: auth('hubfile') } }, 'docker.io', 'c'))?.username,
      'hubfile',
    );
    // credsStore set: auths entries are markers, the store answers.
    assert.deepEqual(
      await credentialsFor(
        { credsStore: 'store', auths: { 'reg.example': auth('fileuser') } },
        'reg.example',
        'c',
      ),
      { username: 'storeuser', password: 'storepw-reg.example' },
    );
    // credHelpers for the registry beats credsStore.
    assert.equal(
      (
        await credentialsFor(
          { credsStore: 'leaky', credHelpers: { 'reg.example': 'store' } },
          'reg.example',
          'c',
        )
      )?.username,
      'storeuser',
    );
    await assert.rejects(
      credentialsFor({ credHelpers: { 'reg.example': 'leaky' } }, 'reg.example', 'c'),
      (error: Error) =>
        error instanceof PalisadeError &&
        /docker-credential-leaky get failed \(exit status 3\)/.test(error.message) &&
        !error.message.includes('SUPERSECRET'),
    );
  });
});
