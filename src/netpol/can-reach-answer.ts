// The answer to "can A reach B", explained: per direction, which policies isolate and which rules admit; for a
// range of outside addresses, one answer per piece of the range. Plain data for JSON, rendered as text elsewhere.
import { PalisadeError } from '../core/errors.ts';
import { formatRef, type ObjectRef } from '../core/kube-object.ts';
import { reachAcrossRange } from './address-segments.ts';
import {
  type ConnectionSet,
  connectionsToJson,
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

/** `--port 443`, `443/TCP`, `53/udp`, `http` (a named container port of the destination). */
export interface PortQuery {
  protocol: Protocol;
  port: number | string;
}

export function parsePortQuery(text: string): PortQuery {
  const [portText = '', protocolText = 'TCP', extra] = text.trim().split('/');
  const protocol = protocolText.toUpperCase();
  if (extra !== undefined || !isProtocol(protocol) || portText === '')
    throw new PalisadeError(
      'usage',
      `--port "${text}": write PORT or PORT/PROTOCOL (TCP, UDP, SCTP), e.g. 443/TCP or 53/UDP`,
    );
  if (/^\d+$/.test(portText)) {
    const port = Number(portText);
    if (port < 1 || port > 65535) throw new PalisadeError('usage', `--port "${text}": a port is 1-65535`);
    return { protocol, port };
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(portText))
    throw new PalisadeError('usage', `--port "${text}": not a port number or a port name`);
  return { protocol, port: portText };
}

export interface RuleGrantView {
  policy: string;
  rule: string;
  connections: string;
  note?: string;
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
  reachable: boolean;
  allowed: string;
  allowedPorts: Partial<Record<Protocol, string[]>>;
  egress?: DirectionView;
  ingress?: DirectionView;
}

export interface CanReachAnswer {
  from: string;
  to: string;
  port?: string;
  /** Reachable on the port asked (or on anything, without --port); for ranges: from/to some address of it. */
  reachable: boolean;
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
    return view;
  });
  const word = verdict.direction === 'ingress' ? 'from' : 'to';
  let explanation: string;
  if (!verdict.isolated)
    explanation =
      verdict.notes.length > 0
        ? `not isolated: ${verdict.subject} is on the host network`
        : `not isolated: no NetworkPolicy selects ${verdict.subject} for ${verdict.direction}, so everything is allowed`;
  else if (verdict.grants.length === 0)
    explanation = `denied: ${verdict.policies.length === 1 ? 'the policy' : `all ${verdict.policies.length} policies`} selecting ${verdict.subject} for ${verdict.direction} ${verdict.policies.length === 1 ? 'has' : 'have'} no rule admitting ${word} ${other}`;
  else
    explanation = `isolated; ${other} is admitted by ${grants.length} rule${grants.length === 1 ? '' : 's'}: ${formatConnections(verdict.allowed)}`;
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

/** The connections the port query stands for toward `to` (a named port resolves on the destination's containers). */
function queriedConnections(query: PortQuery, to: Peer): ConnectionSet {
  if (typeof query.port === 'number') return portsOf(query.protocol, query.port);
  if (to.type !== 'pod')
    throw new PalisadeError(
      'usage',
      `--port ${query.port}: a named port needs a pod or workload as destination`,
    );
  const found = to.endpoint.ports.filter((p) => p.name === query.port && p.protocol === query.protocol);
  if (found.length === 0)
    throw new PalisadeError(
      'usage',
      `--port ${query.port}/${query.protocol}: ${to.endpoint.id} has no container port of that name (its ports: ${to.endpoint.ports.map((p) => `${p.name || '(unnamed)'} ${p.port}/${p.protocol}`).join(', ') || 'none declared'})`,
    );
  return union(NO_CONNECTIONS, ...found.map((p) => portsOf(query.protocol, p.port)));
}

function view(
  reachability: Reachability,
  fromName: string,
  toName: string,
  wanted: ConnectionSet | undefined,
): ReachView {
  const effective = wanted ? intersect(reachability.allowed, wanted) : reachability.allowed;
  const out: ReachView = {
    reachable: !isEmpty(effective),
    allowed: formatConnections(reachability.allowed),
    allowedPorts: connectionsToJson(reachability.allowed),
  };
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
  const wanted = port
    ? toPeer
      ? queriedConnections(port, toPeer)
      : queriedConnections(port, { type: 'address', family: 4, value: 0n })
    : undefined;
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
  const result: CanReachAnswer = {
    from: fromName,
    to: toName,
    reachable: answers.some((answer) => answer.reachable),
    answers,
  };
  if (port) result.port = `${port.port}/${port.protocol}`;
  return result;
}
