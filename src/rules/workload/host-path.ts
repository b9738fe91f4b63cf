// Containers' mounts of hostPath volumes, resolved through the pod's volume list.
import { isRecord } from '../../core/kube-object.ts';
import { type ContainerView, containersOf, type PodTemplateView } from '../../core/pod-spec.ts';

export interface HostPathMount {
  container: ContainerView;
  /** Index of the mount in the container's volumeMounts. */
  index: number;
  mount: Record<string, unknown>;
  volumeName: string;
  hostPath: string;
}

/** hostPath volumes of the pod by volume name. */
export function hostPathVolumes(view: PodTemplateView): Map<string, string> {
  const out = new Map<string, string>();
  const volumes = view.spec.volumes;
  if (!Array.isArray(volumes)) return out;
  for (const volume of volumes) {
    if (!isRecord(volume) || typeof volume.name !== 'string' || !isRecord(volume.hostPath)) continue;
    const path = volume.hostPath.path;
    out.set(volume.name, typeof path === 'string' ? path : '');
  }
  return out;
}

/** Every volumeMount, of every container type, that mounts a hostPath volume. */
export function hostPathMounts(view: PodTemplateView): HostPathMount[] {
  const volumes = hostPathVolumes(view);
  if (volumes.size === 0) return [];
  const out: HostPathMount[] = [];
  for (const container of containersOf(view)) {
    const mounts = container.container.volumeMounts;
    if (!Array.isArray(mounts)) continue;
    mounts.forEach((mount, index) => {
      if (!isRecord(mount) || typeof mount.name !== 'string') return;
      const hostPath = volumes.get(mount.name);
      if (hostPath === undefined) return;
      out.push({ container, index, mount, volumeName: mount.name, hostPath });
    });
  }
  return out;
}

/** `/var/run/` → `/var/run`; collapses repeated slashes so prefixes compare reliably. */
export function normalizeHostPath(path: string): string {
  const collapsed = path.trim().replace(/\/+/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}
