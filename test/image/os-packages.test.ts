import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { type PackageInventory, scanTarget } from '../../src/image/index.ts';
import { parsePlatform } from '../../src/image/platform.ts';
import { buildImage, type ImageSpec, ociLayoutFiles, writeFiles } from './image-builder.ts';
import { rpmBerkeleyDatabase, rpmBlob, rpmSqliteDatabase } from './rpm-builder.ts';
import { tempDir } from './temp-dir.ts';

async function scanImage(
  t: TestContext,
  spec: ImageSpec,
): Promise<{ inventory: PackageInventory; diffIds: string[] }> {
  const dir = await tempDir(t);
  const image = buildImage(spec);
  await writeFiles(join(dir, 'image'), ociLayoutFiles([{ image }]));
  const { inventory } = await scanTarget('image', { cwd: dir, platform: parsePlatform('linux/amd64') });
  return { inventory, diffIds: image.layers.map((layer) => layer.diffId) };
}

const apk = (entries: string[][]): string => `${entries.map((fields) => fields.join('\n')).join('\n\n')}\n\n`;

describe('OS packages', () => {
  it('apk: origin, license, checksum, owned files, and the layer of each version across upgrades and removals', async (t) => {
    const base = apk([
      [
        'C:Q1Gd2s1Bhbj3b5ZUkTWJoyGJ4GADY=',
        'P:musl',
        'V:1.2.4-r1',
        'A:x86_64',
        'o:musl',
        'L:MIT',
        'F:lib',
        'R:ld-musl-x86_64.so.1',
      ],
      ['P:ssl_client', 'V:3.1.4-r1', 'A:x86_64', 'o:openssl', 'L:Apache-2.0'],
      [
        'P:py3-six',
        'V:1.16.0-r6',
        'A:noarch',
        'o:py3-six',
        'F:usr/lib/python3.11/site-packages/six-1.16.0.dist-info',
        'R:METADATA',
      ],
      ['P:to-remove', 'V:1', 'A:x86_64'],
    ]);
    const upgraded = apk([
      ['P:musl', 'V:1.2.4-r2', 'A:x86_64', 'o:musl', 'L:MIT'],
      ['P:ssl_client', 'V:3.1.4-r1', 'A:x86_64', 'o:openssl', 'L:Apache-2.0'],
      [
        'P:py3-six',
        'V:1.16.0-r6',
        'A:noarch',
        'o:py3-six',
        'F:usr/lib/python3.11/site-packages/six-1.16.0.dist-info',
        'R:METADATA',
      ],
    ]);
    const { inventory, diffIds } = await scanImage(t, {
      layers: [
        [
          {
            name: 'etc/os-release',
            content: 'ID=alpine\nVERSION_ID=3.19.0\nPRETTY_NAME="Alpine Linux v3.19"\n',
          },
          { name: 'etc/alpine-release', content: '3.19.1\n' },
          { name: 'lib/apk/db/installed', content: base },
          {
            name: 'usr/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA',
            content: 'Name: six\nVersion: 1.16.0\n',
          },
        ],
        [{ name: 'lib/apk/db/installed', content: upgraded }],
      ],
    });
    assert.deepEqual(inventory.os, { family: 'alpine', name: 'Alpine Linux v3.19', version: '3.19.1' });
    const summary = inventory.packages.map((pkg) => [
      pkg.name,
      pkg.version,
      pkg.sourceName,
      diffIds.indexOf(pkg.locations[0]!.layer!),
    ]);
    assert.deepEqual(summary, [
      ['musl', '1.2.4-r2', 'musl', 1],
      ['py3-six', '1.16.0-r6', 'py3-six', 0],
      ['ssl_client', '3.1.4-r1', 'openssl', 0],
    ]);
    const ssl = inventory.packages.find((pkg) => pkg.name === 'ssl_client');
    assert.equal(
      ssl?.purl,
      'pkg:apk/alpine/ssl_client@3.1.4-r1?arch=x86_64&distro=alpine-3.19.1&upstream=openssl',
    );
    assert.equal(ssl?.ecosystem, 'Alpine:v3.19');
    assert.deepEqual(ssl?.licenses, ['Apache-2.0']);
    assert.ok(
      !inventory.packages.some((pkg) => pkg.type === 'pypi'),
      'the apk-owned dist-info is not counted again',
    );
  });

  it('rpm: reads rpmdb.sqlite with node:sqlite (epoch, release, source RPM, owned files)', async (t) => {
    const dir = await tempDir(t);
    const dbPath = join(dir, 'rpmdb.sqlite');
    rpmSqliteDatabase(dbPath, [
      rpmBlob({
        name: 'bash',
        version: '5.1.8',
        release: '6.el9_1',
        arch: 'x86_64',
        license: 'GPLv3+',
        sourceRpm: 'bash-5.1.8-6.el9_1.src.rpm',
        files: ['/usr/bin/bash', '/usr/bin/sh'],
      }),
      rpmBlob({
        name: 'openssl-libs',
        version: '3.0.7',
        release: '27.el9',
        epoch: 1,
        arch: 'x86_64',
        license: 'ASL 2.0',
        sourceRpm: 'openssl-3.0.7-27.el9.src.rpm',
        files: ['/usr/lib64/python3.9/site-packages/fake-1.0.dist-info/METADATA'],
      }),
    ]);
    const { inventory } = await scanImage(t, {
      layers: [
        [
          { name: 'etc/os-release', content: 'ID="rocky"\nVERSION_ID="9.3"\nNAME="Rocky Linux"\n' },
          { name: 'etc/rocky-release', content: 'Rocky Linux release 9.3 (Blue Onyx)\n' },
          { name: 'var/lib/rpm/rpmdb.sqlite', content: await readFile(dbPath) },
          {
            name: 'usr/lib64/python3.9/site-packages/fake-1.0.dist-info/METADATA',
            content: 'Name: fake\nVersion: 1.0\n',
          },
        ],
      ],
    });
    assert.deepEqual(
      inventory.packages.map((pkg) => [
        pkg.name,
        pkg.version,
        pkg.sourceName,
        pkg.sourceVersion,
        pkg.purl,
        pkg.ecosystem,
      ]),
      [
        [
          'bash',
          '5.1.8-6.el9_1',
          'bash',
          '5.1.8-6.el9_1',
          'pkg:rpm/rocky/bash@5.1.8-6.el9_1?arch=x86_64&distro=rocky-9.3',
          'Rocky Linux:9',
        ],
        [
          'openssl-libs',
          '1:3.0.7-27.el9',
          'openssl',
          '1:3.0.7-27.el9',
          'pkg:rpm/rocky/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rocky-9.3&epoch=1',
          'Rocky Linux:9',
        ],
      ],
    );
  });

  it('rpm: reads the Berkeley DB Packages database (overflow chains and inline values)', async (t) => {
    const blobs = [
      rpmBlob({
        name: 'glibc',
        version: '2.17',
        release: '326.el7_9',
        arch: 'x86_64',
        license: 'LGPLv2+',
        sourceRpm: 'glibc-2.17-326.el7_9.src.rpm',
        files: Array.from({ length: 400 }, (_, i) => `/usr/lib64/gconv/module-${i}.so`),
      }),
      rpmBlob({
        name: 'tzdata',
        version: '2023c',
        release: '1.el7',
        arch: 'noarch',
        license: 'Public Domain',
        sourceRpm: 'tzdata-2023c-1.el7.src.rpm',
      }),
    ];
    assert.ok(blobs[0]!.length > 4096, 'the first header spans several overflow pages');
    const { inventory, diffIds } = await scanImage(t, {
      layers: [
        [
          { name: 'etc/centos-release', content: 'CentOS Linux release 7.9.2009 (Core)\n' },
          { name: 'var/lib/rpm/Packages', content: rpmBerkeleyDatabase(blobs, { inline: [1] }) },
        ],
      ],
    });
    assert.equal(inventory.os?.family, 'centos');
    assert.equal(inventory.os?.version, '7.9.2009');
    assert.deepEqual(
      inventory.packages.map((pkg) => [
        pkg.name,
        pkg.version,
        pkg.sourceName,
        pkg.ecosystem,
        pkg.locations[0]?.layer,
      ]),
      [
        ['glibc', '2.17-326.el7_9', 'glibc', 'Red Hat:7', diffIds[0]],
        ['tzdata', '2023c-1.el7', 'tzdata', 'Red Hat:7', diffIds[0]],
      ],
    );
    assert.deepEqual(
      inventory.issues.filter((issue) => issue.severity !== 'info'),
      [],
    );
  });

  it('rpm: a broken Berkeley DB is an error issue; NDB is reported as not supported yet', async (t) => {
    const db = rpmBerkeleyDatabase([
      rpmBlob({
        name: 'a',
        version: '1',
        release: '1',
        arch: 'x86_64',
        license: 'MIT',
        sourceRpm: 'a-1-1.src.rpm',
      }),
    ]);
    db.writeUInt32LE(4096 * 50, 4096 + 26 + 2 * 0 + 0); // key offset points outside the page
    const { inventory } = await scanImage(t, {
      layers: [
        [
          { name: 'var/lib/rpm/Packages', content: db },
          { name: 'usr/lib/sysimage/rpm/Packages.db', content: Buffer.alloc(512, 1) },
        ],
      ],
    });
    assert.equal(inventory.packages.length, 0);
    assert.match(
      inventory.issues.find((issue) => issue.code === 'parse-failed')?.message ?? '',
      /Berkeley DB/,
    );
    const ndb = await scanImage(t, {
      layers: [[{ name: 'usr/lib/sysimage/rpm/Packages.db', content: Buffer.alloc(512, 1) }]],
    });
    assert.match(
      ndb.inventory.issues.find((issue) => issue.code === 'unsupported-format')?.message ?? '',
      /NDB format, which is not supported yet/,
    );
  });

  it('rpm: a hostile header is an issue, not a crash', async (t) => {
    const dir = await tempDir(t);
    const dbPath = join(dir, 'rpmdb.sqlite');
    const bad = Buffer.alloc(64);
    bad.writeUInt32BE(2, 0);
    bad.writeUInt32BE(999999, 4);
    rpmSqliteDatabase(dbPath, [bad]);
    const { inventory } = await scanImage(t, {
      layers: [[{ name: 'var/lib/rpm/rpmdb.sqlite', content: await readFile(dbPath) }]],
    });
    assert.equal(inventory.packages.length, 0);
    assert.match(inventory.issues[0]?.message ?? '', /malformed rpm header/);
  });

  it('dpkg: distroless status.d files, and a package removed in a later layer is gone', async (t) => {
    const { inventory } = await scanImage(t, {
      layers: [
        [
          { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
          {
            name: 'var/lib/dpkg/status.d/tzdata',
            content: 'Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n',
          },
          { name: 'var/lib/dpkg/status.d/tzdata.md5sums', content: 'abc  usr/share/zoneinfo/UTC\n' },
          {
            name: 'var/lib/dpkg/status',
            content:
              'Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10+deb12u5\nArchitecture: amd64\n\nPackage: wget\nStatus: install ok installed\nVersion: 1.21.3-1+b2\nArchitecture: amd64\n',
          },
          {
            name: 'usr/share/doc/curl/copyright',
            content:
              'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: curl\n\nFiles: debian/*\nLicense: MIT\n',
          },
        ],
        [
          {
            name: 'var/lib/dpkg/status',
            content:
              'Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10+deb12u5\nArchitecture: amd64\n',
          },
        ],
      ],
    });
    assert.deepEqual(
      inventory.packages.map((pkg) => `${pkg.name}@${pkg.version}`),
      ['curl@7.88.1-10+deb12u5', 'tzdata@2024a-0+deb12u1'],
    );
    assert.deepEqual(inventory.packages[0]?.licenses, ['curl', 'MIT']);
  });
});
