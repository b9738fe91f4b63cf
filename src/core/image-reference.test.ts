import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type ImageReference, parseImageReference } from './image-reference.ts';

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
  ['nginx:bad tag', undefined],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder as users write it, not a template
  ['${IMAGE}', undefined],
  ['{{ .Values.image }}', undefined],
  ['', undefined],
  [':tag', undefined],
  [42, undefined],
  [undefined, undefined],
];

for (const [input, expected] of CASES)
  it(`parses ${JSON.stringify(input)}`, () => assert.deepEqual(parseImageReference(input), expected));
