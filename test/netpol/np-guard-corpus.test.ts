// Compares the reachability engine with the expected connectivity np-guard/netpol-analyzer publishes for some of its
// scenarios (../shared/corpus/networkpolicy/np-guard-inputs), and runs the matrix over every scenario for robustness.
// Only plain Kubernetes NetworkPolicy semantics are compared; answers about AdminNetworkPolicy, OpenShift Routes and
// the ingress-controller pseudo-peer are np-guard's own model and are left out.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Inventory } from '../../src/core/inventory.ts';
import { loadManifests } from '../../src/inputs/manifest-loader.ts';
import { reachAcrossRange } from '../../src/netpol/address-segments.ts';
import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  equals,
  formatConnections,
  isAll,
  isEmpty,
  isProtocol,
  NO_CONNECTIONS,
  type Protocol,
  portsOf,
  union,
} from '../../src/netpol/connection-set.ts';
import {
  formatAddress,
  formatRange,
  fullRange,
  type IpRange,
  parseAddress,
} from '../../src/netpol/ip-range.ts';
import { namespaceMatrix } from '../../src/netpol/namespace-matrix.ts';
import { type Peer, ReachabilityEngine, type ReachabilityOptions } from '../../src/netpol/reachability.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';

const CORPUS = ['corpus', 'networkpolicy', 'np-guard-inputs'];
const skip = skipWithoutShared(...CORPUS);
const scenario = (...parts: string[]) => sharedPath(...CORPUS, ...parts);

async function engineFor(directory: string, options: ReachabilityOptions = {}): Promise<ReachabilityEngine> {
  const loaded = await loadManifests([directory]);
  return new ReachabilityEngine(new Inventory(loaded.entries), options);
}

/** np-guard writes `All Connections`, `No Connections`, `TCP 8080`, `TCP 80,443,UDP 53`, `TCP 1-100`. */
function parseNpGuardConnections(text: string): ConnectionSet {
  if (text === 'All Connections') return ALL_CONNECTIONS;
  if (text === 'No Connections') return NO_CONNECTIONS;
  let protocol: Protocol | undefined;
  const sets: ConnectionSet[] = [];
  for (const token of text.split(/[,;]\s*/)) {
    const [first = '', second] = token.trim().split(/\s+/);
    let ports = first;
    if (isProtocol(first)) {
      protocol = first;
      ports = second ?? '1-65535';
    }
    assert.ok(protocol, `cannot read np-guard connections "${text}"`);
    const [lo = '', hi = lo] = ports.split('-');
    sets.push(portsOf(protocol, Number(lo), Number(hi)));
  }
  return union(...sets);
}

function pod(engine: ReachabilityEngine, id: string): Peer {
  const endpoint = engine.endpoints.byId.get(id);
  assert.ok(endpoint, `no endpoint ${id}`);
  return { type: 'pod', endpoint };
}

describe('np-guard scenarios with published pod-to-pod answers', { skip }, () => {
  for (const [directory, file] of [
    ['onlineboutique', 'connections_map_output.txt'],
    ['onlineboutique_with_replicas', 'connections_map_with_replicas_output.txt'],
    ['onlineboutique_with_replicas_and_variants', 'connections_map_with_replicas_and_variants_output.txt'],
  ] as const)
    it(directory, async () => {
      const engine = await engineFor(scenario(directory));
      const lines = readFileSync(scenario(directory, file), 'utf8').split('\n').filter(Boolean);
      let compared = 0;
      for (const line of lines) {
        const match = /^src: (\S+), dest: (\S+), allowed conns: (.+)$/.exec(line);
        assert.ok(match, line);
        const [, src = '', dst = '', expectedText = ''] = match;
        if (src === dst) continue; // a pod talking to itself is not governed by NetworkPolicy
        const got = engine.reach(pod(engine, `Pod/${src}`), pod(engine, `Pod/${dst}`)).allowed;
        // The boolean maps say whether every connection is allowed (np-guard's onlineboutique pair shows it).
        if (expectedText === 'true' || expectedText === 'false')
          assert.equal(isAll(got), expectedText === 'true', line);
        else
          assert.ok(
            equals(got, parseNpGuardConnections(expectedText)),
            `${line}: got ${formatConnections(got)}`,
          );
        compared++;
      }
      assert.ok(compared > 100, `compared ${compared} pairs`);
    });
});

interface ConnlistRow {
  src: string;
  dst: string;
  conn: string;
}

/** `default/frontend[Deployment]` to `Deployment/default/frontend`. */
function endpointId(text: string): string | undefined {
  const match = /^([^/]+)\/([^[]+)\[(\w+)\]$/.exec(text);
  return match ? `${match[3]}/${match[1]}/${match[2]}` : undefined;
}

/** Our answers in np-guard's connlist shape: workload pairs and IPv4 ranges with at least one allowed connection. */
function connlistOf(engine: ReachabilityEngine): Map<string, ConnectionSet> {
  const out = new Map<string, ConnectionSet>();
  const range = (start: bigint, end: bigint) => `${formatAddress(4, start)}-${formatAddress(4, end)}`;
  for (const from of engine.endpoints.endpoints) {
    for (const to of engine.endpoints.endpoints) {
      if (from === to) continue;
      const allowed = engine.reach({ type: 'pod', endpoint: from }, { type: 'pod', endpoint: to }).allowed;
      if (!isEmpty(allowed)) out.set(`${from.id} => ${to.id}`, allowed);
    }
    for (const segment of reachAcrossRange(engine, from, 'ingress', fullRange(4)))
      if (!isEmpty(segment.reachability.allowed))
        out.set(
          `${range(segment.range.start, segment.range.end)} => ${from.id}`,
          segment.reachability.allowed,
        );
    for (const segment of reachAcrossRange(engine, from, 'egress', fullRange(4)))
      if (!isEmpty(segment.reachability.allowed))
        out.set(
          `${from.id} => ${range(segment.range.start, segment.range.end)}`,
          segment.reachability.allowed,
        );
  }
  return out;
}

describe('np-guard scenarios with published connection lists', { skip }, () => {
  it('netpol-analysis-example-minimal (workloads and address ranges)', async () => {
    const engine = await engineFor(scenario('netpol-analysis-example-minimal'));
    const expected = new Map<string, ConnectionSet>();
    for (const line of readFileSync(
      scenario('netpol-analysis-example-minimal', 'connlist_output.txt'),
      'utf8',
    ).split('\n')) {
      const match = /^(\S+) => (\S+) : (.+)$/.exec(line.trim());
      if (!match) continue;
      const [, src = '', dst = '', conn = ''] = match;
      expected.set(`${endpointId(src) ?? src} => ${endpointId(dst) ?? dst}`, parseNpGuardConnections(conn));
    }
    const got = connlistOf(engine);
    assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort());
    for (const [key, set] of expected) assert.ok(equals(got.get(key) ?? NO_CONNECTIONS, set), key);
  });

  it('acs-security-demos (workload pairs; the ingress-controller pseudo-peer is np-guard’s own)', async () => {
    const engine = await engineFor(scenario('acs-security-demos'));
    const rows = JSON.parse(
      readFileSync(scenario('acs-security-demos', 'connlist_output.json'), 'utf8'),
    ) as ConnlistRow[];
    const expected = new Map<string, ConnectionSet>();
    for (const row of rows) {
      const src = endpointId(row.src);
      const dst = endpointId(row.dst);
      if (src && dst) expected.set(`${src} => ${dst}`, parseNpGuardConnections(row.conn));
      else if (!row.src.startsWith('{') && !row.dst.startsWith('{'))
        expected.set(`${src ?? row.src} => ${dst ?? row.dst}`, parseNpGuardConnections(row.conn));
    }
    const got = connlistOf(engine);
    assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort());
    for (const [key, set] of expected) assert.ok(equals(got.get(key) ?? NO_CONNECTIONS, set), key);
  });
});

/** np-guard names a pod by its controlling owner (`ns/owner[ReplicaSet]`) when it has one, as the inputs' pods do. */
function npGuardNames(engine: ReachabilityEngine): Map<string, Peer> {
  const out = new Map<string, Peer>();
  for (const endpoint of engine.endpoints.endpoints) {
    const owners = endpoint.entry.object.metadata.ownerReferences;
    const owner = Array.isArray(owners) ? owners.find((o) => o?.controller === true) : undefined;
    const name = owner
      ? `${endpoint.namespace}/${owner.name}[${owner.kind}]`
      : `${endpoint.namespace}/${endpoint.ref.name}[${endpoint.ref.kind}]`;
    if (!out.has(name)) out.set(name, { type: 'pod', endpoint });
  }
  return out;
}

function parseRange(text: string): IpRange | undefined {
  const match = /^([\d.]+)-([\d.]+)$/.exec(text);
  const start = match ? parseAddress(match[1] ?? '') : undefined;
  const end = match ? parseAddress(match[2] ?? '') : undefined;
  return start && end ? { family: 4, start: start.value, end: end.value } : undefined;
}

/** Lines of np-guard's published connlist outputs (`test_outputs/connlist/<scenario>_connlist_output.txt`). */
const PUBLISHED_LINES: Record<string, [string, string, string][]> = {
  // Named ports resolved on the destination with both protocols, across namespaces.
  test_with_named_ports: [
    [
      '0.0.0.0-255.255.255.255',
      'kube-system-dummy-to-ignore/kube-dns-amd64-d66bf76db[ReplicaSet]',
      'TCP 10053,UDP 10053',
    ],
    [
      'default/cog-agents[DaemonSet]',
      'kube-system-dummy-to-ignore/kube-dns-amd64-d66bf76db[ReplicaSet]',
      'TCP 10053,UDP 10053',
    ],
    [
      'kube-system-dummy-to-ignore/kubernetes-dashboard-5b5f985bcf[ReplicaSet]',
      'kube-system-dummy-to-ignore/kube-dns-amd64-d66bf76db[ReplicaSet]',
      'TCP 10053,UDP 10053',
    ],
    ['default/cog-agents[DaemonSet]', 'vendor-system/foofoo-app[ReplicaSet]', 'All Connections'],
    ['0.0.0.0-255.255.255.255', 'vendor-system/barbar-app[ReplicaSet]', 'All Connections'],
    [
      'kube-system-dummy-to-ignore/kube-dns-amd64-d66bf76db[ReplicaSet]',
      '0.0.0.0-255.255.255.255',
      'All Connections',
    ],
  ],
  // ipBlocks with except: every piece of the address space gets its own answer (absent lines: no connections).
  ipblockstest: [
    ['0.0.0.0-9.255.255.255', 'kube-system/calico-node-tier[DaemonSet]', 'UDP 53'],
    ['10.0.0.0-10.255.255.255', 'kube-system/calico-node-tier[DaemonSet]', 'No Connections'],
    ['11.0.0.0-172.20.255.255', 'kube-system/ibm-file-plugin-7bfb8b69bf[ReplicaSet]', 'UDP 53'],
    ['172.21.0.0-172.21.255.255', 'kube-system/ibm-file-plugin-7bfb8b69bf[ReplicaSet]', 'No Connections'],
    ['172.22.0.0-172.29.255.255', 'kube-system/ibm-keepalived-watcher[DaemonSet]', 'UDP 53'],
    ['172.30.0.0-172.30.255.255', 'kube-system/vpn-858f6d9777[ReplicaSet]', 'No Connections'],
    ['172.31.0.0-255.255.255.255', 'kube-system/tiller-deploy-5c45c9966b[ReplicaSet]', 'UDP 53'],
    ['0.0.0.0-9.255.255.255', 'kube-system/heapster-7df8cb8c66[ReplicaSet]', 'All Connections'],
    ['default/cognetive-agents-agent[DaemonSet]', '0.0.0.0-255.255.255.255', 'All Connections'],
    [
      'default/cognetive-agents-agent[DaemonSet]',
      'default/cognetive-local-analyzer-7d77fb55cc[ReplicaSet]',
      'All Connections',
    ],
  ],
};

describe('np-guard scenarios: lines of the published connection lists', { skip }, () => {
  for (const [directory, lines] of Object.entries(PUBLISHED_LINES))
    it(directory, async () => {
      // np-guard applies policies to host-network pods like any other (ipblockstest's pods are all on the host
      // network); the API leaves that to the plugin, so the comparison runs in that mode.
      const engine = await engineFor(scenario(directory), { hostNetwork: 'pod' });
      const names = npGuardNames(engine);
      for (const [src, dst, conn] of lines) {
        const expected = parseNpGuardConnections(conn);
        const label = `${src} => ${dst} : ${conn}`;
        const from = names.get(src);
        const to = names.get(dst);
        const range = parseRange(from ? dst : src);
        if (from && to) {
          assert.ok(equals(engine.reach(from, to).allowed, expected), label);
          continue;
        }
        const pod = from ?? to;
        assert.ok(pod?.type === 'pod' && range, `cannot resolve ${label}`);
        for (const segment of reachAcrossRange(engine, pod.endpoint, from ? 'egress' : 'ingress', range))
          assert.ok(
            equals(segment.reachability.allowed, expected),
            `${label}: got ${formatConnections(segment.reachability.allowed)} for ${formatRange(segment.range)}`,
          );
      }
    });
});

describe('every np-guard scenario loads, gives a matrix, and the fast path agrees with the explained answer', {
  skip,
}, () => {
  it('305 scenarios', async () => {
    const directories = skip
      ? []
      : readdirSync(scenario(), { withFileTypes: true }).filter((d) => d.isDirectory());
    let withPods = 0;
    for (const directory of directories) {
      const engine = await engineFor(join(scenario(), directory.name));
      const matrix = await namespaceMatrix(engine);
      const endpoints = engine.endpoints.endpoints;
      if (endpoints.length > 0) withPods++;
      // The matrix's fast path must agree with the explained answer on every pair (but a Pod with itself, which the
      // matrix does not count: it is always allowed).
      for (const from of endpoints.slice(0, 40))
        for (const to of endpoints.slice(0, 40)) {
          if (from === to && from.ref.kind === 'Pod') continue;
          const explained = engine.reach(
            { type: 'pod', endpoint: from },
            { type: 'pod', endpoint: to },
          ).allowed;
          assert.ok(
            equals(engine.allowedBetween(from, to), explained),
            `${directory.name}: ${from.id} -> ${to.id}`,
          );
        }
      assert.equal(matrix.cells.length, (matrix.namespaces.length + 1) ** 2 - 1, directory.name);
    }
    assert.ok(withPods > 200, `${withPods} scenarios with pods`);
  });
});
