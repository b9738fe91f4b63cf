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

/** Parses an image reference; undefined for empty, templated or malformed references. */
export function parseImageReference(image: unknown): ImageReference | undefined {
  if (typeof image !== 'string') return undefined;
  const text = image.trim();
  if (text === '' || isTemplated(text)) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  // A colon after the last slash separates the tag; one before it is a registry port.
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (rest === '') return undefined;
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
  if (rest === '') return undefined;
  const reference: ImageReference = { repository: rest };
  if (registry !== undefined) reference.registry = registry;
  if (tag !== undefined) reference.tag = tag;
  if (digest !== undefined) reference.digest = digest;
  return reference;
}
