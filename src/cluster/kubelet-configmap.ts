// kubeadm's cluster-wide kubelet configuration (ConfigMap kube-system/kubelet-config, key `kubelet`), read as a
// KubeletConfiguration when the live configuration of a node cannot be: every kubeadm node starts from it.
import { load } from 'js-yaml';
import { isRecord, type KubeObject } from '../core/kube-object.ts';
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
