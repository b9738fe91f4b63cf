// CIS 4.3.1: kube-proxy's metrics endpoint (plain HTTP, no authentication) listens on loopback only. Read from the
// KubeProxyConfiguration kubeadm keeps in ConfigMap kube-system/kube-proxy (key `config.conf`), or from a
// KubeProxyConfiguration file.
import { load } from 'js-yaml';
import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import { isLoopback } from '../../core/loopback.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';

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

/** The KubeProxyConfiguration documents of a kube-system ConfigMap, with their data keys. */
function configsInConfigMap(obj: KubeObject): { key: string; config: Record<string, unknown> }[] {
  if (obj.metadata.namespace !== 'kube-system' || !isRecord(obj.data)) return [];
  const found: { key: string; config: Record<string, unknown> }[] = [];
  for (const [key, text] of Object.entries(obj.data)) {
    // Only text that names the kind is parsed: every other ConfigMap of kube-system costs a substring search.
    if (typeof text !== 'string' || !text.includes('KubeProxyConfiguration')) continue;
    let config: unknown;
    try {
      config = load(text);
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
  kinds: ['ConfigMap', 'KubeProxyConfiguration'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['4.3.1'] },
  description:
    "kube-proxy serves its metrics over plain HTTP with no authentication on `metricsBindAddress`; bound beyond loopback, anyone who reaches a node's port 10249 reads the cluster's Services and endpoints counts, and `/proxyMode`. " +
    'An empty or missing value is defaulted to 127.0.0.1:10249. ' +
    "Data: the KubeProxyConfiguration in ConfigMap kube-system/kube-proxy (kubeadm's `config.conf`), or a KubeProxyConfiguration file. A kube-proxy started with flags only (`--metrics-bind-address`) is not read.",
  remediation:
    'Set `metricsBindAddress: 127.0.0.1:10249` (or leave it empty) and scrape the metrics through a local agent; if Prometheus must reach them, put them behind an authenticating proxy.',
  references: [
    'https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/',
    'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-proxy/',
  ],
  examples: {
    pass: [configMap(''), configMap('127.0.0.1:10249'), proxyConfig({ mode: 'ipvs' })],
    fail: [configMap('0.0.0.0:10249'), proxyConfig({ metricsBindAddress: '[::]:10249' })],
  },
  check: (obj) => {
    const name = obj.metadata.name ?? '';
    const violations: Violation[] = [];
    if (obj.kind === 'KubeProxyConfiguration') {
      const problem = exposed(obj.metricsBindAddress);
      if (problem)
        violations.push({ message: `kube-proxy ${name}: ${problem}`, path: ['metricsBindAddress'] });
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
