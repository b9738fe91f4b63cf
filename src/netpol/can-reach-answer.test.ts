// The can-reach answer as users read it (text and JSON data): a pod to itself, node-dependent answers, --port NAME.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PalisadeError } from '../core/errors.ts';
import { Inventory } from '../core/inventory.ts';
import type { KubeObject } from '../core/kube-object.ts';
import { answerCanReach, parsePortQuery } from './can-reach-answer.ts';
import { renderCanReachText } from './can-reach-text.ts';
import { renderMatrixText } from './matrix-text.ts';
import { namespaceMatrix } from './namespace-matrix.ts';
import { resolvePeerReference } from './peer-reference.ts';
import { ReachabilityEngine } from './reachability.ts';

function workload(
  kind: 'Pod' | 'Deployment' | 'DaemonSet',
  name: string,
  labels: Record<string, string>,
  spec: Record<string, unknown>,
): KubeObject {
  const podSpec = { containers: [{ name: 'c', image: 'x:1' }], ...spec };
  if (kind === 'Pod')
    return { apiVersion: 'v1', kind, metadata: { name, namespace: 'shop', labels }, spec: podSpec };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: 'shop' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  };
}

function policy(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'shop' },
    spec,
  };
}

const dns = workload(
  'Pod',
  'dns',
  { app: 'dns' },
  {
    containers: [
      {
        name: 'c',
        image: 'x:1',
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53 },
          { name: 'sctp-port', containerPort: 9000, protocol: 'SCTP' },
        ],
      },
    ],
  },
);
const client = workload('Pod', 'client', { app: 'client' }, {});
const agent = workload('DaemonSet', 'agent', { app: 'agent' }, { hostNetwork: true });
const DENY_ALL = policy('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

function ask(objects: KubeObject[], from: string, to: string, port?: string) {
  const engine = new ReachabilityEngine(Inventory.of(objects));
  return answerCanReach(
    engine,
    resolvePeerReference(from, engine.endpoints, 'from'),
    resolvePeerReference(to, engine.endpoints, 'to'),
    port === undefined ? undefined : parsePortQuery(port),
  );
}

describe('can-reach: a pod to itself', () => {
  it('is reachable under default deny, with the reason, in JSON and text', () => {
    const answer = ask([dns, DENY_ALL], 'shop/dns', 'shop/dns', '53/UDP');
    assert.equal(answer.reachable, true);
    assert.equal(answer.verdict, 'reachable');
    assert.equal(answer.answers[0]?.allowed, 'all');
    assert.match(answer.answers[0]?.note ?? '', /cannot block .*itself/);
    const text = renderCanReachText(answer);
    assert.match(text, /^REACHABLE on 53\/UDP \(allowed: all\)$/m);
    assert.match(text, /^ {2}note: .*cannot block .*itself/m);
  });

  it('the matrix legend says a pod to itself is always allowed and not counted', async () => {
    const engine = new ReachabilityEngine(Inventory.of([dns, DENY_ALL]));
    const matrix = await namespaceMatrix(engine);
    assert.equal(matrix.cells.find((c) => c.from === 'shop' && c.to === 'shop')?.verdict, 'n/a');
    assert.match(renderMatrixText(matrix), /itself .*always allowed/);
  });
});

describe('can-reach: a host-network source matched by a narrow ipBlock depends on the node address', () => {
  const narrow = policy('dns', {
    podSelector: { matchLabels: { app: 'dns' } },
    ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 53, protocol: 'UDP' }] }],
  });

  it('is neither reachable nor unreachable, and says on what it depends', () => {
    const answer = ask([dns, agent, narrow], 'ds/shop/agent', 'shop/dns');
    assert.equal(answer.reachable, false);
    assert.equal(answer.verdict, 'node-dependent');
    const view = answer.answers[0];
    assert.equal(view?.verdict, 'node-dependent');
    assert.equal(view?.nodeDependent?.allowed, 'UDP 53');
    assert.match(view?.ingress?.explanation ?? '', /node address/);
    assert.match(view?.ingress?.grants[0]?.condition ?? '', /10\.0\.0\.0\/8/);
    const text = renderCanReachText(answer);
    assert.match(
      text,
      /^DEPENDS ON THE NODE ADDRESS \(allowed: none; if the node address matches: UDP 53\)$/m,
    );
    assert.doesNotMatch(text, /NOT REACHABLE/);
  });

  it('a port the node-dependent rules do not open is plainly unreachable', () => {
    const answer = ask([dns, agent, narrow], 'ds/shop/agent', 'shop/dns', '80');
    assert.equal(answer.verdict, 'unreachable');
  });

  it('the matrix counts such pairs apart instead of calling them blocked', async () => {
    const engine = new ReachabilityEngine(Inventory.of([dns, agent, narrow]));
    const cell = (await namespaceMatrix(engine)).cells.find((c) => c.from === 'shop' && c.to === 'shop');
    // agent → dns depends on the node address; dns → agent and agent with itself are open (agent is not isolated).
    assert.equal(cell?.dependent, 1);
    assert.match(renderMatrixText(await namespaceMatrix(engine)), /1 node-dependent/);
  });
});

describe('--port NAME takes the protocol of the destination container port', () => {
  it('a bare name keeps no protocol; NAME/PROTOCOL picks one', () => {
    assert.deepEqual(parsePortQuery('dns'), { port: 'dns' });
    assert.deepEqual(parsePortQuery('dns/udp'), { protocol: 'UDP', port: 'dns' });
    assert.deepEqual(parsePortQuery('53'), { protocol: 'TCP', port: 53 });
  });

  it('resolves a UDP or SCTP name to its protocol and port', () => {
    const open = [dns, client];
    const udp = ask(open, 'shop/client', 'shop/dns', 'dns');
    assert.equal(udp.port, 'dns/UDP');
    assert.equal(udp.reachable, true);
    assert.equal(ask(open, 'shop/client', 'shop/dns', 'sctp-port').port, 'sctp-port/SCTP');
    // Only UDP 53 open: the TCP name is unreachable, the UDP one reachable.
    const udpOnly = policy('udp', {
      podSelector: { matchLabels: { app: 'dns' } },
      ingress: [{ ports: [{ port: 53, protocol: 'UDP' }] }],
    });
    assert.equal(ask([...open, udpOnly], 'shop/client', 'shop/dns', 'dns').reachable, true);
    assert.equal(ask([...open, udpOnly], 'shop/client', 'shop/dns', 'dns-tcp').reachable, false);
  });

  it('a name with the wrong protocol is a usage error naming the ports', () => {
    assert.throws(
      () => ask([dns, client], 'shop/client', 'shop/dns', 'dns/TCP'),
      (error: unknown) =>
        error instanceof PalisadeError && error.code === 'usage' && /dns 53\/UDP/.test(error.message),
    );
  });
});
