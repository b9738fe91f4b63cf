// Subjects of bindings and the identities they match, with the groups Kubernetes authenticators add.
import { PalisadeError } from '../core/errors.ts';
import { isRecord } from '../core/kube-object.ts';
import { subjectApiGroupValid } from '../inputs/rbac-object-problems.ts';

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

/** A subject as written in a binding; a ServiceAccount's namespace is already defaulted from a RoleBinding's. */
export interface Subject {
  kind: SubjectKind;
  name: string;
  /** ServiceAccounts only; '' when missing (such a subject of a ClusterRoleBinding matches nobody). */
  namespace: string;
}

/** Who makes a request: a user name and its groups, as an authenticator hands them to the authorizer. */
export interface Identity {
  name: string;
  groups: readonly string[];
}

export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
export const AUTHENTICATED = 'system:authenticated';
export const UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS = 'system:anonymous';
export const ALL_SERVICE_ACCOUNTS = 'system:serviceaccounts';

/** Groups every member of which is "anyone" of some population: granting them power is never a system need. */
export function isBroadGroup(name: string): boolean {
  return (
    name === AUTHENTICATED ||
    name === UNAUTHENTICATED ||
    name === ALL_SERVICE_ACCOUNTS ||
    name.startsWith(`${ALL_SERVICE_ACCOUNTS}:`)
  );
}

/** Reads one subject of a binding; undefined for shapes the API server would refuse. */
export function parseBindingSubject(value: unknown, bindingNamespace: string): Subject | undefined {
  if (!isRecord(value) || typeof value.name !== 'string' || value.name === '') return undefined;
  const namespace = typeof value.namespace === 'string' ? value.namespace : '';
  if (!subjectApiGroupValid(value.kind, value.apiGroup)) return undefined;
  switch (value.kind) {
    case 'User':
    case 'Group':
      return { kind: value.kind, name: value.name, namespace: '' };
    case 'ServiceAccount':
      // A RoleBinding's ServiceAccount subject without a namespace means the binding's namespace.
      return { kind: 'ServiceAccount', name: value.name, namespace: namespace || bindingNamespace };
    default:
      return undefined;
  }
}

export function serviceAccountIdentity(namespace: string, name: string): Identity {
  return {
    name: `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`,
    groups: [ALL_SERVICE_ACCOUNTS, `${ALL_SERVICE_ACCOUNTS}:${namespace}`, AUTHENTICATED],
  };
}

/** The ServiceAccount a user name stands for (`system:serviceaccount:ns:name`), if it is one. */
export function serviceAccountOfUser(userName: string): { namespace: string; name: string } | undefined {
  if (!userName.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = userName.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  return { namespace: parts[0] as string, name: parts[1] as string };
}

/** The identity a subject stands for when it makes requests itself; a group is represented by one anonymous member. */
export function identityOfSubject(subject: Subject, extraGroups: readonly string[] = []): Identity {
  switch (subject.kind) {
    case 'ServiceAccount': {
      const identity = serviceAccountIdentity(subject.namespace, subject.name);
      return { name: identity.name, groups: unique([...identity.groups, ...extraGroups]) };
    }
    case 'User': {
      const account = serviceAccountOfUser(subject.name);
      if (account) return identityOfSubject({ kind: 'ServiceAccount', ...account }, extraGroups);
      if (subject.name === ANONYMOUS)
        return { name: ANONYMOUS, groups: unique([UNAUTHENTICATED, ...extraGroups]) };
      return { name: subject.name, groups: unique([AUTHENTICATED, ...extraGroups]) };
    }
    case 'Group':
      // Members of system:unauthenticated are anonymous, everyone else is authenticated.
      return {
        name: '',
        groups: unique(
          subject.name === UNAUTHENTICATED
            ? [UNAUTHENTICATED, ...extraGroups]
            : [subject.name, AUTHENTICATED, ...extraGroups],
        ),
      };
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** True when a binding's subject applies to the identity (the RBAC authorizer's appliesToUser). */
export function subjectMatches(subject: Subject, identity: Identity): boolean {
  switch (subject.kind) {
    case 'User':
      return identity.name !== '' && subject.name === identity.name;
    case 'Group':
      return identity.groups.includes(subject.name);
    case 'ServiceAccount':
      return (
        subject.namespace !== '' &&
        identity.name === `${SERVICE_ACCOUNT_PREFIX}${subject.namespace}:${subject.name}`
      );
  }
}

/**
 * Parses a subject given on the command line: `sa:ns/name`, `serviceaccount:ns/name`, `system:serviceaccount:ns:name`,
 * `user:alice`, `group:devs`, or a bare user name.
 */
export function parseSubjectText(text: string): Subject {
  const trimmed = text.trim();
  const account = serviceAccountOfUser(trimmed);
  if (account) return { kind: 'ServiceAccount', ...account, name: account.name };
  const colon = trimmed.indexOf(':');
  const prefix = colon === -1 ? '' : trimmed.slice(0, colon).toLowerCase();
  const rest = colon === -1 ? trimmed : trimmed.slice(colon + 1);
  if (prefix === 'sa' || prefix === 'serviceaccount') {
    const slash = rest.indexOf('/');
    const namespace = slash === -1 ? '' : rest.slice(0, slash);
    const name = slash === -1 ? rest : rest.slice(slash + 1);
    if (namespace === '' || name === '' || name.includes('/'))
      throw new PalisadeError('usage', `subject "${text}": a ServiceAccount is written sa:NAMESPACE/NAME`);
    return { kind: 'ServiceAccount', namespace, name };
  }
  if (prefix === 'user' || prefix === 'group') {
    if (rest === '') throw new PalisadeError('usage', `subject "${text}": the ${prefix} name is empty`);
    return { kind: prefix === 'user' ? 'User' : 'Group', name: rest, namespace: '' };
  }
  if (trimmed === '') throw new PalisadeError('usage', 'subject is empty');
  // `system:masters`-like names are user names unless said otherwise, as in `kubectl auth can-i --as`.
  return { kind: 'User', name: trimmed, namespace: '' };
}

/**
 * A ServiceAccount subject without a namespace (left empty in a ClusterRoleBinding, which has none to lend it) matches
 * no identity: binding-missing-reference reports it, and nothing is granted through it.
 */
export function matchesNobody(subject: Subject): boolean {
  return subject.kind === 'ServiceAccount' && subject.namespace === '';
}

/** `ServiceAccount ns/name`, `User alice`, `Group devs`. */
export function formatSubject(subject: Subject): string {
  return subject.kind === 'ServiceAccount'
    ? `ServiceAccount ${subject.namespace || '(no namespace)'}/${subject.name}`
    : `${subject.kind} ${subject.name}`;
}

/** Index key of a subject; the same subject written twice gets the same key. */
export function subjectKey(subject: Subject): string {
  return subject.kind === 'ServiceAccount'
    ? `ServiceAccount\u0000${subject.namespace}\u0000${subject.name}`
    : `${subject.kind}\u0000${subject.name}`;
}

/** Keys of every binding subject that can match the identity (its user name, its ServiceAccount, its groups). */
export function identityKeys(identity: Identity): string[] {
  const keys: string[] = [];
  if (identity.name !== '') {
    keys.push(subjectKey({ kind: 'User', name: identity.name, namespace: '' }));
    const account = serviceAccountOfUser(identity.name);
    if (account) keys.push(subjectKey({ kind: 'ServiceAccount', ...account }));
  }
  for (const group of identity.groups) keys.push(subjectKey({ kind: 'Group', name: group, namespace: '' }));
  return keys;
}

/** What a broad group means, for answers people read. */
export function describeGroup(name: string): string | undefined {
  if (name === AUTHENTICATED) return 'every authenticated user and ServiceAccount';
  if (name === UNAUTHENTICATED) return 'anonymous requests';
  if (name === ALL_SERVICE_ACCOUNTS) return 'every ServiceAccount of every namespace';
  if (name.startsWith(`${ALL_SERVICE_ACCOUNTS}:`))
    return `every ServiceAccount of namespace ${name.slice(ALL_SERVICE_ACCOUNTS.length + 1)}`;
  if (name === 'system:masters')
    return 'superusers: the API server grants this group everything, RBAC or not';
  return undefined;
}
