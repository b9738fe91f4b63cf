// What the API server's validation of a pod spec refuses and the type check does not see, among the fields security
// rules read: a seccomp or AppArmor profile of an unknown type, a Localhost profile without its file, a file named
// for a profile that is not Localhost, a user or group id out of range. Such a pod never runs; read from files it is
// said, not silently accepted.
import { type FieldPath, isRecord, type KubeObject } from '../core/kube-object.ts';
import { containersOf, podTemplateOf } from '../core/pod-spec.ts';
import type { ObjectProblem } from './object-problem.ts';

const PROFILE_TYPES = ['RuntimeDefault', 'Unconfined', 'Localhost'];
const PROFILE_FIELDS = ['seccompProfile', 'appArmorProfile'] as const;

/** The API server takes user and group ids from 0 to 2^31 - 1 (IsValidUserID, IsValidGroupID). */
const MAX_ID = 2 ** 31 - 1;
/** Id fields of a security context; fsGroup and supplementalGroups are the pod's only. */
const ID_FIELDS = ['runAsUser', 'runAsGroup', 'fsGroup'] as const;

/** Problems of the profiles in a pod-bearing object's pod and container security contexts. */
export function podSpecProblems(object: KubeObject): ObjectProblem[] {
  const view = podTemplateOf(object);
  if (!view) return [];
  const problems: ObjectProblem[] = [];
  const contexts: { context: unknown; path: FieldPath }[] = [
    { context: view.spec.securityContext, path: [...view.specPath, 'securityContext'] },
    ...containersOf(view).map(({ container, path }) => ({
      context: container.securityContext,
      path: [...path, 'securityContext'],
    })),
  ];
  for (const { context, path } of contexts) {
    if (!isRecord(context)) continue;
    for (const field of PROFILE_FIELDS) {
      const profile = context[field];
      if (isRecord(profile)) problems.push(...profileProblems(profile, [...path, field]));
    }
    problems.push(...idProblems(context, path));
  }
  return problems;
}

/** Ids out of range; a value that is not an integer is the type check's. */
function idProblems(context: Record<string, unknown>, path: FieldPath): ObjectProblem[] {
  const ids: { value: unknown; path: FieldPath }[] = ID_FIELDS.map((field) => ({
    value: context[field],
    path: [...path, field],
  }));
  const supplemental = context.supplementalGroups;
  if (Array.isArray(supplemental))
    for (let index = 0; index < supplemental.length; index++)
      ids.push({ value: supplemental[index], path: [...path, 'supplementalGroups', index] });
  return ids
    .filter(({ value }) => Number.isInteger(value) && ((value as number) < 0 || (value as number) > MAX_ID))
    .map(({ path: idPath }) => ({ path: idPath, message: `must be between 0 and ${MAX_ID}, inclusive` }));
}

function profileProblems(profile: Record<string, unknown>, path: FieldPath): ObjectProblem[] {
  const { type, localhostProfile } = profile;
  // A wrong type (a number) is the type check's; a missing type is refused too.
  if (type === undefined || type === null)
    return [{ path, message: `type is required (one of ${PROFILE_TYPES.join(', ')})` }];
  if (typeof type !== 'string') return [];
  if (!PROFILE_TYPES.includes(type))
    return [{ path: [...path, 'type'], message: `must be one of ${PROFILE_TYPES.join(', ')}` }];
  const set = localhostProfile !== undefined && localhostProfile !== null;
  if (type === 'Localhost' && !set)
    return [{ path, message: 'localhostProfile must name the profile when type is Localhost' }];
  if (type !== 'Localhost' && set)
    return [
      {
        path: [...path, 'localhostProfile'],
        message: `may only be set when type is Localhost, not ${type}`,
      },
    ];
  // A seccomp profile is a file under the kubelet's seccomp directory: the path may not leave it.
  if (
    path.at(-1) === 'seccompProfile' &&
    typeof localhostProfile === 'string' &&
    (localhostProfile.startsWith('/') || localhostProfile.split('/').includes('..'))
  )
    return [
      {
        path: [...path, 'localhostProfile'],
        message: 'must be a path relative to the kubelet\'s seccomp directory, without ".."',
      },
    ];
  return [];
}
