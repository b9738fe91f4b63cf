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
/** The algorithms the container runtimes accept (go-digest's registered ones), with their hex lengths. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const TAG = /^[\w][\w.-]{0,127}$/;
/** The reference grammar's path: lowercase components joined by `/`, each split by `.`, `_`, `__` or dashes. */
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
/**
 * A registry host: DNS labels (any case) or a bracketed IPv6 address, with an optional port. Underscores are let
 * through, as sample manifests' placeholders have them (`REGION_NAME-docker.pkg.dev`).
 */
const REGISTRY = /^(?:\w(?:[\w-]*\w)?(?:\.\w(?:[\w-]*\w)?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
/** The grammar's limit on registry and repository together. */
const MAX_NAME_LENGTH = 255;

/**
 * True when the reference is still a template (Helm, Kustomize, envsubst) or a build tool's placeholder that it
 * replaces with the built image (ko's `ko://github.com/org/repo/cmd/app`) rather than a real image.
 */
export function isTemplated(image: string): boolean {
  return /[${}<>]/.test(image) || /\s/.test(image.trim()) || image.includes('://');
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

/** Why `digest` is not one the kubelet would pull by; undefined when it is. */
function digestProblem(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return `digest "${digest}" is malformed`;
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) return `digest algorithm "${algorithm}" is not supported by container runtimes`;
  const hex = digest.slice(colon + 1);
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex))
    return `digest "${digest}" is not ${length} lowercase hex digits`;
  return undefined;
}

type Checked = { reference: ImageReference } | { problem: string } | undefined;

/**
 * Answers for the references seen last. A cluster runs a few images in many pods, and several rules ask about each
 * container's image: the webhook and a scan parse each reference once, not once per rule and replica. Bounded:
 * emptied when full, so unique references sent to the webhook cannot grow it.
 */
const checkedReferences = new Map<string, Checked>();
const MAX_CHECKED_REFERENCES = 1024;
/** Longer strings are answered but not remembered: a hostile request must not make the memo hold megabytes. */
const MAX_REMEMBERED_LENGTH = 512;

/** Undefined for non-strings, empty and templated references (nothing to judge); else the reference or why not. */
function checkImageReference(image: unknown): Checked {
  if (typeof image !== 'string') return undefined;
  if (image.length > MAX_REMEMBERED_LENGTH) return checkUncached(image);
  const known = checkedReferences.get(image);
  if (known !== undefined || checkedReferences.has(image)) return known;
  if (checkedReferences.size >= MAX_CHECKED_REFERENCES) checkedReferences.clear();
  const checked = checkUncached(image);
  // Shared between callers: frozen, so that none can change another's answer.
  if (checked !== undefined && 'reference' in checked) Object.freeze(checked.reference);
  checkedReferences.set(image, checked === undefined ? undefined : Object.freeze(checked));
  return checked;
}

function checkUncached(image: string): Checked {
  const text = image.trim();
  if (text === '' || isTemplated(text)) return undefined;
  const reference = splitImageReference(text);
  if (reference.digest !== undefined) {
    const problem = digestProblem(reference.digest);
    if (problem !== undefined) return { problem };
  }
  if (reference.tag !== undefined && !TAG.test(reference.tag))
    return { problem: `tag "${reference.tag}" is malformed` };
  if (reference.repository === '') return { problem: 'it names no repository' };
  const problem = nameProblem(reference);
  return problem === undefined ? { reference } : { problem };
}

/**
 * What the kubelet's parser (distribution/reference) refuses in the registry and repository. Capitals in the
 * repository are let through, though the kubelet refuses them too: manifests written as samples name images with
 * placeholders (`REGION-docker.pkg.dev/PROJECT_ID/app:latest`), and their other problems (the latest tag) are still
 * worth reporting.
 */
function nameProblem(reference: ImageReference): string | undefined {
  const { registry, repository } = reference;
  if (registry !== undefined && !REGISTRY.test(registry)) return `registry "${registry}" is malformed`;
  if (!REPOSITORY.test(repository.toLowerCase())) return `repository "${repository}" is malformed`;
  const length = (registry === undefined ? 0 : registry.length + 1) + repository.length;
  if (length > MAX_NAME_LENGTH) return `the name is longer than ${MAX_NAME_LENGTH} characters`;
  return undefined;
}

/** Parses an image reference; undefined for empty, templated or malformed references. */
export function parseImageReference(image: unknown): ImageReference | undefined {
  const checked = checkImageReference(image);
  return checked !== undefined && 'reference' in checked ? checked.reference : undefined;
}

/**
 * Why a reference is malformed (the kubelet refuses it with InvalidImageName); undefined when it parses, and for
 * non-strings, empty and templated references, which other checks report or skip.
 */
export function imageReferenceProblem(image: unknown): string | undefined {
  const checked = checkImageReference(image);
  return checked !== undefined && 'problem' in checked ? checked.problem : undefined;
}
