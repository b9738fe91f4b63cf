// What the API server's validation of a pod spec refuses in its structure (ValidatePodSpec): no container, a
// container or volume without a name or named twice, a port outside 1..65535 or without its containerPort, a mount
// of a volume that is not there, a probe with two handlers, probes or hooks on an init container that is no sidecar. Such a pod never runs, and findings on it would be told apart by a container name
// that is not unique: read from files it is said, not silently accepted. Wrong types are the type check's.
// Messages quote no value (names may be anything): the position says where.
// Fields a Kustomize strategic-merge patch leaves to its base are not required here (a container's image, a
// template's containers, a probe's handler), or a directory of patches would be reported as broken; merge keys
// (container and volume names, containerPort) are in every patch. A container without an image is such a patch's,
// so what depends on a field its base may hold (an init container's restartPolicy) is not judged there.

import { isDns1123Label } from '../core/dns-label.ts';
import { type FieldPath, isRecord, type KubeObject } from '../core/kube-object.ts';
import { CONTAINER_TYPES, type ContainerView, containersOf, podTemplateOf } from '../core/pod-spec.ts';
import { VOLUME_SOURCES } from '../core/volume-sources.ts';
import type { ObjectProblem } from './object-problem.ts';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** Problems in the structure of a pod-bearing object's pod spec. */
export function podStructureProblems(object: KubeObject): ObjectProblem[] {
  const view = podTemplateOf(object);
  // A kustomize `$patch: delete` names the object only.
  if (!view || Object.hasOwn(object, '$patch')) return [];
  const problems: ObjectProblem[] = [];
  const containers = view.spec.containers;
  const missing = containers === undefined || containers === null;
  if ((missing && object.kind === 'Pod') || (Array.isArray(containers) && containers.length === 0))
    problems.push({ path: [...view.specPath, 'containers'], message: 'at least one container is required' });
  const volumeNames = volumeProblems(view.spec.volumes, [...view.specPath, 'volumes'], problems);
  // A StatefulSet's claim templates are volumes of its pods too.
  for (const name of claimTemplateNames(object)) volumeNames.add(name);
  // A null entry is read as an empty container or volume, which has no name.
  for (const list of [...CONTAINER_TYPES, 'volumes'] as const) {
    const entries = view.spec[list];
    if (Array.isArray(entries))
      entries.forEach((entry, index) => {
        if (entry === null)
          problems.push({
            path: [...view.specPath, list, index],
            message: `is null, read as an empty ${list === 'volumes' ? 'volume' : 'container'}, which has no name`,
          });
      });
  }
  const containerNames = new Set<string>();
  for (const container of containersOf(view)) {
    nameProblems(
      container.container.name,
      [...container.path, 'name'],
      containerNames,
      'container',
      problems,
    );
    portProblems(container, view.spec.hostNetwork === true, problems);
    mountProblems(container, volumeNames, problems);
    probeProblems(container, problems);
  }
  return problems;
}

function claimTemplateNames(object: KubeObject): string[] {
  const templates = isRecord(object.spec) ? object.spec.volumeClaimTemplates : undefined;
  if (object.kind !== 'StatefulSet' || !Array.isArray(templates)) return [];
  return templates.flatMap((template) =>
    isRecord(template) && isRecord(template.metadata) && typeof template.metadata.name === 'string'
      ? [template.metadata.name]
      : [],
  );
}

/** A required, DNS-1123 label name, unique among its kind (containers of every type share one set). */
function nameProblems(
  name: unknown,
  path: FieldPath,
  seen: Set<string>,
  what: 'container' | 'volume',
  problems: ObjectProblem[],
): void {
  if (name === undefined || name === null || name === '') {
    problems.push({ path, message: 'a name is required' });
    return;
  }
  if (typeof name !== 'string') return;
  if (!isDns1123Label(name))
    problems.push({
      path,
      message: `is not a DNS-1123 label (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)`,
    });
  else if (seen.has(name)) problems.push({ path, message: `is the name of an earlier ${what} too` });
  seen.add(name);
}

/** The names of the pod's volumes, after saying what is wrong with them. */
function volumeProblems(volumes: unknown, path: FieldPath, problems: ObjectProblem[]): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(volumes)) return names;
  volumes.forEach((volume, index) => {
    if (!isRecord(volume)) return;
    nameProblems(volume.name, [...path, index, 'name'], names, 'volume', problems);
    // A volume with no source is defaulted to an emptyDir; two sources are refused (unknown keys are dropped).
    const sources = Object.keys(volume).filter(
      (key) => VOLUME_SOURCES.has(key) && volume[key] !== null && volume[key] !== undefined,
    );
    if (sources.length > 1)
      problems.push({
        path: [...path, index],
        message: `may not have more than one volume source (${sources.join(', ')})`,
      });
  });
  return names;
}

function isPort(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65_535;
}

function portProblems(view: ContainerView, hostNetwork: boolean, problems: ObjectProblem[]): void {
  const ports = view.container.ports;
  if (!Array.isArray(ports)) return;
  ports.forEach((port, index) => {
    if (!isRecord(port)) return;
    const path = [...view.path, 'ports', index];
    const { containerPort, hostPort, protocol } = port;
    if (containerPort === undefined || containerPort === null || containerPort === 0)
      problems.push({ path: [...path, 'containerPort'], message: 'a containerPort is required' });
    else if (typeof containerPort === 'number' && !isPort(containerPort))
      problems.push({ path: [...path, 'containerPort'], message: 'must be between 1 and 65535, inclusive' });
    // hostPort 0 is unset.
    if (typeof hostPort === 'number' && hostPort !== 0 && !isPort(hostPort))
      problems.push({ path: [...path, 'hostPort'], message: 'must be between 1 and 65535, inclusive' });
    // With the host's network the container listens on the host: a different hostPort cannot be honoured.
    else if (
      hostNetwork &&
      typeof hostPort === 'number' &&
      hostPort !== 0 &&
      typeof containerPort === 'number' &&
      hostPort !== containerPort
    )
      problems.push({
        path: [...path, 'hostPort'],
        message: 'must match containerPort when hostNetwork is true',
      });
    if (typeof protocol === 'string' && !PROTOCOLS.includes(protocol))
      problems.push({ path: [...path, 'protocol'], message: `must be one of ${PROTOCOLS.join(', ')}` });
  });
}

function mountProblems(view: ContainerView, volumes: ReadonlySet<string>, problems: ObjectProblem[]): void {
  const mounts = view.container.volumeMounts;
  if (!Array.isArray(mounts)) return;
  mounts.forEach((mount, index) => {
    if (!isRecord(mount) || typeof mount.name !== 'string') return;
    if (!volumes.has(mount.name))
      problems.push({
        path: [...view.path, 'volumeMounts', index, 'name'],
        message: 'names no volume of the pod',
      });
  });
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * An init container runs to completion before the pod starts: only a sidecar (`restartPolicy: Always`) may have
 * probes or lifecycle hooks. A probe runs one handler; liveness and startup probes succeed on one success.
 */
function probeProblems(view: ContainerView, problems: ObjectProblem[]): void {
  const { container } = view;
  if (view.type === 'ephemeralContainers') return;
  if (view.type === 'initContainers' && container.restartPolicy !== 'Always') {
    if (!isSet(container.image)) return;
    for (const field of ['lifecycle', ...PROBES] as const)
      if (isSet(container[field]))
        problems.push({
          path: [...view.path, field],
          message:
            'may not be set on an init container without restartPolicy: Always (only sidecars have it)',
        });
    return;
  }
  for (const field of PROBES) {
    const probe = container[field];
    if (!isRecord(probe)) continue;
    const handlers = PROBE_HANDLERS.filter((handler) => isSet(probe[handler]));
    if (handlers.length > 1)
      problems.push({
        path: [...view.path, field],
        message: `may not have more than one handler (${handlers.join(', ')})`,
      });
    // 0 is unset and defaulted to 1.
    const threshold = probe.successThreshold;
    if (field !== 'readinessProbe' && typeof threshold === 'number' && threshold !== 0 && threshold !== 1)
      problems.push({ path: [...view.path, field, 'successThreshold'], message: 'must be 1' });
  }
}
