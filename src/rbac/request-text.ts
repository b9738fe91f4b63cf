// Requests written on the command line: `get secrets`, `create pods/exec`, `patch deployments.apps/scale`, `get /healthz`.
import { PalisadeError } from '../core/errors.ts';
import type { AccessRequest } from './policy-rule.ts';
import { knownApiGroup } from './resource-scope.ts';

export interface RequestOptions {
  namespace?: string;
  name?: string;
  /** Overrides the group from `resource.group` or the table of well-known resources. */
  apiGroup?: string;
}

// Verbs are any word to the authorizer (custom verbs such as `use` or `escalate`, and names with digits).
const VERB = /^(?:\*|[A-Za-z0-9][A-Za-z0-9._:-]*)$/;
/** A resource or subresource name (`pods`, `exec`, `*`); a group is a DNS subdomain (`apps`, `rbac.authorization.k8s.io`). */
const RESOURCE = /^(?:\*|[A-Za-z0-9][A-Za-z0-9-]*)$/;
const GROUP = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/**
 * `RESOURCE[.GROUP][/SUBRESOURCE]` as kubectl writes resources, or an absolute URL path for a non-resource request.
 * Without a group, well-known resources get theirs (`deployments` -> apps) and others the core group.
 */
export function parseRequest(
  verb: string,
  resourceText: string,
  options: RequestOptions = {},
): AccessRequest {
  if (!VERB.test(verb))
    throw new PalisadeError('usage', `"${verb}" is not a verb (get, list, create, escalate, ...)`);
  if (resourceText.startsWith('/')) {
    if (options.namespace !== undefined)
      throw new PalisadeError('usage', `${resourceText} is a URL, not a resource: URLs have no namespace`);
    return { type: 'non-resource', verb, path: resourceText };
  }
  const slash = resourceText.indexOf('/');
  const resourcePart = slash === -1 ? resourceText : resourceText.slice(0, slash);
  const subresource = slash === -1 ? '' : resourceText.slice(slash + 1);
  if (resourcePart === '' || subresource.includes('/') || (slash !== -1 && subresource === ''))
    throw new PalisadeError('usage', `"${resourceText}" is not RESOURCE[.GROUP][/SUBRESOURCE]`);
  const dot = resourcePart.indexOf('.');
  const resource = dot === -1 ? resourcePart : resourcePart.slice(0, dot);
  const groupFromText = dot === -1 ? undefined : resourcePart.slice(dot + 1);
  // `.`, `./x` or `pods..apps` would ask about a resource or group nothing can be granted on.
  if (
    !RESOURCE.test(resource) ||
    (subresource !== '' && !RESOURCE.test(subresource)) ||
    (groupFromText !== undefined && !GROUP.test(groupFromText))
  )
    throw new PalisadeError('usage', `"${resourceText}" is not RESOURCE[.GROUP][/SUBRESOURCE]`);
  const apiGroup = options.apiGroup ?? groupFromText ?? knownApiGroup(resource) ?? '';
  return {
    type: 'resource',
    verb,
    apiGroup,
    resource,
    subresource,
    name: options.name ?? '',
    namespace: options.namespace ?? '',
  };
}

/**
 * A note for a resource written without a group that is not a built-in one: it is asked in the core group, where a
 * custom resource never is, so an empty answer would otherwise look like "nobody".
 */
export function coreGroupGuessNote(resourceText: string, options: RequestOptions = {}): string | undefined {
  if (resourceText.startsWith('/') || options.apiGroup !== undefined) return undefined;
  const resource = resourceText.split('/')[0] ?? '';
  if (resource.includes('.') || resource === '*' || knownApiGroup(resource) !== undefined) return undefined;
  return `note: "${resource}" is not a built-in resource, so it was asked in the core API group; for a custom resource write ${resource}.GROUP or --api-group GROUP`;
}
