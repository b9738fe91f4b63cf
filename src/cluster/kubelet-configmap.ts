// kubeadm's cluster-wide kubelet configuration (ConfigMap kube-system/kubelet-config, key `kubelet`), read as a
// KubeletConfiguration when the live configuration of a node cannot be: every kubeadm node starts from it.
import { load } from 'js-yaml';
import type { InventoryEntry } from '../core/inventory.ts';
import { isRecord, type KubeObject, refOf } from '../core/kube-object.ts';
import { KUBELET_SOURCE_ANNOTATION } from '../core/kubelet-source.ts';
import { KUBERNETES_YAML_SCHEMA } from '../inputs/yaml-schema.ts';
import { KUBELET_CONFIG_API_VERSION } from './kubelet-config.ts';

/** kubeadm before 1.24 suffixed the name with the minor version (kubelet-config-1.23). */
const NAME = /^kubelet-config(?:-\d+\.\d+)?$/;

export function derivedKubeletConfigs(objects: readonly KubeObject[]): KubeObject[] {
  const derived: KubeObject[] = [];
  for (const object of objects) {
    if (object.kind !== 'ConfigMap' || object.metadata.namespace !== 'kube-system') continue;
    const name = object.metadata.name ?? '';
    if (!NAME.test(name) || !isRecord(object.data) || typeof object.data.kubelet !== 'string') continue;
    let config: unknown;
    try {
      config = load(object.data.kubelet, { schema: KUBERNETES_YAML_SCHEMA });
    } catch {
      // Not YAML: the ConfigMap is checked as what it is, and nothing is derived from it.
      continue;
    }
    if (!isRecord(config) || config.kind !== 'KubeletConfiguration') continue;
    const { apiVersion, kind: _kind, metadata: _metadata, ...fields } = config;
    derived.push({
      apiVersion: typeof apiVersion === 'string' ? apiVersion : KUBELET_CONFIG_API_VERSION,
      kind: 'KubeletConfiguration',
      metadata: {
        name,
        annotations: { [KUBELET_SOURCE_ANNOTATION]: `ConfigMap kube-system/${name} (key kubelet)` },
      },
      ...fields,
    });
  }
  return derived;
}

/**
 * The same, for ConfigMaps read from files (`kubectl -n kube-system get cm kubelet-config -o yaml`): each derived
 * configuration is located at the ConfigMap's `data.kubelet`, where its text is. As in a snapshot, the ConfigMap
 * stands in only for kubelets not otherwise seen: files that hold KubeletConfigurations (nodes' own) derive nothing.
 */
export function derivedKubeletEntries(entries: readonly InventoryEntry[]): InventoryEntry[] {
  const derived: InventoryEntry[] = [];
  if (entries.some((entry) => entry.ref.kind === 'KubeletConfiguration')) return derived;
  for (const entry of entries) {
    const source = entry.source;
    if (source.type !== 'file' || entry.ref.kind !== 'ConfigMap') continue;
    for (const object of derivedKubeletConfigs([entry.object]))
      derived.push({
        object,
        ref: refOf(object),
        source: { ...source, locate: () => source.locate(['data', 'kubelet']) },
      });
  }
  return derived;
}
