// Parses container image references the way the Docker reference grammar does:
// [registry[:port]/]repository[:tag][@algorithm:hex].

export interface ImageReference {
  /** Registry host (with port) when the reference names one. */
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** True when the reference is still a template (Helm, Kustomize, envsubst) rather than a real image. */
export function isTemplated(image: string): boolean {
  return /[${}<>]/.test(image) || /\s/.test(image.trim());
}

/**
 * Splits a reference into its parts by the Docker reference grammar, without checking them: a `@` starts the
 * digest, a colon after the last slash starts the tag (one inside an IPv6 `[...]` host does not), and the first
 * path component is the registry when it holds a `.` or `:`, is `localhost`, or has capitals (Docker's rule).
 * Callers validate the parts their own way: leniently for manifests, strictly for pulls.
 */
export function splitImageReference(text: string): ImageReference {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/') && !rest.slice(colon).includes(']')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const firstSlash = rest.indexOf('/');
  if (firstSlash > 0) {
    const first = rest.slice(0, firstSlash);
    if (
      first.includes('.') ||
      first.includes(':') ||
      first === 'localhost' ||
      first !== first.toLowerCase()
    ) {
      registry = first;
      rest = rest.slice(firstSlash + 1);
    }
  }
  const reference: ImageReference = { repository: rest };
  if (registry !== undefined) reference.registry = registry;
  if (tag !== undefined) reference.tag = tag;
  if (digest !== undefined) reference.digest = digest;
  return reference;
}

/** Parses an image reference; undefined for empty, templated or malformed references. */
export function parseImageReference(image: unknown): ImageReference | undefined {
  if (typeof image !== 'string') return undefined;
  const text = image.trim();
  if (text === '' || isTemplated(text)) return undefined;
  const reference = splitImageReference(text);
  if (reference.digest !== undefined && !DIGEST.test(reference.digest)) return undefined;
  if (reference.tag !== undefined && !TAG.test(reference.tag)) return undefined;
  if (reference.repository === '') return undefined;
  return reference;
}
