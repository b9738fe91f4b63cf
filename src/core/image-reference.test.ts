import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type ImageReference, imageReferenceProblem, parseImageReference } from './image-reference.ts';

const DIGEST = `sha256:${'0'.repeat(64)}`;

const CASES: [unknown, ImageReference | undefined][] = [
  ['nginx', { repository: 'nginx' }],
  ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
  ['library/nginx:latest', { repository: 'library/nginx', tag: 'latest' }],
  ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app' }],
  ['localhost/app:v1', { registry: 'localhost', repository: 'app', tag: 'v1' }],
  [
    'registry.example.com:443/team/app:2.0',
    { registry: 'registry.example.com:443', repository: 'team/app', tag: '2.0' },
  ],
  [`ghcr.io/org/app@${DIGEST}`, { registry: 'ghcr.io', repository: 'org/app', digest: DIGEST }],
  [`nginx:1.27@${DIGEST}`, { repository: 'nginx', tag: '1.27', digest: DIGEST }],
  ['  nginx:1.27  ', { repository: 'nginx', tag: '1.27' }],
  ['nginx@sha256:short', undefined],
  [`nginx@sha256:${'A'.repeat(64)}`, undefined],
  [`nginx@sha256:${'0'.repeat(63)}`, undefined],
  [`nginx@md5:${'0'.repeat(32)}`, undefined],
  [`nginx@sha512:${'a'.repeat(128)}`, { repository: 'nginx', digest: `sha512:${'a'.repeat(128)}` }],
  ['nginx:bad tag', undefined],
  // The kubelet's parser: a lowercase repository path, any-case registry host, IPv6 in brackets.
  [
    'registry.Example.com/team/app:1.0',
    { registry: 'registry.Example.com', repository: 'team/app', tag: '1.0' },
  ],
  ['Team/app', { registry: 'Team', repository: 'app' }],
  ['[::1]:5000/app:v1', { registry: '[::1]:5000', repository: 'app', tag: 'v1' }],
  ['my_org/app__x/a-b--c.d:1', { repository: 'my_org/app__x/a-b--c.d', tag: '1' }],
  // Capitals are let through: sample manifests' placeholders (PROJECT_ID) are still judged on their tag.
  ['Nginx:1.0', { repository: 'Nginx', tag: '1.0' }],
  [
    'REGION-docker.pkg.dev/PROJECT_ID/app:latest',
    { registry: 'REGION-docker.pkg.dev', repository: 'PROJECT_ID/app', tag: 'latest' },
  ],
  ['app_/x', undefined],
  ['a___b', undefined],
  ['registry.example.com//app', undefined],
  ['-registry.example.com/app', undefined],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder as users write it, not a template
  ['${IMAGE}', undefined],
  ['{{ .Values.image }}', undefined],
  ['ko://github.com/kserve/kserve/cmd/manager', undefined],
  [
    'REGION_NAME-docker.pkg.dev/PROJECT_ID/app:v1',
    { registry: 'REGION_NAME-docker.pkg.dev', repository: 'PROJECT_ID/app', tag: 'v1' },
  ],
  ['', undefined],
  [':tag', undefined],
  [42, undefined],
  [undefined, undefined],
];

for (const [input, expected] of CASES)
  it(`parses ${JSON.stringify(input)}`, () => assert.deepEqual(parseImageReference(input), expected));

it('says why a reference is malformed, and nothing for valid, empty or templated ones', () => {
  assert.equal(imageReferenceProblem('nginx:1.0@sha256:abc'), 'digest "sha256:abc" is malformed');
  assert.equal(
    imageReferenceProblem(`nginx@sha256:${'A'.repeat(64)}`),
    `digest "sha256:${'A'.repeat(64)}" is not 64 lowercase hex digits`,
  );
  assert.equal(
    imageReferenceProblem(`nginx@md5:${'0'.repeat(32)}`),
    'digest algorithm "md5" is not supported by container runtimes',
  );
  assert.equal(imageReferenceProblem('nginx:-bad'), 'tag "-bad" is malformed');
  assert.equal(imageReferenceProblem(':tag'), 'it names no repository');
  assert.equal(imageReferenceProblem('ghcr.io/org/app_'), 'repository "org/app_" is malformed');
  assert.equal(imageReferenceProblem('ghcr.io/Org/app_'), 'repository "Org/app_" is malformed');
  assert.equal(imageReferenceProblem('bad-.io:5000/app'), 'registry "bad-.io:5000" is malformed');
  assert.equal(imageReferenceProblem('host.io:x/app'), 'registry "host.io:x" is malformed');
  assert.equal(
    imageReferenceProblem(`registry.example.com/${'a'.repeat(240)}:1`),
    'the name is longer than 255 characters',
  );
  for (const fine of [
    `nginx@${DIGEST}`,
    'nginx:1.27',
    '',
    '{{ .Values.image }}',
    'ko://example.com/cmd/app',
    42,
    undefined,
  ])
    assert.equal(imageReferenceProblem(fine), undefined, String(fine));
});

it('answers the same for a reference asked again, after the remembered answers were emptied, and shares none writably', () => {
  const first = parseImageReference('registry.example.com/team/app:1.2');
  assert.deepEqual(first, { registry: 'registry.example.com', repository: 'team/app', tag: '1.2' });
  assert.ok(Object.isFrozen(first));
  assert.throws(() => {
    (first as ImageReference).tag = 'latest';
  }, TypeError);
  // More unique references than are remembered: every answer is still computed right.
  for (let i = 0; i < 3000; i++) assert.equal(parseImageReference(`app${i}:v${i}`)?.tag, `v${i}`);
  assert.deepEqual(parseImageReference('registry.example.com/team/app:1.2'), first);
  assert.equal(imageReferenceProblem('nginx:-bad'), 'tag "-bad" is malformed');
  assert.equal(imageReferenceProblem('nginx:-bad'), 'tag "-bad" is malformed');
  // Longer than is remembered: still answered, every time.
  const tag = 't'.repeat(128);
  const long = `registry.example.com/${'a'.repeat(230)}:${tag}@sha512:${'a'.repeat(128)}`;
  assert.ok(long.length > 512);
  for (let i = 0; i < 2; i++) assert.equal(parseImageReference(long)?.tag, tag);
});
