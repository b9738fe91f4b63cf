// `palisade netpol`: NetworkPolicy reachability (can-reach, matrix) and exposure, on manifests like `palisade scan`.
import { locate } from '../../core/engine.ts';
import { PalisadeError } from '../../core/errors.ts';
import { formatRef } from '../../core/kube-object.ts';
import type { Location } from '../../core/source.ts';
import { exposureIndex } from '../../exposure/exposure-index.ts';
import type { ExposureFact } from '../../exposure/exposure-model.ts';
import { renderExposureText } from '../../exposure/exposure-text.ts';
import { answerCanReach, parsePortQuery } from '../../netpol/can-reach-answer.ts';
import { renderCanReachText } from '../../netpol/can-reach-text.ts';
import { connectionsToJson } from '../../netpol/connection-set.ts';
import { renderMatrixText } from '../../netpol/matrix-text.ts';
import { namespaceMatrix } from '../../netpol/namespace-matrix.ts';
import { resolvePeerReference } from '../../netpol/peer-reference.ts';
import { type HostNetworkMode, ReachabilityEngine } from '../../netpol/reachability.ts';
import { terminalSafe, terminalSafeLines } from '../../outputs/terminal-text.ts';
import { issuesForAnswer } from '../answer-completeness.ts';
import { parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { inventoryOf, issuePlace, loadInputs } from '../scan-inputs.ts';

const USAGE = `Usage:
  palisade netpol can-reach FROM TO [PATH|-]... [--port PORT[/PROTOCOL]] [--expect reachable|unreachable]
  palisade netpol matrix [PATH|-]... [--namespace NS]...
  palisade netpol exposure [PATH|-]... [--namespace NS]...

FROM and TO: namespace/pod, Kind/namespace/name for a workload (Deployment/shop/web, deploy/shop/web),
namespace/name for a workload when the name is unambiguous, or an IP address or CIDR outside the pod network.
Objects without a namespace are analysed in "default". PATH: files, directories, snapshots (palisade snapshot)
or - for stdin, as for palisade scan.

Options:
  -f, --format FORMAT     table (default) or json
  -p, --port PORT         can-reach: only this port, e.g. 443, 53/UDP, or a container port name of TO (http, with
                          that port's protocol; dns/UDP picks one)
      --expect VERDICT    can-reach: exit 1 unless the answer is reachable / unreachable (for CI checks; an answer
                          that depends on the node address meets neither)
  -n, --namespace NS      matrix, exposure: only these namespaces (repeatable; one without pods or workloads
                          is a usage error, so a misspelt name never reads as "nothing exposed")
      --host-network MODE node (default): host-network pods are node traffic, outside NetworkPolicy (most plugins);
                          pod: policies apply to them like to any pod (plugins that tell them apart)

Exit codes: 0 answered, 1 --expect not met, 2 usage error, 3 inputs that could not be read completely (a kind a
snapshot could not list counts only when the answer reads that kind).
`;

const OPTIONS = {
  format: { type: 'string', short: 'f', default: 'table' },
  port: { type: 'string', short: 'p' },
  expect: { type: 'string' },
  namespace: { type: 'string', short: 'n', multiple: true },
  'host-network': { type: 'string', default: 'node' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Subcommand = 'can-reach' | 'matrix' | 'exposure';
const SUBCOMMANDS: readonly Subcommand[] = ['can-reach', 'matrix', 'exposure'];

interface Warning {
  message: string;
  location?: Location;
}

function where(location: Location | undefined): string {
  if (!location) return '';
  return location.type === 'file'
    ? `${location.file}:${location.line}:${location.column}: `
    : `${location.path}: `;
}

async function load(inputs: readonly string[], io: CliIo, hostNetwork: HostNetworkMode) {
  // Snapshots are read as scan reads them, with every pod (scan leaves out pods their controller stands for).
  const loaded = await loadInputs({ inputs, cwd: io.cwd, stdin: io.stdin, includeOwned: true });
  const inventory = inventoryOf(loaded, { recordReads: true });
  const engine = new ReachabilityEngine(inventory, { hostNetwork });
  return { inventory, engine, issues: loaded.issues };
}

/**
 * Once the answer is computed (so that the kinds it read are known): what could not be read, then the analysis'
 * own notices, and whether the answer may be incomplete.
 */
function warningsFor(loaded: Awaited<ReturnType<typeof load>>): { warnings: Warning[]; failed: boolean } {
  const { issues, incomplete } = issuesForAnswer(loaded.issues, loaded.inventory);
  const warnings: Warning[] = [];
  for (const issue of issues) {
    if (issue.severity === 'info') continue;
    warnings.push({ message: `${issuePlace(issue)}: ${issue.severity}: ${issue.message}` });
  }
  // Policy problems, duplicate objects and policies of other apiVersions, in input order.
  for (const notice of loaded.engine.notices)
    warnings.push({
      message: `${formatRef(notice.ref)}: ${notice.message}`,
      location: locate(notice.entry, notice.path),
    });
  return { warnings, failed: incomplete };
}

function writeWarnings(io: CliIo, warnings: readonly Warning[]): void {
  for (const warning of warnings)
    io.stderr.write(`palisade netpol: ${terminalSafe(`${where(warning.location)}${warning.message}`)}\n`);
}

function factJson(fact: ExposureFact) {
  return {
    kind: fact.kind,
    workload: fact.workload,
    path: fact.path.map((step) => ({ object: formatRef(step.ref), detail: step.detail })),
    ports: connectionsToJson(fact.ports),
    ...(fact.policy ? { networkPolicy: fact.policy } : {}),
    notes: fact.notes,
  };
}

export async function runNetpol(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'netpol');
  if (values.help || positionals[0] === 'help') {
    io.stdout.write(USAGE);
    return EXIT.clean;
  }
  const [name, ...rest] = positionals;
  if (name === undefined)
    throw new PalisadeError('usage', `give a subcommand: ${SUBCOMMANDS.join(', ')}\n\n${USAGE}`);
  if (!SUBCOMMANDS.includes(name as Subcommand))
    throw new PalisadeError(
      'usage',
      `unknown subcommand "${name}": expected one of ${SUBCOMMANDS.join(', ')}`,
    );
  const subcommand = name as Subcommand;
  const format = values.format;
  if (format !== 'table' && format !== 'json')
    throw new PalisadeError('usage', `unknown format "${format}": expected table or json`);
  if (subcommand !== 'can-reach' && (values.port !== undefined || values.expect !== undefined))
    throw new PalisadeError('usage', `--port and --expect belong to can-reach, not ${subcommand}`);
  if (subcommand === 'can-reach' && values.namespace !== undefined)
    throw new PalisadeError(
      'usage',
      '--namespace belongs to matrix and exposure; can-reach names its two ends',
    );
  const expect = values.expect;
  if (expect !== undefined && expect !== 'reachable' && expect !== 'unreachable')
    throw new PalisadeError('usage', `--expect must be reachable or unreachable (got "${expect}")`);
  const port = values.port === undefined ? undefined : parsePortQuery(values.port);
  const hostNetwork = values['host-network'];
  if (hostNetwork !== 'node' && hostNetwork !== 'pod')
    throw new PalisadeError('usage', `--host-network must be node or pod (got "${hostNetwork}")`);
  if (subcommand === 'exposure' && hostNetwork !== 'node')
    throw new PalisadeError(
      'usage',
      '--host-network belongs to can-reach and matrix: exposure lists host-network pods as such',
    );

  const [fromText, toText] = rest;
  const inputs = subcommand === 'can-reach' ? rest.slice(2) : rest;
  if (subcommand === 'can-reach' && (fromText === undefined || toText === undefined))
    throw new PalisadeError(
      'usage',
      'can-reach needs FROM and TO, then the inputs: palisade netpol can-reach shop/web shop/db manifests/',
    );
  if (inputs.length === 0)
    throw new PalisadeError(
      'usage',
      'no input: give files or directories with the workloads and NetworkPolicies, or - for standard input',
    );

  const loaded = await load(inputs, io, hostNetwork);
  if (io.signal?.aborted) return interrupted(io);
  let answer: Answer | undefined;
  try {
    answer = await computeAnswer(
      subcommand,
      loaded,
      // `-n shop -n shop` asks about shop once.
      values.namespace === undefined ? undefined : [...new Set(values.namespace)],
      { fromText, toText, port, expect },
      io,
    );
  } catch (error) {
    // What could not be read may be why a name was not found: said before the error.
    writeWarnings(io, warningsFor(loaded).warnings);
    throw error;
  }
  const { warnings, failed } = warningsFor(loaded);
  writeWarnings(io, warnings);
  if (answer === undefined) return interrupted(io);
  for (const note of answer.notes ?? []) io.stderr.write(`palisade netpol: note: ${terminalSafe(note)}\n`);
  const warningTexts = warnings.map((w) => `${where(w.location)}${w.message}`);
  if (format === 'json') io.stdout.write(`${JSON.stringify(answer.json(warningTexts), null, 2)}\n`);
  // Names and messages come from the inputs: never raw terminal control (JSON escapes them itself).
  else io.stdout.write(terminalSafeLines(answer.text()));
  if (answer.unmet !== undefined) io.stderr.write(`palisade netpol: ${terminalSafe(answer.unmet)}\n`);
  if (failed) {
    io.stderr.write(
      'palisade netpol: some inputs could not be read completely; the answer covers only what was loaded\n',
    );
    return EXIT.runtime;
  }
  return answer.unmet === undefined ? EXIT.clean : EXIT.findings;
}

interface Answer {
  /** About how the question was read (an address range holding pod IPs), on standard error and in JSON warnings. */
  notes?: string[];
  json: (warnings: string[]) => unknown;
  text: () => string;
  /** can-reach --expect not met: why. */
  unmet?: string;
}

function interrupted(io: CliIo): ExitCode {
  io.stderr.write('palisade netpol: interrupted\n');
  return EXIT.runtime;
}

interface CanReachQuery {
  fromText: string | undefined;
  toText: string | undefined;
  port: ReturnType<typeof parsePortQuery> | undefined;
  expect: string | undefined;
}

/**
 * The answer, computed before anything is printed, so that the warnings know which kinds it read; undefined when the
 * command was interrupted.
 */
function refuseUnknownNamespaces(
  namespaces: readonly string[] | undefined,
  engine: ReachabilityEngine,
): void {
  const unknown = (namespaces ?? []).filter((ns) => !engine.endpoints.byNamespace.has(ns));
  if (unknown.length > 0)
    throw new PalisadeError(
      'usage',
      `--namespace ${unknown.join(', ')}: no pods or workloads there (known: ${[...engine.endpoints.byNamespace.keys()].sort().join(', ') || 'none'})`,
    );
}

async function computeAnswer(
  subcommand: Subcommand,
  { inventory, engine }: Awaited<ReturnType<typeof load>>,
  namespaces: readonly string[] | undefined,
  query: CanReachQuery,
  io: CliIo,
): Promise<Answer | undefined> {
  switch (subcommand) {
    case 'can-reach': {
      const from = resolvePeerReference(query.fromText ?? '', engine.endpoints, 'from');
      const to = resolvePeerReference(query.toText ?? '', engine.endpoints, 'to');
      const answer = answerCanReach(engine, from, to, query.port);
      const notes = [from, to].flatMap((peer) => (peer.note ? [peer.note] : []));
      return {
        notes,
        json: (warnings) => ({ ...answer, warnings: [...warnings, ...notes] }),
        text: () => renderCanReachText(answer),
        // A node-dependent answer meets neither expectation: CI must not pass on "it depends".
        ...(query.expect !== undefined && answer.verdict !== query.expect
          ? { unmet: `expected ${query.expect}, but ${answer.from} → ${answer.to} is ${answer.verdict}` }
          : {}),
      };
    }
    case 'matrix': {
      refuseUnknownNamespaces(namespaces, engine);
      let matrix: Awaited<ReturnType<typeof namespaceMatrix>>;
      try {
        matrix = await namespaceMatrix(engine, namespaces, io.signal);
      } catch (error) {
        if (io.signal?.aborted) return undefined;
        throw error;
      }
      return {
        json: (warnings) => ({
          namespaces: matrix.namespaces,
          cells: matrix.cells.map((cell) => ({ ...cell, connections: connectionsToJson(cell.connections) })),
          warnings,
        }),
        text: () => renderMatrixText(matrix),
      };
    }
    case 'exposure': {
      // A misspelt namespace would otherwise read as "no workload is exposed".
      refuseUnknownNamespaces(namespaces, engine);
      const wanted = namespaces === undefined ? undefined : new Set(namespaces);
      const facts = exposureIndex(inventory).facts.filter(
        (fact) => !wanted || wanted.has(fact.workloadRef.namespace ?? ''),
      );
      return {
        json: (warnings) => ({ exposures: facts.map(factJson), warnings }),
        text: () => renderExposureText(facts),
      };
    }
  }
}
