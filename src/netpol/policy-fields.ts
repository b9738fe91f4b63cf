// Readers of a NetworkPolicy's selectors, peers and ports, each refusing what the API server would refuse with a
// problem at the field's path (and what the analysis makes of it), never a silent skip.
import { type FieldPath, formatPath, isRecord } from '../core/kube-object.ts';
import {
  type LabelSelector,
  type LabelSelectorRequirement,
  requirementProblems,
} from '../core/label-selector.ts';
import { isProtocol, MAX_PORT, MIN_PORT, type Protocol } from './connection-set.ts';
import { type IpRange, isWithin, parseCidr, subtract } from './ip-range.ts';

export type PolicyPeer =
  | {
      type: 'pods';
      /** Undefined: every pod (of the namespaces below). */
      podSelector: LabelSelector | undefined;
      /** Undefined: the policy's own namespace only; a selector ({} = every namespace) otherwise. */
      namespaceSelector: LabelSelector | undefined;
      index: number;
    }
  | { type: 'ip-block'; cidr: string; except: readonly string[]; ranges: readonly IpRange[]; index: number }
  /** A peer the API server would refuse: it matches nothing. */
  | { type: 'invalid'; index: number };

export type PolicyPort =
  | { type: 'all-ports'; protocol: Protocol; index: number }
  | { type: 'number'; protocol: Protocol; port: number; endPort: number; index: number }
  | { type: 'named'; protocol: Protocol; name: string; index: number }
  | { type: 'invalid'; index: number };

/** `ipBlock 10.0.0.0/8 except 10.1.0.0/16`. */
export function formatIpBlock(peer: PolicyPeer & { type: 'ip-block' }): string {
  return `ipBlock ${peer.cidr}${peer.except.length > 0 ? ` except ${peer.except.join(', ')}` : ''}`;
}

export interface PolicyProblem {
  path: FieldPath;
  message: string;
}

const NAMED_PORT = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** What a selector the API server would refuse stands for: it selects nothing. */
const MATCHES_NOTHING: LabelSelector = { matchExpressions: [{ key: '', operator: 'In', values: [] }] };

export function readSelector(
  value: unknown,
  path: FieldPath,
  problems: PolicyProblem[],
): LabelSelector | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    problems.push({ path, message: `${formatPath(path)} is not a label selector: it matches nothing` });
    return MATCHES_NOTHING;
  }
  const expressions = value.matchExpressions;
  if (expressions !== undefined && expressions !== null && !Array.isArray(expressions)) {
    problems.push({
      path: [...path, 'matchExpressions'],
      message: 'matchExpressions is not a list: the selector matches nothing',
    });
    return MATCHES_NOTHING;
  }
  // The API server drops fields it does not know unless asked to be strict (kubectl is): `podSelector: {app: web}`
  // is then `{}`, every pod. Read as the API server keeps it, and said.
  const unknown = Object.keys(value).filter((key) => key !== 'matchLabels' && key !== 'matchExpressions');
  if (unknown.length > 0)
    problems.push({
      path: [...path, unknown[0] as string],
      message: `a label selector has no field ${unknown.join(', ')} (labels go under matchLabels): kubectl refuses the object, and an API server that accepts it drops the field, leaving a selector that matches more pods`,
    });
  let refused = false;
  if (Array.isArray(expressions))
    expressions.forEach((requirement, index) => {
      const found = requirementProblems(requirement, [...path, 'matchExpressions', index]);
      problems.push(...found);
      if (found.length > 0) refused = true;
    });
  if (refused) return MATCHES_NOTHING;
  // An empty YAML value reads as null: the same as leaving the field out.
  const selector: LabelSelector = {};
  if (value.matchLabels !== undefined && value.matchLabels !== null)
    selector.matchLabels = value.matchLabels as Record<string, string>;
  if (Array.isArray(expressions)) selector.matchExpressions = expressions as LabelSelectorRequirement[];
  return selector;
}

export function readPeer(
  value: unknown,
  path: FieldPath,
  index: number,
  problems: PolicyProblem[],
): PolicyPeer {
  if (!isRecord(value)) {
    problems.push({ path, message: 'peer is not an object: it matches nothing' });
    return { type: 'invalid', index };
  }
  const hasPods = value.podSelector !== undefined && value.podSelector !== null;
  const hasNamespaces = value.namespaceSelector !== undefined && value.namespaceSelector !== null;
  const hasBlock = value.ipBlock !== undefined && value.ipBlock !== null;
  if (hasBlock && (hasPods || hasNamespaces)) {
    problems.push({
      path,
      message:
        'ipBlock cannot be combined with podSelector or namespaceSelector (the API server refuses it): the peer matches nothing',
    });
    return { type: 'invalid', index };
  }
  if (hasBlock) return readIpBlock(value.ipBlock, [...path, 'ipBlock'], index, problems);
  if (!hasPods && !hasNamespaces) {
    problems.push({
      path,
      message:
        'peer names no podSelector, namespaceSelector or ipBlock (the API server refuses it): it matches nothing',
    });
    return { type: 'invalid', index };
  }
  return {
    type: 'pods',
    podSelector: readSelector(value.podSelector, [...path, 'podSelector'], problems),
    namespaceSelector: hasNamespaces
      ? (readSelector(value.namespaceSelector, [...path, 'namespaceSelector'], problems) ?? {})
      : undefined,
    index,
  };
}

function readIpBlock(value: unknown, path: FieldPath, index: number, problems: PolicyProblem[]): PolicyPeer {
  const cidrText = isRecord(value) ? value.cidr : undefined;
  const parsed = typeof cidrText === 'string' ? parseCidr(cidrText.trim()) : undefined;
  if (!parsed || typeof cidrText !== 'string') {
    problems.push({
      path: [...path, 'cidr'],
      message: `ipBlock.cidr ${JSON.stringify(cidrText)} is not a CIDR: the peer matches nothing`,
    });
    return { type: 'invalid', index };
  }
  // Read as meant, but said: the API server parses the text as it is and refuses the whole policy.
  if (cidrText !== cidrText.trim())
    problems.push({
      path: [...path, 'cidr'],
      message: `ipBlock.cidr ${JSON.stringify(cidrText)} has spaces around it (the API server refuses it)`,
    });
  if (parsed.hostBitsSet)
    problems.push({
      path: [...path, 'cidr'],
      message: `ipBlock.cidr ${cidrText} has host bits set; it means ${cidrText.split('/')[0]}'s network`,
    });
  const exceptTexts: string[] = [];
  const holes: IpRange[] = [];
  const except = isRecord(value) ? value.except : undefined;
  if (except !== undefined && except !== null && !Array.isArray(except))
    problems.push({ path: [...path, 'except'], message: 'ipBlock.except is not a list: it is ignored' });
  if (Array.isArray(except))
    except.forEach((text, i) => {
      const hole = typeof text === 'string' ? parseCidr(text.trim()) : undefined;
      if (!hole || typeof text !== 'string') {
        problems.push({
          path: [...path, 'except', i],
          message: `except ${JSON.stringify(text)} is not a CIDR: it is ignored`,
        });
        return;
      }
      if (text !== text.trim())
        problems.push({
          path: [...path, 'except', i],
          message: `except ${JSON.stringify(text)} has spaces around it (the API server refuses it)`,
        });
      if (
        !isWithin(hole.range, parsed.range) ||
        (hole.range.start === parsed.range.start && hole.range.end === parsed.range.end)
      )
        problems.push({
          path: [...path, 'except', i],
          message: `except ${text} is not strictly inside ${cidrText} (the API server refuses it)`,
        });
      exceptTexts.push(text);
      holes.push(hole.range);
    });
  return {
    type: 'ip-block',
    cidr: cidrText,
    except: exceptTexts,
    ranges: subtract(parsed.range, holes),
    index,
  };
}

export function readPort(
  value: unknown,
  path: FieldPath,
  index: number,
  problems: PolicyProblem[],
): PolicyPort {
  if (value === null) {
    // Decoding leaves a null list element as the empty struct: a port entry of every TCP port.
    problems.push({ path, message: 'port entry is null, which the API server stores as {}: every TCP port' });
    return { type: 'all-ports', protocol: 'TCP', index };
  }
  if (!isRecord(value)) {
    problems.push({ path, message: 'port entry is not an object: it matches nothing' });
    return { type: 'invalid', index };
  }
  const protocolValue = value.protocol ?? 'TCP';
  if (!isProtocol(protocolValue)) {
    problems.push({
      path: [...path, 'protocol'],
      message: `unknown protocol ${JSON.stringify(protocolValue)} (TCP, UDP or SCTP): the entry matches nothing`,
    });
    return { type: 'invalid', index };
  }
  const protocol = protocolValue;
  const port = value.port;
  const endPort = value.endPort;
  if (port === undefined || port === null) {
    if (endPort !== undefined && endPort !== null)
      problems.push({
        path: [...path, 'endPort'],
        message: 'endPort without port is ignored (the API server refuses it)',
      });
    return { type: 'all-ports', protocol, index };
  }
  if (typeof port === 'number') {
    if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
      problems.push({
        path: [...path, 'port'],
        message: `port ${port} is not in 1-65535: the entry matches nothing`,
      });
      return { type: 'invalid', index };
    }
    if (endPort === undefined || endPort === null)
      return { type: 'number', protocol, port, endPort: port, index };
    if (typeof endPort !== 'number' || !Number.isInteger(endPort) || endPort < port || endPort > MAX_PORT) {
      problems.push({
        path: [...path, 'endPort'],
        message: `endPort ${JSON.stringify(endPort)} must be a port from ${port} to 65535: the entry matches nothing`,
      });
      return { type: 'invalid', index };
    }
    return { type: 'number', protocol, port, endPort, index };
  }
  if (typeof port === 'string' && NAMED_PORT.test(port) && /[a-z]/.test(port) && port.length <= 15) {
    if (endPort !== undefined && endPort !== null)
      problems.push({
        path: [...path, 'endPort'],
        message: 'endPort with a named port is ignored (the API server refuses it)',
      });
    return { type: 'named', protocol, name: port, index };
  }
  problems.push({
    path: [...path, 'port'],
    message: `port ${JSON.stringify(port)} is neither a number nor a valid port name: the entry matches nothing`,
  });
  return { type: 'invalid', index };
}
