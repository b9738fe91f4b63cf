// Readers over the pod spec in a request: containers of each kind, their security contexts, images and volumes.
import { isRecord } from '../../core/kube-object.ts';
import { jsonText } from '../field-value.ts';
import { arrayAt, at } from './json-access.ts';

export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

/** The containers of one kind in `requestObject.spec`, narrowed by an index argument. */
export function requestContainers(
  event: unknown,
  kind: ContainerKind,
  arg: string | undefined,
): unknown[] | undefined {
  return arrayAt(event, arg, 'requestObject', 'spec', kind);
}

/** A security-context value of every container that sets it (containers that do not are skipped). */
export function securityValues(containers: unknown[] | undefined, ...keys: string[]): string[] | undefined {
  if (containers === undefined) return undefined;
  const out: string[] = [];
  for (const container of containers) {
    const value = at(container, 'securityContext', ...keys);
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) out.push(jsonText(item) ?? '');
    } else {
      out.push(jsonText(value) ?? '');
    }
  }
  return out;
}

export function images(containers: unknown[] | undefined): string[] | undefined {
  if (containers === undefined) return undefined;
  const out: string[] = [];
  for (const container of containers) {
    const image = at(container, 'image');
    if (typeof image !== 'string') return undefined;
    out.push(image);
  }
  return out;
}

/** The repository part of an image reference: no digest, no tag (a registry port is not a tag). */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? '';
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** Effective uid/gid per container: container securityContext, else pod securityContext, else 0 (the image default is unknown). */
export function effectiveIds(event: unknown, arg: string | undefined, key: 'runAsUser' | 'runAsGroup') {
  const containers = requestContainers(event, 'containers', arg);
  if (containers === undefined) return undefined;
  const podValue = at(event, 'requestObject', 'spec', 'securityContext', key);
  return containers.map(
    (container) => jsonText(at(container, 'securityContext', key) ?? podValue ?? 0) ?? '0',
  );
}

export function volumes(event: unknown, arg: string | undefined): unknown[] | undefined {
  return arrayAt(event, arg, 'requestObject', 'spec', 'volumes');
}

export function hostPaths(volumeList: unknown[] | undefined): string[] | undefined {
  if (volumeList === undefined) return undefined;
  const out: string[] = [];
  for (const volume of volumeList) {
    const path = at(volume, 'hostPath', 'path');
    if (typeof path === 'string') out.push(path);
  }
  return out;
}

export function hostPorts(containers: unknown[] | undefined): string[] | undefined {
  if (containers === undefined) return undefined;
  const out: string[] = [];
  for (const container of containers) {
    const ports = at(container, 'ports');
    if (!Array.isArray(ports)) continue;
    for (const port of ports) {
      // With hostNetwork the container port is the host port.
      const value = at(port, 'hostPort') ?? at(port, 'containerPort');
      if (value !== undefined) out.push(jsonText(value) ?? '');
    }
  }
  return out;
}

export function volumeTypes(volumeList: unknown[] | undefined): string[] | undefined {
  if (volumeList === undefined) return undefined;
  const out: string[] = [];
  for (const volume of volumeList) {
    if (!isRecord(volume)) continue;
    for (const key of Object.keys(volume)) if (key !== 'name') out.push(key);
  }
  return out;
}
