import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatImageRef, parseImageRef } from './image-ref.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageRef', () => {
  const cases: [string, string][] = [
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['bitnami/redis', 'docker.io/bitnami/redis:latest'],
    ['docker.io/nginx', 'docker.io/library/nginx:latest'],
    ['index.docker.io/library/nginx:1', 'docker.io/library/nginx:1'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/team/app:v2', 'localhost:5000/team/app:v2'],
    ['127.0.0.1:5000/app', '127.0.0.1:5000/app:latest'],
    ['[::1]:5000/app:1', '[::1]:5000/app:1'],
    ['ghcr.io/org/sub/app:1.2.3-rc.1', 'ghcr.io/org/sub/app:1.2.3-rc.1'],
    [`nginx@${DIGEST}`, `docker.io/library/nginx@${DIGEST}`],
    [`quay.io/a/b:1@${DIGEST}`, `quay.io/a/b:1@${DIGEST}`],
    ['my-registry.example.com:443/a__b/c-d.e', 'my-registry.example.com:443/a__b/c-d.e:latest'],
  ];
  for (const [input, expected] of cases)
    it(`${input} → ${expected}`, () => {
      assert.equal(formatImageRef(parseImageRef(input)), expected);
    });

  it('reads a first component with capitals as a registry, as Docker does (the split manifests use too)', () => {
    assert.deepEqual(parseImageRef('Registry.Local/team/app:1'), {
      registry: 'Registry.Local',
      repository: 'team/app',
      tag: '1',
    });
    assert.deepEqual(parseImageRef('MyHost/app'), { registry: 'MyHost', repository: 'app', tag: 'latest' });
  });

  it('keeps registry, repository, tag and digest apart', () => {
    assert.deepEqual(parseImageRef(`localhost:5000/team/app:v2@${DIGEST}`), {
      registry: 'localhost:5000',
      repository: 'team/app',
      tag: 'v2',
      digest: DIGEST,
    });
  });

  const invalid: [string, RegExp][] = [
    ['', /empty/],
    ['Nginx', /lowercase/],
    ['nginx:', /not a valid tag/],
    ['nginx:-bad', /not a valid tag/],
    ['nginx@sha256:abc', /not a digest|64 lowercase hex/],
    [`nginx@sha256:${'A'.repeat(64)}`, /lowercase hex/],
    ['a b', /whitespace/],
    ['registry.io/', /empty/],
    ['app//x', /not a valid repository/],
    ['-bad.io/app', /registry host|repository/],
    [`x/${'a'.repeat(300)}`, /longer than/],
  ];
  for (const [input, message] of invalid)
    it(`refuses ${JSON.stringify(input.slice(0, 30))}`, () => {
      assert.throws(() => parseImageRef(input), message);
    });
});
