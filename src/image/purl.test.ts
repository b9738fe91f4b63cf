import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPurl, parsePurl } from './purl.ts';

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
