// Pod Security Admission's cluster-wide defaults and exemptions, from a scanned AdmissionConfiguration (the file
// kube-apiserver's --admission-control-config-file names): the level a namespace without an enforce label gets.
import type { Inventory } from '../../core/inventory.ts';
import { isRecord } from '../../core/kube-object.ts';

export interface PodSecurityDefaults {
  /** The enforce level of namespaces without the label (`privileged` when the configuration leaves it out). */
  enforce: string;
  /** Namespaces Pod Security Admission does not evaluate at all. */
  exemptNamespaces: ReadonlySet<string>;
  /** `AdmissionConfiguration NAME`, for messages. */
  source: string;
}

const DEFAULTS = Symbol('pod security defaults');

/**
 * The PodSecurity plugin's inline configuration of the first scanned AdmissionConfiguration holding one; undefined
 * when none is scanned or it is given by `path` (another file, not read here).
 */
export function podSecurityDefaults(inventory: Inventory): PodSecurityDefaults | undefined {
  return inventory.derive(DEFAULTS, (all) => {
    for (const entry of all.ofKind('AdmissionConfiguration')) {
      const plugins = entry.object.plugins;
      if (!Array.isArray(plugins)) continue;
      for (const plugin of plugins) {
        if (!isRecord(plugin) || plugin.name !== 'PodSecurity' || !isRecord(plugin.configuration)) continue;
        const configuration = plugin.configuration;
        const defaults = isRecord(configuration.defaults) ? configuration.defaults : {};
        const exemptions = isRecord(configuration.exemptions) ? configuration.exemptions : {};
        const namespaces = Array.isArray(exemptions.namespaces) ? exemptions.namespaces : [];
        return {
          enforce: typeof defaults.enforce === 'string' ? defaults.enforce : 'privileged',
          exemptNamespaces: new Set(namespaces.filter((name): name is string => typeof name === 'string')),
          source: `AdmissionConfiguration ${entry.ref.name ?? ''}`.trim(),
        };
      }
    }
    return undefined;
  });
}
