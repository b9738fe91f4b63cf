// CIS 4.3.1: kube-proxy's metrics endpoint (plain HTTP, no authentication) listens on loopback only. Read from the
// KubeProxyConfiguration kubeadm keeps in ConfigMap kube-system/kube-proxy (key `config.conf`), from a
// KubeProxyConfiguration file, or from the flags of a kube-proxy started without `--config`.
import { load } from 'js-yaml';
import type { Inventory } from '../../core/inventory.ts';
import { isRecord, type KubeObject, nameOf } from '../../core/kube-object.ts';
import { isLoopback } from '../../core/loopback.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { KUBERNETES_YAML_SCHEMA } from '../../inputs/yaml-schema.ts';
import { object } from '../example-objects.ts';
import { type ComponentProcess, componentProcesses } from './control-plane-flags.ts';

const API_VERSION = 'kubeproxy.config.k8s.io/v1alpha1';

function proxyConfig(fields: Record<string, unknown>): KubeObject {
  return object(API_VERSION, 'KubeProxyConfiguration', 'kube-proxy', fields);
}

function configMap(metricsBindAddress: string): KubeObject {
  return object(
    'v1',
    'ConfigMap',
    'kube-proxy',
    {
      data: {
        'config.conf': `apiVersion: ${API_VERSION}\nkind: KubeProxyConfiguration\nmetricsBindAddress: "${metricsBindAddress}"\nmode: iptables\n`,
      },
    },
    { namespace: 'kube-system' },
  );
}

/** kube-proxy as kubeadm runs it: a DaemonSet in kube-system, here with the given command line. */
function daemonSet(command: string[]): KubeObject {
  return object(
    'apps/v1',
    'DaemonSet',
    'kube-proxy',
    {
      spec: {
        selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
        template: {
          metadata: { labels: { 'k8s-app': 'kube-proxy' } },
          spec: {
            containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.31.0', command }],
          },
        },
      },
    },
    { namespace: 'kube-system' },
  );
}

/**
 * The host part of `host:port`, `[v6]:port`, `:port` or a bare host. An empty host (`:10249`) is every address,
 * as Go's net.Listen reads it.
 */
function hostOf(address: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(address);
  if (bracketed) return bracketed[1] as string;
  const colons = address.split(':').length - 1;
  // One colon: host:port. More: a bare IPv6 address.
  return colons === 1 ? (address.split(':')[0] as string) : address;
}

/** What the address exposes, or undefined when it stays on loopback. The defaulting fills in 127.0.0.1:10249. */
function exposed(address: unknown): string | undefined {
  if (address === undefined || address === null || address === '') return undefined;
  if (typeof address !== 'string') return `metricsBindAddress ${JSON.stringify(address)} is not an address`;
  const host = hostOf(address.trim());
  if (isLoopback(host)) return undefined;
  return host === '' || host === '0.0.0.0' || host === '::'
    ? `the metrics endpoint listens on every address (${address})`
    : `the metrics endpoint listens on ${address}, not loopback`;
}

/**
 * kube-proxy processes that take their settings from flags: with `--config` the file decides and kube-proxy ignores
 * the other flags (so the file, through its ConfigMap, is what is checked), and an unreadable command line shows
 * nothing. Only kube-system's (or a manifest's without a namespace): a kube-proxy elsewhere is not the node's.
 */
function flagsOnlyProcesses(obj: KubeObject): ComponentProcess[] {
  const namespace = obj.metadata.namespace;
  if (namespace !== undefined && namespace !== 'kube-system') return [];
  return componentProcesses(obj, 'kube-proxy').filter(
    (process) => process.unobservable === undefined && !process.flags.has('config'),
  );
}

/** The KubeProxyConfiguration documents of a kube-system ConfigMap, with their data keys. */
function configsInConfigMap(obj: KubeObject): { key: string; config: Record<string, unknown> }[] {
  if (obj.metadata.namespace !== 'kube-system' || !isRecord(obj.data)) return [];
  const found: { key: string; config: Record<string, unknown> }[] = [];
  for (const [key, text] of Object.entries(obj.data)) {
    // Only text that names the kind is parsed: every other ConfigMap of kube-system costs a substring search.
    if (typeof text !== 'string' || !text.includes('KubeProxyConfiguration')) continue;
    let config: unknown;
    try {
      config = load(text, { schema: KUBERNETES_YAML_SCHEMA });
    } catch {
      continue;
    }
    if (isRecord(config) && config.kind === 'KubeProxyConfiguration') found.push({ key, config });
  }
  return found;
}

export default defineRule({
  id: 'kube-proxy-metrics-bind',
  title: 'kube-proxy metrics are served beyond loopback',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['ConfigMap', 'KubeProxyConfiguration', 'DaemonSet', 'Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['4.3.1'] },
  description:
    "kube-proxy serves its metrics over plain HTTP with no authentication on `metricsBindAddress`; bound beyond loopback, anyone who reaches a node's port 10249 reads the cluster's Services and endpoints counts, and `/proxyMode`. " +
    'An empty or missing value is defaulted to 127.0.0.1:10249. ' +
    "Data: the KubeProxyConfiguration in ConfigMap kube-system/kube-proxy (kubeadm's `config.conf`), or a KubeProxyConfiguration file; for a kube-proxy started without `--config` (a DaemonSet or a static pod in kube-system), its `--metrics-bind-address` flag, which `--config` makes kube-proxy ignore.",
  remediation:
    'Set `metricsBindAddress: 127.0.0.1:10249` (or leave it empty) and scrape the metrics through a local agent; if Prometheus must reach them, put them behind an authenticating proxy.',
  references: [
    'https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/',
    'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-proxy/',
  ],
  examples: {
    pass: [
      configMap(''),
      configMap('127.0.0.1:10249'),
      proxyConfig({ mode: 'ipvs' }),
      daemonSet([
        '/usr/local/bin/kube-proxy',
        '--config=/var/lib/kube-proxy/config.conf',
        '--metrics-bind-address=0.0.0.0:10249',
      ]),
      daemonSet(['kube-proxy', '--kubeconfig=/var/lib/kube-proxy/kubeconfig', '--v=2']),
    ],
    fail: [
      configMap('0.0.0.0:10249'),
      proxyConfig({ metricsBindAddress: '[::]:10249' }),
      daemonSet(['kube-proxy', '--masquerade-all', '--metrics-bind-address', '0.0.0.0:10249']),
    ],
  },
  check: (obj) => {
    const name = nameOf(obj);
    const violations: Violation[] = [];
    if (obj.kind === 'KubeProxyConfiguration') {
      const problem = exposed(obj.metricsBindAddress);
      if (problem)
        violations.push({ message: `kube-proxy ${name}: ${problem}`, path: ['metricsBindAddress'] });
      return violations;
    }
    if (obj.kind === 'DaemonSet' || obj.kind === 'Pod') {
      for (const process of flagsOnlyProcesses(obj)) {
        const flag = process.flags.get('metrics-bind-address');
        const problem = exposed(flag?.value);
        if (problem)
          violations.push({
            message: `kube-proxy (container "${process.container}", no --config): ${problem}`,
            path: flag?.path ?? process.argvPath,
            container: process.container,
          });
      }
      return violations;
    }
    for (const { key, config } of configsInConfigMap(obj)) {
      const problem = exposed(config.metricsBindAddress);
      if (problem)
        violations.push({
          message: `kube-proxy configuration in ConfigMap kube-system/${name} (key ${key}): ${problem}`,
          path: ['data', key],
        });
    }
    return violations;
  },
});

/**
 * Whether the scanned objects show kube-proxy's metrics setting at all: a KubeProxyConfiguration (as a file, or in a
 * kube-system ConfigMap), or a kube-proxy running on flags alone.
 */
export function kubeProxyObservable(inventory: Inventory): boolean {
  return (
    inventory.ofKind('KubeProxyConfiguration').length > 0 ||
    inventory.ofKind('ConfigMap').some((entry) => configsInConfigMap(entry.object).length > 0) ||
    [...inventory.ofKind('DaemonSet'), ...inventory.ofKind('Pod')].some(
      (entry) => flagsOnlyProcesses(entry.object).length > 0,
    )
  );
}
