// Exact image references, normalised the way Docker does: docker.io default registry, library/ for
// official images, latest when neither tag nor digest is given.
import { PalisadeError } from '../core/errors.ts';
import { splitImageReference } from '../core/image-reference.ts';

export const DOCKER_HUB = 'docker.io';
/** Where Docker Hub's registry API really lives. */
export const DOCKER_HUB_API = 'registry-1.docker.io';

export interface ImageRef {
  /** Registry host with optional port, e.g. `docker.io`, `localhost:5000`, `[::1]:5000`. */
  registry: string;
  /** Repository path inside the registry, e.g. `library/nginx`. */
  repository: string;
  tag?: string;
  /** `algorithm:hex`; when present it is what is pulled, the tag only documents. */
  digest?: string;
}

// Grammar of github.com/distribution/reference, kept in the same pieces.
const ALPHANUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHANUM}(?:${SEPARATOR}${ALPHANUM})*`;
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_RE = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256_RE = /^sha256:[a-f0-9]{64}$/;
const SHA512_RE = /^sha512:[a-f0-9]{128}$/;
const MAX_NAME = 255;

function refuse(text: string, why: string): never {
  throw new PalisadeError('usage', `invalid image reference "${text}": ${why}`);
}

/** Parses and normalises an image reference; throws a usage error that says what is wrong. */
export function parseImageRef(input: string): ImageRef {
  const text = input.trim();
  if (text === '') refuse(input, 'it is empty');
  if (/\s/.test(text)) refuse(text, 'it contains whitespace');
  // The split is the one manifests use too; what is checked here is stricter, with a reason for each refusal.
  const { registry: host, repository: path, tag, digest } = splitImageReference(text);
  if (digest !== undefined) {
    if (!DIGEST_RE.test(digest)) refuse(text, `"${digest}" is not a digest (algorithm:hex)`);
    if (digest.startsWith('sha256:') && !SHA256_RE.test(digest))
      refuse(text, 'a sha256 digest is 64 lowercase hex characters');
    if (digest.startsWith('sha512:') && !SHA512_RE.test(digest))
      refuse(text, 'a sha512 digest is 128 lowercase hex characters');
  }
  if (tag !== undefined && !TAG_RE.test(tag)) refuse(text, `"${tag}" is not a valid tag`);
  let registry = host ?? DOCKER_HUB;
  let repository = path;
  if (host !== undefined && !DOMAIN_RE.test(host)) refuse(text, `"${host}" is not a valid registry host`);
  if (registry === 'index.docker.io' || registry === DOCKER_HUB_API) registry = DOCKER_HUB;
  if (repository === '') refuse(text, 'the repository name is empty');
  if (!PATH_RE.test(repository))
    refuse(
      text,
      repository !== repository.toLowerCase()
        ? 'repository names must be lowercase'
        : `"${repository}" is not a valid repository path`,
    );
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  if (`${registry}/${repository}`.length > MAX_NAME) refuse(text, `the name is longer than ${MAX_NAME}`);
  const ref: ImageRef = { registry, repository };
  if (tag !== undefined) ref.tag = tag;
  else if (digest === undefined) ref.tag = 'latest';
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** Full normalised form: `docker.io/library/nginx:1.25@sha256:...`. */
export function formatImageRef(ref: ImageRef): string {
  let text = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== undefined) text += `:${ref.tag}`;
  if (ref.digest !== undefined) text += `@${ref.digest}`;
  return text;
}

/** What to ask the registry for: the digest when pinned, else the tag. */
export function manifestReference(ref: ImageRef): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** Host to contact for a registry name (Docker Hub's API is not at docker.io). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}
