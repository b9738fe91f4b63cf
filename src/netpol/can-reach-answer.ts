// The answer to "can A reach B", explained: per direction, which policies isolate and which rules admit; for a
// range of outside addresses, one answer per piece of the range. Plain data for JSON, rendered as text elsewhere.
import { PalisadeError } from '../core/errors.ts';
import { formatRef, type ObjectRef } from '../core/kube-object.ts';
import { reachAcrossRange } from './address-segments.ts';
import {
  type ConnectionSet,
  connectionsToJson,
  equals,
  formatConnections,
  intersect,
  isEmpty,
  isProtocol,
  NO_CONNECTIONS,
  type Protocol,
  portsOf,
  union,
} from './connection-set.ts';
import { formatRange } from './ip-range.ts';
import type { PeerReference } from './peer-reference.ts';
import type { DirectionVerdict, Peer, Reachability, ReachabilityEngine } from './reachability.ts';

/**
 * `--port 443`, `443/TCP`, `53/udp`, `dns` or `dns/UDP` (a named container port of the destination). A number is
 * TCP unless told; a bare name takes the protocol of the container port of that name.
 */
export type PortQuery = { protocol: Protocol; port: number } | { protocol?: Protocol; port: string };

export function parsePortQuery(text: string): PortQuery {
  const [portText = '', protocolText, extra] = text.trim().split('/');
  const protocol = protocolText?.toUpperCase();
  if (extra !== undefined || (protocol !== undefined && !isProtocol(protocol)) || portText === '')
    throw new PalisadeError(
      'usage',
      `--port "${text}": write PORT or PORT/PROTOCOL (TCP, UDP, SCTP), e.g. 443/TCP or 53/UDP`,
    );
  if (/^\d+$/.test(portText)) {
    const port = Number(portText);
    if (port < 1 || port > 65535) throw new PalisadeError('usage', `--port "${text}": a port is 1-65535`);
    return { protocol: protocol ?? 'TCP', port };
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(portText))
    throw new PalisadeError('usage', `--port "${text}": not a port number or a port name`);
  return protocol === undefined ? { port: portText } : { protocol, port: portText };
}

/**
 * `reachable` and `unreachable` are sure; `node-dependent`: allowed only if a host-network side's node address is
 * in the ipBlocks that could admit it, which manifests do not tell.
 */
export type CanReachVerdict = 'reachable' | 'unreachable' | 'node-dependent';

export interface RuleGrantView {
  policy: string;
  rule: string;
  connections: string;
  note?: string;
  /** The grant holds only if this is true (a host-network peer's node address in the rule's ipBlock). */
  condition?: string;
}

export interface DirectionView {
  direction: 'egress' | 'ingress';
  subject: string;
  isolated: boolean;
  policies: string[];
  allowed: string;
  allowedPorts: Partial<Record<Protocol, string[]>>;
  grants: RuleGrantView[];
  /** Rules of the selecting policies that do not admit the other side, with the selector that fails. */
  notAdmittedBy: { policy: string; rule: string; reason: string }[];
  explanation: string;
  notes: string[];
}

export interface ReachView {
  /** The outside address range this answer is about, for range queries. */
  addresses?: string;
  /** Reachable for sure (on the port asked). */
  reachable: boolean;
  verdict: CanReachVerdict;
  /** Allowed for sure. */
  allowed: string;
  allowedPorts: Partial<Record<Protocol, string[]>>;
  /** What more is allowed if the node address matches the ipBlocks that could admit it (only when there is more). */
  nodeDependent?: { allowed: string; allowedPorts: Partial<Record<Protocol, string[]>> };
  /** Said of the answer as a whole: why a pod reaches itself, what a workload paired with itself stands for. */
  note?: string;
  egress?: DirectionView;
  ingress?: DirectionView;
}

export interface CanReachAnswer {
  from: string;
  to: string;
  port?: string;
  /** Reachable for sure on the port asked (or on anything, without --port); for ranges: from/to some address of it. */
  reachable: boolean;
  /** `reachable` when some answer is; else `node-dependent` when some answer is; else `unreachable`. */
  verdict: CanReachVerdict;
  answers: ReachView[];
}

function ruleName(direction: 'egress' | 'ingress', rule: number, peer: number | undefined): string {
  const field = direction === 'ingress' ? 'from' : 'to';
  return peer === undefined
    ? `${direction}[${rule}] (no ${field}: any peer)`
    : `${direction}[${rule}].${field}[${peer}]`;
}

function policyName(ref: ObjectRef): string {
  return formatRef({ ...ref, kind: 'NetworkPolicy' });
}

function directionView(verdict: DirectionVerdict, other: string): DirectionView {
  const grants = verdict.grants.map((grant) => {
    const view: RuleGrantView = {
      policy: policyName(grant.policy),
      rule: ruleName(grant.direction, grant.rule, grant.peer),
      connections: formatConnections(grant.connections),
    };
    if (grant.note !== undefined) view.note = grant.note;
    if (grant.condition !== undefined) view.condition = grant.condition;
    return view;
  });
  const word = verdict.direction === 'ingress' ? 'from' : 'to';
  const sure = grants.filter((grant) => grant.condition === undefined).length;
  const conditional = grants.length - sure;
  const rules = (count: number) => `${count} rule${count === 1 ? '' : 's'}`;
  let explanation: string;
  if (!verdict.isolated)
    explanation =
      verdict.notes.length > 0
        ? `not isolated: ${verdict.subject} is on the host network`
        : `not isolated: no NetworkPolicy selects ${verdict.subject} for ${verdict.direction}, so everything is allowed`;
  else if (verdict.grants.length === 0)
    explanation = `denied: ${verdict.policies.length === 1 ? 'the policy' : `all ${verdict.policies.length} policies`} selecting ${verdict.subject} for ${verdict.direction} ${verdict.policies.length === 1 ? 'has' : 'have'} no rule admitting ${word} ${other}`;
  else if (isEmpty(verdict.possible))
    // Rules that match the peer but whose ports are all invalid, or name a port the destination does not declare.
    explanation = `denied: ${rules(grants.length)} ${grants.length === 1 ? 'matches' : 'match'} ${other}, but on no port (see below)`;
  else if (sure === 0)
    explanation = `depends on the node address: ${other} is admitted by ${rules(conditional)} only if its node's address is in the ipBlock${conditional === 1 ? '' : 's'} below: ${formatConnections(verdict.possible)}`;
  else
    explanation = `isolated; ${other} is admitted by ${rules(sure)}: ${formatConnections(verdict.allowed)}${conditional > 0 ? `; by ${rules(conditional)} more if its node's address is in the ipBlock${conditional === 1 ? '' : 's'} below: ${formatConnections(verdict.possible)}` : ''}`;
  return {
    direction: verdict.direction,
    subject: verdict.subject,
    isolated: verdict.isolated,
    policies: verdict.policies.map(policyName),
    allowed: formatConnections(verdict.allowed),
    allowedPorts: connectionsToJson(verdict.allowed),
    grants,
    notAdmittedBy: verdict.misses.map((miss) => ({
      policy: policyName(miss.policy),
      rule: `${verdict.direction}[${miss.rule}]`,
      reason: miss.reason,
    })),
    explanation,
    notes: [...verdict.notes],
  };
}

/**
 * The connections the port query stands for toward `to`, and how to name it: a named port resolves on the
 * destination's container ports, with their protocol unless the query gives one.
 */
function queriedConnections(query: PortQuery, to: Peer): { connections: ConnectionSet; label: string } {
  if (typeof query.port === 'number')
    return {
      connections: portsOf(query.protocol ?? 'TCP', query.port),
      label: `${query.port}/${query.protocol ?? 'TCP'}`,
    };
  const asked = query.protocol === undefined ? query.port : `${query.port}/${query.protocol}`;
  if (to.type !== 'pod')
    throw new PalisadeError('usage', `--port ${asked}: a named port needs a pod or workload as destination`);
  const found = to.endpoint.ports.filter(
    (p) => p.name === query.port && (query.protocol === undefined || p.protocol === query.protocol),
  );
  if (found.length === 0)
    throw new PalisadeError(
      'usage',
      `--port ${asked}: ${to.endpoint.id} has no ${query.protocol ?? ''}${query.protocol ? ' ' : ''}container port of that name (its ports: ${to.endpoint.ports.map((p) => `${p.name || '(unnamed)'} ${p.port}/${p.protocol}`).join(', ') || 'none declared'})`,
    );
  const protocols = [...new Set(found.map((p) => p.protocol))];
  return {
    connections: union(NO_CONNECTIONS, ...found.map((p) => portsOf(p.protocol, p.port))),
    label: `${query.port}/${protocols.join(',')}`,
  };
}

function view(
  reachability: Reachability,
  fromName: string,
  toName: string,
  wanted: ConnectionSet | undefined,
): ReachView {
  const sure = wanted ? intersect(reachability.allowed, wanted) : reachability.allowed;
  const possible = wanted ? intersect(reachability.possible, wanted) : reachability.possible;
  const reachable = !isEmpty(sure);
  const out: ReachView = {
    reachable,
    verdict: reachable ? 'reachable' : isEmpty(possible) ? 'unreachable' : 'node-dependent',
    allowed: formatConnections(reachability.allowed),
    allowedPorts: connectionsToJson(reachability.allowed),
  };
  if (!equals(reachability.allowed, reachability.possible))
    out.nodeDependent = {
      allowed: formatConnections(reachability.possible),
      allowedPorts: connectionsToJson(reachability.possible),
    };
  if (reachability.note !== undefined) out.note = reachability.note;
  if (reachability.egress) out.egress = directionView(reachability.egress, toName);
  if (reachability.ingress) out.ingress = directionView(reachability.ingress, fromName);
  return out;
}

function peerName(reference: PeerReference): string {
  return reference.type === 'pod' ? reference.endpoint.id : reference.text;
}

export function answerCanReach(
  engine: ReachabilityEngine,
  from: PeerReference,
  to: PeerReference,
  port: PortQuery | undefined,
): CanReachAnswer {
  if (from.type === 'range' && to.type === 'range')
    throw new PalisadeError(
      'usage',
      'can-reach needs a pod or workload on at least one side: traffic between outside addresses is not governed by NetworkPolicy',
    );
  const fromName = peerName(from);
  const toName = peerName(to);
  const toPeer: Peer | undefined = to.type === 'pod' ? { type: 'pod', endpoint: to.endpoint } : undefined;
  const query = port
    ? queriedConnections(port, toPeer ?? { type: 'address', family: 4, value: 0n })
    : undefined;
  const wanted = query?.connections;
  const answers: ReachView[] = [];
  if (from.type === 'pod' && to.type === 'pod')
    answers.push(
      view(
        engine.reach({ type: 'pod', endpoint: from.endpoint }, { type: 'pod', endpoint: to.endpoint }),
        fromName,
        toName,
        wanted,
      ),
    );
  else {
    const pod = from.type === 'pod' ? from.endpoint : to.type === 'pod' ? to.endpoint : undefined;
    const range = from.type === 'range' ? from.range : to.type === 'range' ? to.range : undefined;
    if (!pod || !range) throw new PalisadeError('internal', 'can-reach: unreachable combination of peers');
    for (const segment of reachAcrossRange(
      engine,
      pod,
      from.type === 'range' ? 'ingress' : 'egress',
      range,
    )) {
      const addresses = formatRange(segment.range);
      const answer = view(
        segment.reachability,
        from.type === 'range' ? addresses : fromName,
        to.type === 'range' ? addresses : toName,
        wanted,
      );
      answers.push({ addresses, ...answer });
    }
  }
  const reachable = answers.some((answer) => answer.reachable);
  const result: CanReachAnswer = {
    from: fromName,
    to: toName,
    reachable,
    verdict: reachable
      ? 'reachable'
      : answers.some((answer) => answer.verdict === 'node-dependent')
        ? 'node-dependent'
        : 'unreachable',
    answers,
  };
  if (query) result.port = query.label;
  return result;
}
