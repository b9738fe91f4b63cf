// Containers that run for the pod's whole life: the regular ones and sidecars (restartable init containers).
import type { ContainerView } from '../../core/pod-spec.ts';

/** An init container with `restartPolicy: Always` is a sidecar: it keeps running and supports probes. */
export function isSidecar(container: ContainerView): boolean {
  return container.type === 'initContainers' && container.container.restartPolicy === 'Always';
}

/** Regular containers and sidecars; plain init containers run to completion and ephemeral ones cannot have probes. */
export function runsForPodLifetime(container: ContainerView): boolean {
  return container.type === 'containers' || isSidecar(container);
}

/** How a finding names the container: sidecars are init containers, which users may not expect to be checked. */
export function describeContainer(container: ContainerView): string {
  return isSidecar(container) ? `sidecar container "${container.name}"` : `container "${container.name}"`;
}
