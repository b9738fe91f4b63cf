// What the API server's validation of a pod spec refuses and the type check does not see, among the fields security
// rules read: a seccomp or AppArmor profile of an unknown type, a Localhost profile without its file, or a file named
// for a profile that is not Localhost. Such a pod never runs; read from files it is said, not silently accepted.
import { type FieldPath, isRecord, type KubeObject } from '../core/kube-object.ts';
import { containersOf, podTemplateOf } from '../core/pod-spec.ts';
import type { ObjectProblem } from './object-problem.ts';

const PROFILE_TYPES = ['RuntimeDefault', 'Unconfined', 'Localhost'];
const PROFILE_FIELDS = ['seccompProfile', 'appArmorProfile'] as const;

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
  }
  return problems;
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
