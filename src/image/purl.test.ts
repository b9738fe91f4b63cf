import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPurl, parsePurl, upstreamSource } from './purl.ts';
import { readSbom } from './sbom/sbom-reader.ts';

describe('package URLs', () => {
  it('formats per type (scoped npm, PyPI normalisation, Maven, qualifiers sorted, epoch colon kept)', () => {
    assert.equal(
      formatPurl({ type: 'npm', namespace: '@angular', name: 'core', version: '17.0.0' }),
      'pkg:npm/%40angular/core@17.0.0',
    );
    // npm names are case-sensitive (npm type definition): pre-2015 packages such as JSONStream keep their capitals.
    assert.equal(
      formatPurl({ type: 'npm', name: 'JSONStream', version: '1.0.0' }),
      'pkg:npm/JSONStream@1.0.0',
    );
    assert.equal(
      formatPurl({ type: 'pypi', name: 'Django_REST.framework', version: '3.14.0' }),
      'pkg:pypi/django-rest-framework@3.14.0',
    );
    assert.equal(
      formatPurl({
        type: 'maven',
        namespace: 'org.apache.commons',
        name: 'commons-lang3',
        version: '3.12.0',
      }),
      'pkg:maven/org.apache.commons/commons-lang3@3.12.0',
    );
    assert.equal(
      formatPurl({
        type: 'deb',
        namespace: 'debian',
        name: 'libc6',
        version: '1:2.36-9',
        qualifiers: { distro: 'debian-12', arch: 'amd64' },
      }),
      'pkg:deb/debian/libc6@1:2.36-9?arch=amd64&distro=debian-12',
    );
    assert.equal(
      formatPurl({ type: 'golang', namespace: 'github.com/pkg', name: 'errors', version: 'v0.9.1' }),
      'pkg:golang/github.com/pkg/errors@v0.9.1',
    );
  });

  it('parses what it formats, and refuses what is not a purl', () => {
    const purl = 'pkg:deb/debian/libc6@1:2.36-9?arch=amd64&distro=debian-12&upstream=glibc';
    assert.deepEqual(parsePurl(purl), {
      type: 'deb',
      namespace: 'debian',
      name: 'libc6',
      version: '1:2.36-9',
      qualifiers: { arch: 'amd64', distro: 'debian-12', upstream: 'glibc' },
    });
    assert.deepEqual(parsePurl('pkg:npm/%40types/node@20.1.0'), {
      type: 'npm',
      namespace: '@types',
      name: 'node',
      version: '20.1.0',
    });
    assert.equal(parsePurl('npm/x@1'), undefined);
    assert.equal(parsePurl('pkg:npm'), undefined);
  });
});

describe('upstreamSource', () => {
  it('an rpm upstream is a source RPM file name (its version is the binary one) or a bare name', () => {
    assert.deepEqual(upstreamSource('rpm', 'openssl-3-3.0.8-150500.5.8.1.src.rpm'), { name: 'openssl-3' });
    assert.deepEqual(upstreamSource('rpm', 'python3-foo-bar'), { name: 'python3-foo-bar' });
    assert.deepEqual(upstreamSource('deb', 'openssl@3.0.11-1'), { name: 'openssl', version: '3.0.11-1' });
    assert.equal(upstreamSource('apk', ''), undefined);
  });

  it('an SBOM read for conversion keeps the source RPM name, which SUSE advisories are keyed on', () => {
    const purl = 'pkg:rpm/suse/libopenssl3@3.0.8-150500.5.8.1?upstream=openssl-3-3.0.8-150500.5.8.1.src.rpm';
    const document = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [{ type: 'library', name: 'libopenssl3', version: '3.0.8-150500.5.8.1', purl }],
    });
    const [pkg] = readSbom(document, 'sbom.json').packages;
    assert.equal(pkg?.sourceName, 'openssl-3');
  });
});
