// Every distribution Palisade detects, end to end: `scan-deps` of a root filesystem, and `scan-sbom` of the SBOM
// `palisade sbom` writes of it (CycloneDX and SPDX), report the same findings. SUSE, openSUSE and Mageia
// advisories name the source RPM, so each binary built from it is reported.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { runPalisade } from '../cli/cli-harness.ts';
import { rpmBlob, rpmSqliteDatabase } from '../image/rpm-builder.ts';

let directory = '';
let db = '';

function advisory(id: string, ecosystem: string, name: string, fixed: string, binaries?: string[]): unknown {
  const affected: Record<string, unknown> = {
    package: { ecosystem, name },
    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
  };
  if (binaries !== undefined)
    affected.ecosystem_specific = {
      binaries: [Object.fromEntries(binaries.map((binary) => [binary, fixed]))],
    };
  return { id, modified: '2024-01-10T00:00:00Z', summary: `${name} update`, affected: [affected] };
}

const ADVISORIES = [
  advisory(
    'SUSE-SU-2024:0001-1',
    'SUSE:Linux Enterprise Module for Basesystem 15 SP5',
    'openssl-3',
    '3.0.8-150500.5.20.1',
    ['libopenssl3', 'openssl-3'],
  ),
  advisory('SUSE-SU-2024:0002-1', 'SUSE:Linux Enterprise Micro 5.5', 'openssl-3', '3.0.8-150500.5.20.1', [
    'libopenssl3',
    'openssl-3',
  ]),
  advisory('openSUSE-SU-2024:0003-1', 'openSUSE:Leap 15.5', 'curl', '8.0.1-150400.5.30.1', [
    'curl',
    'libcurl4',
  ]),
  advisory('openSUSE-SU-2024:13000-1', 'openSUSE:Tumbleweed', 'curl', '8.5.0-1.1', ['curl', 'libcurl4']),
  advisory('MGASA-2024-0001', 'Mageia:9', 'openssl', '3.0.13-1.1.mga9'),
  advisory('RHSA-2099:0001', 'Red Hat:enterprise_linux:7::server', 'openssl-libs', '1:1.0.2k-26.el7_9'),
  advisory('CGA-2099-0001', 'Wolfi', 'openssl', '3.1.4-r3'),
  advisory('CGA-2099-0002', 'Chainguard', 'openssl', '3.1.4-r3'),
];

/** A root filesystem: its os-release and files. */
function writeRoot(name: string, osRelease: string, files: Record<string, string> = {}): string {
  const root = join(directory, name);
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc', 'os-release'), osRelease);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function rpmRoot(
  name: string,
  osRelease: string,
  packages: Array<{ name: string; version: string; release: string; epoch?: number; sourceRpm: string }>,
): string {
  const root = writeRoot(name, osRelease);
  const path = join(root, 'usr', 'lib', 'sysimage', 'rpm', 'rpmdb.sqlite');
  mkdirSync(dirname(path), { recursive: true });
  rpmSqliteDatabase(
    path,
    packages.map((pkg) => rpmBlob({ ...pkg, arch: 'x86_64', license: 'Apache-2.0' })),
  );
  return root;
}

function apkRoot(name: string, osRelease: string): string {
  return writeRoot(name, osRelease, {
    'lib/apk/db/installed': 'P:libcrypto3\nV:3.1.4-r0\nA:x86_64\nL:Apache-2.0\no:openssl\n\n',
  });
}

const SUSE_OPENSSL = [
  {
    name: 'libopenssl3',
    version: '3.0.8',
    release: '150500.5.8.1',
    sourceRpm: 'openssl-3-3.0.8-150500.5.8.1.src.rpm',
  },
  {
    name: 'openssl-3',
    version: '3.0.8',
    release: '150500.5.8.1',
    sourceRpm: 'openssl-3-3.0.8-150500.5.8.1.src.rpm',
  },
];
const CURL = (version: string, release: string) => [
  { name: 'curl', version, release, sourceRpm: `curl-${version}-${release}.src.rpm` },
  { name: 'libcurl4', version, release, sourceRpm: `curl-${version}-${release}.src.rpm` },
];

/** [root name, how to make it, the findings: ecosystem, package, advisory, fixed version] */
const DISTROS: Array<[string, () => string, string[]]> = [
  [
    'sles',
    () => rpmRoot('sles', 'ID="sles"\nVERSION_ID="15.5"\n', SUSE_OPENSSL),
    [
      'SUSE:Linux Enterprise Server 15 SP5 libopenssl3 SUSE-SU-2024:0001-1 3.0.8-150500.5.20.1',
      'SUSE:Linux Enterprise Server 15 SP5 openssl-3 SUSE-SU-2024:0001-1 3.0.8-150500.5.20.1',
    ],
  ],
  [
    'sle-micro',
    () => rpmRoot('sle-micro', 'ID="sle-micro"\nVERSION_ID="5.5"\n', SUSE_OPENSSL),
    [
      'SUSE:Linux Enterprise Micro 5.5 libopenssl3 SUSE-SU-2024:0002-1 3.0.8-150500.5.20.1',
      'SUSE:Linux Enterprise Micro 5.5 openssl-3 SUSE-SU-2024:0002-1 3.0.8-150500.5.20.1',
    ],
  ],
  [
    'opensuse-leap',
    () => rpmRoot('opensuse-leap', 'ID="opensuse-leap"\nVERSION_ID="15.5"\n', CURL('8.0.1', '150400.5.23.1')),
    [
      'openSUSE:Leap 15.5 curl openSUSE-SU-2024:0003-1 8.0.1-150400.5.30.1',
      'openSUSE:Leap 15.5 libcurl4 openSUSE-SU-2024:0003-1 8.0.1-150400.5.30.1',
    ],
  ],
  [
    'opensuse-tumbleweed',
    () =>
      rpmRoot(
        'opensuse-tumbleweed',
        'ID="opensuse-tumbleweed"\nVERSION_ID="20240101"\n',
        CURL('8.4.0', '1.1'),
      ),
    [
      'openSUSE:Tumbleweed curl openSUSE-SU-2024:13000-1 8.5.0-1.1',
      'openSUSE:Tumbleweed libcurl4 openSUSE-SU-2024:13000-1 8.5.0-1.1',
    ],
  ],
  [
    'mageia',
    () =>
      rpmRoot('mageia', 'ID=mageia\nVERSION_ID=9\n', [
        {
          name: 'lib64openssl3',
          version: '3.0.13',
          release: '1.mga9',
          sourceRpm: 'openssl-3.0.13-1.mga9.src.rpm',
        },
      ]),
    ['Mageia:9 lib64openssl3 MGASA-2024-0001 3.0.13-1.1.mga9'],
  ],
  [
    'centos',
    () =>
      rpmRoot('centos', 'ID="centos"\nVERSION_ID="7"\n', [
        {
          name: 'openssl-libs',
          version: '1.0.2k',
          release: '25.el7_9',
          epoch: 1,
          sourceRpm: 'openssl-1.0.2k-25.el7_9.src.rpm',
        },
      ]),
    ['Red Hat:7 openssl-libs RHSA-2099:0001 1:1.0.2k-26.el7_9'],
  ],
  [
    'wolfi',
    () => apkRoot('wolfi', 'ID=wolfi\nVERSION_ID="20230201"\n'),
    ['Wolfi libcrypto3 CGA-2099-0001 3.1.4-r3'],
  ],
  [
    'chainguard',
    () => apkRoot('chainguard', 'ID=chainguard\nVERSION_ID="20230214"\n'),
    ['Chainguard libcrypto3 CGA-2099-0002 3.1.4-r3'],
  ],
];

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'palisade-distro-sbom-'));
  db = join(directory, 'vuln.db');
  writeFileSync(join(directory, 'advisories.json'), JSON.stringify(ADVISORIES));
  const imported = await runPalisade(['db', 'import', join(directory, 'advisories.json'), '--db', db]);
  assert.equal(imported.code, 0, imported.stderr);
});
after(() => rmSync(directory, { recursive: true, force: true }));

interface Report {
  findings: Array<{
    ruleId: string;
    package: { ecosystem: string; name: string };
    advisory: { fixedVersion?: string };
  }>;
}

async function findings(command: 'scan-deps' | 'scan-sbom', target: string): Promise<string[]> {
  const run = await runPalisade([command, target, '--db', db, '--format', 'json']);
  assert.ok(run.code === 0 || run.code === 1, `${command} ${target}: exit ${run.code}: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as Report;
  return report.findings
    .map((f) => `${f.package.ecosystem} ${f.package.name} ${f.ruleId} ${f.advisory.fixedVersion ?? '-'}`)
    .sort();
}

for (const [name, make, expected] of DISTROS)
  test(`${name}: scan-deps, and scan-sbom of its CycloneDX and SPDX SBOMs, find the same`, async () => {
    const root = make();
    assert.deepEqual(await findings('scan-deps', root), expected, 'scan-deps');
    for (const format of ['cyclonedx', 'spdx']) {
      const sbom = join(directory, `${name}.${format}.json`);
      const written = await runPalisade(['sbom', root, '--format', format, '-o', sbom]);
      assert.equal(written.code, 0, written.stderr);
      assert.deepEqual(await findings('scan-sbom', sbom), expected, `scan-sbom of the ${format} SBOM`);
    }
  });
