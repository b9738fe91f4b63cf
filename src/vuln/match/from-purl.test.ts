// Package URLs from SBOMs become packages in the right OSV ecosystem and release, or are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
  assert.equal(
    packageFromPurl('pkg:rpm/suse/libopenssl3@3.0.8-150500.5.8.1?distro=sles-15.5')?.ecosystem,
    'SUSE:15.5',
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
