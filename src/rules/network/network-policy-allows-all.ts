import type { InventoryEntry } from '../../core/inventory.ts';
import { type FieldPath, isRecord, type KubeObject, refOf } from '../../core/kube-object.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { formatConnections, isAll } from '../../netpol/connection-set.ts';
import {
  isKubernetesNetworkPolicy,
  type PolicyPeer,
  type PolicyRule,
  readNetworkPolicy,
} from '../../netpol/policy-model.ts';
import { resolvePorts } from '../../netpol/reachability.ts';
import { object } from '../example-objects.ts';

function policy(name: string, spec: Record<string, unknown>): KubeObject {
  return object('networking.k8s.io/v1', 'NetworkPolicy', name, { spec }, { namespace: 'shop' });
}

const PASS: KubeObject[] = [
  policy('web-from-frontend', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080 }] }],
  }),
  policy('egress-to-partner', {
    podSelector: { matchLabels: { app: 'web' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 443 }] }],
  }),
  // Rules of a direction the policy does not isolate have no effect (another finding's business, not this one).
  policy('ingress-only', { podSelector: {}, policyTypes: ['Ingress'], ingress: [], egress: [{}] }),
];

const FAIL: KubeObject[] = [
  policy('allow-all-ingress', { podSelector: {}, ingress: [{}] }),
  policy('egress-anywhere', {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }],
  }),
  policy('whole-cluster', {
    podSelector: {},
    ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 9090 }] }],
  }),
];

/** What a peer opens to when it stands for everyone of a kind; undefined for a narrower peer. */
function wideOpenPeer(peer: PolicyPeer): string | undefined {
  if (peer.type === 'ip-block') {
    const prefix = peer.cidr.trim().split('/')[1];
    if (prefix !== '0') return undefined;
    const family = peer.cidr.includes(':') ? 'IPv6' : 'IPv4';
    return `every ${family} address (${peer.cidr}${peer.except.length > 0 ? ` except ${peer.except.join(', ')}` : ''})`;
  }
  if (peer.type === 'pods') {
    const everyPod = peer.podSelector === undefined || isEmptySelector(peer.podSelector);
    if (everyPod && peer.namespaceSelector !== undefined && isEmptySelector(peer.namespaceSelector))
      return 'every pod in every namespace';
  }
  return undefined;
}

function isEmptySelector(selector: object): boolean {
  if (!isRecord(selector)) return false;
  const { matchLabels, matchExpressions } = selector;
  return (
    (matchLabels === undefined || (isRecord(matchLabels) && Object.keys(matchLabels).length === 0)) &&
    (matchExpressions === undefined || (Array.isArray(matchExpressions) && matchExpressions.length === 0))
  );
}

function portsText(rule: PolicyRule): string {
  if (rule.ports === 'all') return 'on every port';
  // Named ports stay names here: what they open depends on the pods the policy selects.
  const names = rule.ports
    .filter((port) => port.type === 'named')
    .map((port) => `${port.protocol}/${port.name}`);
  const numbers = resolvePorts(
    { ...rule, ports: rule.ports.filter((port) => port.type !== 'named') },
    { type: 'address', family: 4, value: 0n },
  ).connections;
  const parts = [
    ...(isAll(numbers) || formatConnections(numbers) === 'none' ? [] : [formatConnections(numbers)]),
    ...names,
  ];
  return `on ${parts.join(', ') || 'no valid port'}`;
}

function violationsOf(entry: InventoryEntry): Violation[] {
  const model = readNetworkPolicy(entry);
  const out: Violation[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const field = direction === 'ingress' ? 'from' : 'to';
    const side = direction === 'ingress' ? 'from' : 'to';
    for (const rule of model[direction] ?? []) {
      const rulePath: FieldPath = ['spec', direction, rule.index];
      if (rule.peers === 'all') {
        const raw = (entry.object.spec as Record<string, unknown[]>)[direction]?.[rule.index];
        const present = isRecord(raw) && Array.isArray(raw[field]);
        out.push({
          message: `${direction}[${rule.index}] has ${present ? `an empty ${field}` : `no ${field}`}: it admits traffic ${side} every pod in the cluster and every address outside it, ${portsText(rule)}`,
          path: present ? [...rulePath, field] : rulePath,
        });
        continue;
      }
      for (const peer of rule.peers) {
        const wide = wideOpenPeer(peer);
        if (wide === undefined) continue;
        const peerPath: FieldPath = [...rulePath, field, peer.index];
        out.push({
          message: `${direction}[${rule.index}].${field}[${peer.index}] admits traffic ${side} ${wide}, ${portsText(rule)}`,
          path:
            peer.type === 'ip-block' ? [...peerPath, 'ipBlock', 'cidr'] : [...peerPath, 'namespaceSelector'],
        });
      }
    }
  }
  return out;
}

export default defineRule({
  id: 'network-policy-allows-all',
  title: 'NetworkPolicy rule admits every peer',
  severity: 'medium',
  domain: 'network',
  kinds: ['NetworkPolicy'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.3.2'], 'nsa-cisa': ['network-policies'], 'mitre-attack': ['T1046'] },
  description:
    'A NetworkPolicy rule with no `from` (ingress) or `to` (egress), or an empty one, admits every pod of every namespace and every address outside the cluster; so does an `ipBlock` of `0.0.0.0/0` or `::/0` for outside addresses (even with `except`), and a `namespaceSelector: {}` without a narrower `podSelector` for every pod of the cluster. ' +
    'Such a rule undoes the isolation the policy creates for the pods it selects, often by accident (an empty `- {}` rule, or a template left with `from: []`). ' +
    'Each such rule is reported with the ports it opens; rules of a direction the policy does not isolate (not in `policyTypes`) have no effect and are not reported. Deliberately public endpoints (a web server on 443) can carry the ignore annotation with the reason.',
  remediation:
    'Name the peers that need access: `podSelector` for pods of the namespace, `namespaceSelector` (with `podSelector`) for other namespaces, `ipBlock` with the real client or destination ranges; and restrict `ports` to what the workload serves or calls.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors',
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/#allow-all-ingress-traffic',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (obj) => {
    const entry: InventoryEntry = { object: obj, ref: refOf(obj), source: { type: 'inline' } };
    return isKubernetesNetworkPolicy(entry) ? violationsOf(entry) : [];
  },
});
