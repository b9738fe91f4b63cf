// Package URLs from SBOMs become packages in the right OSV ecosystem and release, or are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distribution, distributionIds, osEcosystem } from '../../image/os-release.ts';
import { packageFromPurl } from './from-purl.ts';
import { releaseOf, sameEcosystemRelease } from './release.ts';

test('an npm purl keeps its case; a lowercased one takes the spelling of the name the component declares', () => {
  assert.equal(packageFromPurl('pkg:npm/JSONStream@1.0.0')?.name, 'JSONStream');
  assert.equal(packageFromPurl('pkg:npm/jsonstream@1.0.0', 'JSONStream')?.name, 'JSONStream');
  assert.equal(packageFromPurl('pkg:npm/%40scope/mypkg@1.0.0', '@scope/MyPkg')?.name, '@scope/MyPkg');
  // Another name, or another type, is never taken from the component.
  assert.equal(packageFromPurl('pkg:npm/jsonstream@1.0.0', 'JSONStream2')?.name, 'jsonstream');
  assert.equal(packageFromPurl('pkg:cargo/serde@1.0.0', 'Serde')?.name, 'serde');
});

test('language purls map to OSV ecosystems and names', () => {
  assert.deepEqual(packageFromPurl('pkg:npm/%40angular/core@17.0.0'), {
    ecosystem: 'npm',
    name: '@angular/core',
    version: '17.0.0',
    purl: 'pkg:npm/%40angular/core@17.0.0',
  });
  assert.equal(
    packageFromPurl('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1')?.name,
    'org.apache.logging.log4j:log4j-core',
  );
  assert.equal(packageFromPurl('pkg:golang/golang.org/x/net@v0.17.0')?.name, 'golang.org/x/net');
  assert.equal(packageFromPurl('pkg:pypi/requests@2.31.0')?.ecosystem, 'PyPI');
  assert.equal(packageFromPurl('pkg:cargo/serde@1.0.0')?.ecosystem, 'crates.io');
  assert.equal(packageFromPurl('pkg:composer/symfony/http-kernel@6.0.0')?.name, 'symfony/http-kernel');
});

test('OS purls take the release from the distro qualifier and the source from upstream', () => {
  const deb = packageFromPurl(
    'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5&upstream=openssl',
  );
  assert.equal(deb?.ecosystem, 'Debian:12');
  assert.equal(deb?.sourceName, 'openssl');
  assert.equal(packageFromPurl('pkg:deb/debian/curl@7.88.1-10?distro=bookworm')?.ecosystem, 'Debian:12');
  assert.equal(
    packageFromPurl('pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.15?distro=ubuntu-22.04')?.ecosystem,
    'Ubuntu:22.04',
  );
  assert.equal(
    packageFromPurl('pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.15?distro=jammy')?.ecosystem,
    'Ubuntu:22.04',
  );
  assert.equal(
    packageFromPurl('pkg:apk/alpine/busybox@1.36.1-r28?distro=alpine-3.20.3')?.ecosystem,
    'Alpine:v3.20',
  );
  const rpm = packageFromPurl(
    'pkg:rpm/rocky/openssl-libs@3.0.7-25.el9?epoch=1&distro=rocky-9.3&upstream=openssl-3.0.7-25.el9.src.rpm',
  );
  assert.deepEqual(
    [rpm?.ecosystem, rpm?.version, rpm?.sourceName],
    ['Rocky Linux:9', '1:3.0.7-25.el9', 'openssl'],
  );
  const withSourceVersion = packageFromPurl(
    'pkg:deb/debian/libfoo1@1.0-1+b1?distro=debian-12&upstream=foo%401.0-1',
  );
  assert.deepEqual([withSourceVersion?.sourceName, withSourceVersion?.sourceVersion], ['foo', '1.0-1']);
});

test('purls without a version, a release, or an OSV ecosystem are refused', () => {
  assert.equal(packageFromPurl('pkg:npm/lodash'), undefined);
  assert.equal(
    packageFromPurl('pkg:deb/debian/curl@7.88.1-10'),
    undefined,
    'no distro: the release is unknown',
  );
  assert.equal(packageFromPurl('pkg:generic/openssl@3.0.0'), undefined);
  assert.equal(packageFromPurl('not a purl'), undefined);
});

test('releases compare per distribution', () => {
  assert.equal(releaseOf('Ubuntu:22.04:LTS'), '22.04');
  assert.equal(releaseOf('Ubuntu:Pro:18.04:LTS'), 'Pro:18.04');
  assert.equal(releaseOf('Alpine:v3.20'), '3.20');
  assert.equal(releaseOf('Red Hat:enterprise_linux:9::appstream'), '9');
  assert.equal(releaseOf('npm'), undefined);
  assert.ok(sameEcosystemRelease('AlmaLinux:9', 'AlmaLinux:9.4'));
  assert.ok(sameEcosystemRelease('Red Hat:enterprise_linux:9::appstream', 'Red Hat:9'));
  assert.ok(sameEcosystemRelease('Red Hat:enterprise_linux:8::baseos', 'Red Hat:8'));
  assert.ok(sameEcosystemRelease('Red Hat:9', 'Red Hat:9'));
  // Every SLE product of one service pack shares its codestream; an image says VERSION_ID 15.5.
  assert.ok(
    sameEcosystemRelease('SUSE:Linux Enterprise Server 15 SP5', 'SUSE:Linux Enterprise Server 15 SP5'),
  );
  assert.ok(
    sameEcosystemRelease(
      'SUSE:Linux Enterprise Module for Basesystem 15 SP5',
      'SUSE:Linux Enterprise Server 15 SP5',
    ),
  );
  assert.ok(sameEcosystemRelease('SUSE:Linux Enterprise Server 15 SP5', 'SUSE:15.5'));
  assert.ok(sameEcosystemRelease('SUSE:Linux Enterprise Server 15', 'SUSE:15.0'));
  assert.ok(
    !sameEcosystemRelease('SUSE:Linux Enterprise Server 15 SP4', 'SUSE:Linux Enterprise Server 15 SP5'),
  );
  assert.ok(!sameEcosystemRelease('SUSE:Linux Enterprise Server 15', 'SUSE:Linux Enterprise Server 15 SP5'));
  assert.ok(!sameEcosystemRelease('SUSE:Linux Enterprise Micro 5.5', 'SUSE:Linux Enterprise Server 15 SP5'));
  assert.ok(!sameEcosystemRelease('SUSE:Linux Enterprise Micro 5.5', 'SUSE:5.5'));
  // The ecosystem an image of SLES 15.5 gets (`os-release.ts`), which is the same codestream as `SUSE:15.5`.
  assert.equal(
    packageFromPurl('pkg:rpm/suse/libopenssl3@3.0.8-150500.5.8.1?distro=sles-15.5')?.ecosystem,
    'SUSE:Linux Enterprise Server 15 SP5',
  );
  assert.equal(
    packageFromPurl('pkg:rpm/opensuse/curl@8.0.1-150400.5.23.1?distro=opensuse-leap-15.5')?.ecosystem,
    'openSUSE:Leap 15.5',
  );
  // Extended-support streams have their own fixed versions: they do not judge a mainline image.
  assert.ok(!sameEcosystemRelease('Red Hat:rhel_eus:9.2::appstream', 'Red Hat:9'));
  assert.ok(!sameEcosystemRelease('Red Hat:rhel_aus:8.4::baseos', 'Red Hat:8'));
  assert.ok(!sameEcosystemRelease('Red Hat:rhel_e4s:9.0::appstream', 'Red Hat:9'));
  assert.ok(!sameEcosystemRelease('Red Hat:enterprise_linux:8::appstream', 'Red Hat:9'));
  assert.ok(!sameEcosystemRelease('Debian:12', 'Debian:11'));
  assert.ok(!sameEcosystemRelease('Debian:12', 'Ubuntu:12'));
  assert.ok(!sameEcosystemRelease('Alpine:v3.2', 'Alpine:v3.20'));
  assert.ok(sameEcosystemRelease('npm', 'npm'));
});

test('every distribution os-release.ts knows, in the purl Palisade writes (namespace = its ID), gets its ecosystem', () => {
  const versions: Record<string, string> = { wolfi: '20230201', chainguard: '20230214', ubuntu: '22.04' };
  versions['opensuse-tumbleweed'] = '20240101';
  versions.amzn = '2023';
  for (const id of distributionIds()) {
    const type = distribution(id)!.packageType;
    const version = versions[id] ?? '9.3';
    const purl = `pkg:${type}/${id}/libfoo@1.0-1?arch=x86_64&distro=${id}-${version}`;
    assert.equal(
      packageFromPurl(purl)?.ecosystem,
      osEcosystem({ family: id, name: id, version }),
      `${purl} is matched as an image of ${id} ${version} is`,
    );
  }
});

test('vendor namespaces: the distro qualifier picks the distribution; names that disagree are refused', () => {
  const ecosystem = (purl: string) => packageFromPurl(purl)?.ecosystem;
  assert.equal(
    ecosystem('pkg:rpm/opensuse-leap/curl@8.0.1-1.1?distro=opensuse-leap-15.5'),
    'openSUSE:Leap 15.5',
  );
  assert.equal(
    ecosystem('pkg:rpm/opensuse/curl@8.0-1.1?distro=opensuse-tumbleweed-20240101'),
    'openSUSE:Tumbleweed',
  );
  // The purl spec's own example: a rolling distribution needs no release.
  assert.equal(
    ecosystem('pkg:rpm/opensuse/curl@7.56.1-1.1.?arch=i386&distro=opensuse-tumbleweed'),
    'openSUSE:Tumbleweed',
  );
  assert.equal(
    ecosystem('pkg:rpm/suse/openssl-3@3.0.8-1.1?distro=sle-micro-5.5'),
    'SUSE:Linux Enterprise Micro 5.5',
  );
  assert.equal(ecosystem('pkg:rpm/centos/openssl@1.0.2k-26.el7_9?distro=centos-7'), 'Red Hat:7');
  assert.equal(ecosystem('pkg:rpm/redhat/openssl@3.0.7-27.el9?distro=rhel-9.3'), 'Red Hat:9');
  assert.equal(ecosystem('pkg:rpm/mageia/lib64openssl3@3.0.13-1.mga9?distro=mageia-9'), 'Mageia:9');
  assert.equal(ecosystem('pkg:apk/wolfi/libcrypto3@3.1.4-r5?upstream=openssl'), 'Wolfi');
  assert.equal(ecosystem('pkg:apk/chainguard/libcrypto3@3.1.4-r5?upstream=openssl'), 'Chainguard');
  // Trivy's spellings.
  assert.equal(
    ecosystem('pkg:rpm/opensuse/openssl@3.0.8-1.1?distro=opensuse.leap-15.5'),
    'openSUSE:Leap 15.5',
  );
  assert.equal(
    ecosystem('pkg:rpm/suse/openssl-3@3.0.8-1.1?distro=slem-5.5'),
    'SUSE:Linux Enterprise Micro 5.5',
  );
  assert.equal(ecosystem('pkg:apk/alpine/busybox@1.37.0-r30?distro=3.21.3'), 'Alpine:v3.21');
  assert.equal(ecosystem('pkg:rpm/redhat/openssl@3.0.7-27.el9?distro=fedora-39'), undefined);
  assert.equal(ecosystem('pkg:deb/ubuntu/curl@7.81.0-1?distro=debian-12'), undefined);
  assert.equal(
    ecosystem('pkg:apk/debian/curl@7.81.0-1?distro=debian-12'),
    undefined,
    'not a Debian package type',
  );
  assert.equal(ecosystem('pkg:rpm/opensuse-leap/curl@8.0.1-1.1'), undefined, 'Leap has releases');
});

test("Palisade's ecosystem property comes first, then the purl, then the SBOM's OS component", () => {
  const purl = 'pkg:rpm/sles/libopenssl3@3.0.8-150500.5.8.1?arch=x86_64';
  assert.equal(packageFromPurl(purl), undefined, 'no release anywhere');
  assert.equal(
    packageFromPurl(purl, undefined, { ecosystem: 'SUSE:Linux Enterprise Server 15 SP5' })?.ecosystem,
    'SUSE:Linux Enterprise Server 15 SP5',
  );
  assert.equal(
    packageFromPurl(`${purl}&distro=sles-15.4`, undefined, {
      ecosystem: 'SUSE:Linux Enterprise Server 15 SP5',
    })?.ecosystem,
    'SUSE:Linux Enterprise Server 15 SP5',
    'the property over the qualifier',
  );
  // A property no advisory can match (an older Palisade wrote `mageia`, or `Linux` without an OS), one of another
  // package type or another distribution, or one without the release the distribution needs: the purl decides.
  const debian = 'pkg:deb/debian/curl@7.88.1-10?distro=debian-12.5';
  for (const ecosystem of ['Linux', 'mageia', 'npm', 'Alpine:v3.20', 'Ubuntu:22.04', 'Debian'])
    assert.equal(packageFromPurl(debian, undefined, { ecosystem })?.ecosystem, 'Debian:12', ecosystem);
  const os = { family: 'debian', version: '12.5' };
  assert.equal(packageFromPurl('pkg:deb/debian/curl@7.88.1-10', undefined, { os })?.ecosystem, 'Debian:12');
  assert.equal(packageFromPurl('pkg:deb/curl@7.88.1-10', undefined, { os })?.ecosystem, 'Debian:12');
  assert.equal(
    packageFromPurl('pkg:deb/debian/curl@7.88.1-10?distro=debian-11', undefined, { os })?.ecosystem,
    'Debian:11',
    'the qualifier over the OS component',
  );
  assert.equal(
    packageFromPurl('pkg:rpm/opensuse/curl@8.0-1.1', undefined, {
      os: { family: 'opensuse-tumbleweed', version: '20240101' },
    })?.ecosystem,
    'openSUSE:Tumbleweed',
  );
  assert.equal(
    packageFromPurl('pkg:deb/ubuntu/curl@7.81.0-1', undefined, { os })?.ecosystem,
    undefined,
    'an OS component of another distribution says nothing of this package',
  );
});

test('the source package from the property, else the upstream qualifier', () => {
  const purl = 'pkg:rpm/sles/libopenssl3@3.0.8-150500.5.8.1?distro=sles-15.5';
  assert.equal(packageFromPurl(purl)?.sourceName, undefined);
  assert.equal(packageFromPurl(purl, undefined, { sourceName: 'openssl-3' })?.sourceName, 'openssl-3');
  assert.equal(
    packageFromPurl(`${purl}&upstream=openssl-3-3.0.8-150500.5.8.1.src.rpm`)?.sourceName,
    'openssl-3',
  );
  const deb = packageFromPurl(
    'pkg:deb/debian/libssl3@3.0.11-1?distro=debian-12&upstream=openssl',
    undefined,
    {
      sourceName: 'openssl',
      sourceVersion: '3.0.11-1',
    },
  );
  assert.deepEqual([deb?.sourceName, deb?.sourceVersion], ['openssl', '3.0.11-1']);
});
