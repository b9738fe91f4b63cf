import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PalisadeError } from '../core/errors.ts';
import { Inventory } from '../core/inventory.ts';
import type { KubeObject } from '../core/kube-object.ts';
import { parsePortQuery } from './can-reach-answer.ts';
import { endpointIndex } from './endpoints.ts';
import { formatRange } from './ip-range.ts';
import { resolvePeerReference } from './peer-reference.ts';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
const objects: KubeObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { template },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { template },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'shop' },
    spec: { template },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'shop' }, spec: template.spec },
];
const index = endpointIndex(Inventory.of(objects));

function id(text: string): string {
  const found = resolvePeerReference(text, index, 'from');
  return found.type === 'pod' ? found.endpoint.id : formatRange(found.range);
}

function usage(text: string): string {
  try {
    resolvePeerReference(text, index, 'to');
  } catch (error) {
    assert.ok(error instanceof PalisadeError && error.code === 'usage');
    return error.message;
  }
  assert.fail(`${text} resolved`);
}

describe('peer references', () => {
  it('resolves pods, workloads by kind or short name, and unambiguous workload names', () => {
    assert.equal(id('shop/web-0'), 'Pod/shop/web-0');
    assert.equal(id('Deployment/shop/web'), 'Deployment/shop/web');
    assert.equal(id('sts/shop/web'), 'StatefulSet/shop/web');
    assert.equal(id('daemonset/shop/agent'), 'DaemonSet/shop/agent');
    assert.equal(id('shop/agent'), 'DaemonSet/shop/agent');
  });

  it('reads addresses and CIDRs, IPv4 and IPv6', () => {
    assert.equal(id('10.0.0.0/8'), '10.0.0.0/8');
    assert.equal(id('192.0.2.1'), '192.0.2.1');
    assert.equal(id('2001:db8::/32'), '2001:db8::/32');
  });

  it('refuses what it cannot resolve, naming the candidates', () => {
    assert.match(usage('shop/web'), /ambiguous: Deployment\/shop\/web, StatefulSet\/shop\/web/);
    assert.match(usage('shop/nope'), /known in namespace "shop": Pod\/shop\/web-0, Deployment\/shop\/web/);
    assert.match(usage('other/web'), /no pods or workloads in namespace "other" \(namespaces: shop\)/);
    assert.match(usage('Service/shop/web'), /not a pod-bearing kind/);
    assert.match(usage('web'), /write namespace\/pod/);
    assert.match(usage('10.0.0.1/8'), /host bits set/);
    assert.match(usage('10.0.0.300'), /not a valid IP address/);
  });

  it('parses --port', () => {
    assert.deepEqual(parsePortQuery('443'), { protocol: 'TCP', port: 443 });
    assert.deepEqual(parsePortQuery('53/udp'), { protocol: 'UDP', port: 53 });
    assert.deepEqual(parsePortQuery('http'), { port: 'http' });
    for (const bad of ['0', '70000', '80/ICMP', '80/TCP/x', 'Bad_Name', ''])
      assert.throws(() => parsePortQuery(bad), /--port/, bad);
  });
});
