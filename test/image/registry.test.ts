import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scanTarget } from '../../src/image/index.ts';
import { parsePlatform } from '../../src/image/platform.ts';
import { runPalisade } from '../cli/cli-harness.ts';
import { buildImage, sha256 } from './image-builder.ts';
import { RegistryPusher } from './registry-push.ts';
import { bcryptHtpasswd, skipWithoutRegistry, startRegistry } from './registry-server.ts';
import { tempDir } from './temp-dir.ts';

const skip = skipWithoutRegistry();
const skipBasic =
  skip ||
  (bcryptHtpasswd('u', 'p') === undefined ? 'no bcrypt hasher: install apache2-utils (htpasswd)' : false);
const amd64 = parsePlatform('linux/amd64');

function imageWith(name: string, version: string, architecture = 'amd64') {
  return buildImage({
    architecture,
    layers: [
      [
        { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' },
        {
          name: 'lib/apk/db/installed',
          content: `P:${name}\nV:${version}\nA:${architecture === 'arm64' ? 'aarch64' : 'x86_64'}\no:${name}-src\nL:MIT\n\n`,
        },
      ],
    ],
  });
}

async function dockerConfig(dir: string, host: string, entry: Record<string, string>): Promise<string> {
  const path = join(dir, 'config.json');
  await writeFile(path, JSON.stringify({ auths: { [host]: entry } }));
  return path;
}

describe('registry pulls (docker-registry on loopback)', { skip }, () => {
  it('pulls anonymously over verified TLS, by tag and by digest, and picks the platform from an index', async (t) => {
    const registry = await startRegistry(t, { tls: true });
    const pusher = new RegistryPusher(registry, 'team/app');
    const amdImage = imageWith('musl', '1.2.4-r2');
    const armImage = imageWith('musl', '1.2.4-r3', 'arm64');
    await pusher.image(amdImage, '1.0');
    await pusher.image(armImage);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: amdImage.manifestDigest,
            size: amdImage.manifest.length,
            platform: { os: 'linux', architecture: 'amd64' },
          },
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: armImage.manifestDigest,
            size: armImage.manifest.length,
            platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
          },
        ],
      }),
    );
    await pusher.manifest('multi', 'application/vnd.oci.image.index.v1+json', index);
    const options = { cwd: '/', platform: amd64, ca: registry.ca!, env: {} };

    const byTag = await scanTarget(`${registry.host}/team/app:1.0`, options);
    assert.deepEqual(
      byTag.inventory.packages.map((pkg) => pkg.purl),
      ['pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1&upstream=musl-src'],
    );
    assert.equal(byTag.inventory.image?.manifestDigest, amdImage.manifestDigest);
    assert.equal(byTag.inventory.packages[0]?.locations[0]?.layer, amdImage.layers[0]?.diffId);

    const byDigest = await scanTarget(`${registry.host}/team/app@${armImage.manifestDigest}`, options);
    assert.equal(byDigest.inventory.packages[0]?.version, '1.2.4-r3');

    const arm = await scanTarget(`${registry.host}/team/app:multi`, {
      ...options,
      platform: parsePlatform('linux/arm64'),
    });
    assert.equal(arm.inventory.packages[0]?.version, '1.2.4-r3');
    assert.equal(arm.inventory.image?.platform, 'linux/arm64');
    await assert.rejects(
      scanTarget(`${registry.host}/team/app:multi`, { ...options, platform: parsePlatform('linux/s390x') }),
      /no image for platform linux\/s390x \(available: linux\/amd64, linux\/arm64\/v8\)/,
    );
    await assert.rejects(scanTarget(`${registry.host}/team/app:missing`, options), /HTTP 404/);
    await assert.rejects(
      scanTarget(`${registry.host}/team/app@${sha256('not pushed')}`, options),
      /HTTP 404/,
    );
  });

  it('verifies TLS by default and skips verification only with --insecure-registry', async (t) => {
    const registry = await startRegistry(t, { tls: true });
    await new RegistryPusher(registry, 'app').image(imageWith('zlib', '1.3.1-r0'), 'latest');
    await assert.rejects(
      scanTarget(`${registry.host}/app`, { cwd: '/', platform: amd64, env: {} }),
      /certificate/,
    );
    const insecure = await scanTarget(`${registry.host}/app`, {
      cwd: '/',
      platform: amd64,
      env: {},
      insecure: true,
    });
    assert.equal(insecure.inventory.packages[0]?.name, 'zlib');
  });

  it('falls back to plain HTTP only with --insecure-registry', async (t) => {
    const registry = await startRegistry(t, { tls: false });
    await new RegistryPusher(registry, 'plain').image(imageWith('zlib', '1.3.1-r0'), 'v1');
    await assert.rejects(scanTarget(`${registry.host}/plain:v1`, { cwd: '/', platform: amd64, env: {} }));
    const pulled = await scanTarget(`${registry.host}/plain:v1`, {
      cwd: '/',
      platform: amd64,
      env: {},
      insecure: true,
    });
    assert.equal(pulled.inventory.packages.length, 1);
  });

  it('answers a Basic challenge with credentials from a Docker config.json (auths.<host>.auth)', {
    skip: skipBasic,
  }, async (t) => {
    const registry = await startRegistry(t, {
      tls: true,
      auth: 'basic',
      user: 'alice',
      password: 'correct horse',
    });
    await new RegistryPusher(registry, 'private/app').image(imageWith('busybox', '1.36.1-r15'), '2.0');
    const dir = await tempDir(t);
    const good = await dockerConfig(dir, registry.host, {
      auth: Buffer.from('alice:correct horse').toString('base64'),
    });
    const options = { cwd: dir, platform: amd64, ca: registry.ca!, env: {} };
    const pulled = await scanTarget(`${registry.host}/private/app:2.0`, { ...options, dockerConfig: good });
    assert.equal(pulled.inventory.packages[0]?.name, 'busybox');
    await assert.rejects(
      scanTarget(`${registry.host}/private/app:2.0`, { ...options, dockerConfig: join(dir, 'none.json') }),
      /asks for credentials/,
    );
    const bad = await dockerConfig(dir, registry.host, { username: 'alice', password: 'wrong' });
    await assert.rejects(
      scanTarget(`${registry.host}/private/app:2.0`, { ...options, dockerConfig: bad }),
      /401|credentials/,
    );
  });

  it('gets a bearer token from the realm in WWW-Authenticate, and the CLI writes a valid SBOM from it', async (t) => {
    const registry = await startRegistry(t, { tls: true, auth: 'token', user: 'bob', password: 'tok-pass' });
    await new RegistryPusher(registry, 'secure/app').image(imageWith('openssl', '3.1.4-r5'), '3');
    const dir = await tempDir(t);
    await writeFile(join(dir, 'ca.pem'), registry.ca!);
    const config = await dockerConfig(dir, registry.host, { username: 'bob', password: 'tok-pass' });
    const run = await runPalisade(
      [
        'sbom',
        `${registry.host}/secure/app:3`,
        '--registry-ca-file',
        'ca.pem',
        '--docker-config',
        config,
        '--platform',
        'linux/amd64',
      ],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.stderr);
    const bom = JSON.parse(run.stdout) as {
      components: { name: string; version: string }[];
      metadata: { component: { name: string } };
    };
    assert.deepEqual(
      bom.components.filter((c) => c.name === 'openssl').map((c) => c.version),
      ['3.1.4-r5'],
    );
    assert.equal(bom.metadata.component.name, `${registry.host}/secure/app:3`);
    const wrong = await dockerConfig(dir, registry.host, { username: 'bob', password: 'nope' });
    const refused = await runPalisade(
      ['sbom', `${registry.host}/secure/app:3`, '--registry-ca-file', 'ca.pem', '--docker-config', wrong],
      { cwd: dir },
    );
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /token request refused \(401\)/);
    assert.doesNotMatch(refused.stderr, /nope/);
  });
});
