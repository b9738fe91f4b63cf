// Where a KubeletConfiguration object came from: a node's live `/configz`, kubeadm's ConfigMap, or a file. The live
// configuration shows what the kubelet runs with after its own start-up defaults, which a file does not.
import type { KubeObject } from './kube-object.ts';

export const KUBELET_SOURCE_ANNOTATION = 'palisade.dev/source';

/** `nodes/<name>/proxy/configz`: the source a live read records. */
export function configzSource(node: string): string {
  return `nodes/${node}/proxy/configz`;
}

export function isLiveKubeletConfig(object: KubeObject): boolean {
  const source = object.metadata.annotations?.[KUBELET_SOURCE_ANNOTATION];
  return typeof source === 'string' && source.startsWith('nodes/') && source.endsWith('/proxy/configz');
}
