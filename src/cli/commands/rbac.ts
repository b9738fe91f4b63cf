// `palisade rbac`: who may do what, and how a workload could climb to cluster-admin, from the RBAC objects in files
// and snapshots.

import { type LoadIssue, PalisadeError } from '../../core/errors.ts';
import type { Inventory } from '../../core/inventory.ts';
import { terminalSafe } from '../../outputs/terminal-text.ts';
import { canJson, pathsJson, whoCanJson } from '../../rbac/answer-json.ts';
import { canLines, heldLines, nameLeftOut, pathLines, whoCanLines } from '../../rbac/answer-text.ts';
import { authorize } from '../../rbac/authorize.ts';
import { findEscalationPaths } from '../../rbac/escalation-paths.ts';
import { RbacIndex } from '../../rbac/rbac-index.ts';
import { coreGroupGuessNote, parseRequest, type RequestOptions } from '../../rbac/request-text.ts';
import { formatSubject, identityOfSubject, parseSubjectText } from '../../rbac/subject.ts';
import { whoCan } from '../../rbac/who-can.ts';
import { issuesForAnswer } from '../answer-completeness.ts';
import { parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { inventoryOf, issuePlace, loadInputs } from '../scan-inputs.ts';

const USAGE = `Usage:
  palisade rbac who-can VERB RESOURCE[.GROUP][/SUBRESOURCE] PATH... [-n NS] [--name NAME]
  palisade rbac who-can VERB /URL/PATH PATH...
  palisade rbac can SUBJECT VERB RESOURCE[.GROUP][/SUBRESOURCE] PATH... [-n NS] [--name NAME] [--as-group G]...
  palisade rbac paths PATH... [--from SUBJECT]...

Inputs (PATH) are files, directories, snapshots (palisade snapshot) or - for stdin, as for palisade scan.
Default ClusterRoles of Kubernetes (cluster-admin, admin, edit, view, system:*) are known without being in the inputs.

SUBJECT: sa:NAMESPACE/NAME, system:serviceaccount:NAMESPACE:NAME, user:NAME, group:NAME (a bare name is a user).

Options:
  -n, --namespace NS     the request's namespace. Without it, who-can answers for every namespace, saying where
                         each RoleBinding applies; can asks about all namespaces at once (kubectl's
                         --all-namespaces), which only ClusterRoleBindings grant, and names the namespaces
                         where RoleBindings would allow it
      --name NAME        the object's name, for rules limited by resourceNames (create and deletecollection
                         requests carry no name, as the API server sees them)
      --api-group GROUP  the resource's API group (default: from RESOURCE.GROUP, or the well-known group, or core)
      --as-group GROUP   (can) a group the user belongs to, besides system:authenticated (repeatable)
      --from SUBJECT     (paths) start from this subject instead of every workload's ServiceAccount (repeatable)
  -f, --format FORMAT    table (default) or json

Exit codes: who-can 0; can 0 when allowed, 1 when denied; paths 0 when none is found, 1 when some are;
2 usage error; 3 inputs that could not be read completely (the answer may be incomplete; a kind a snapshot could not
list counts only when the answer reads that kind).
`;

const OPTIONS = {
  namespace: { type: 'string', short: 'n' },
  name: { type: 'string' },
  'api-group': { type: 'string' },
  'as-group': { type: 'string', multiple: true },
  from: { type: 'string', multiple: true },
  format: { type: 'string', short: 'f', default: 'table' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

interface Loaded {
  inventory: Inventory;
  issues: readonly LoadIssue[];
}

async function load(inputs: readonly string[], io: CliIo): Promise<Loaded> {
  if (inputs.length === 0)
    throw new PalisadeError(
      'usage',
      'no input: give files or directories holding RBAC objects, or - for standard input',
    );
  // Snapshots are read as scan reads them; owned pods are kept, since paths start from every workload's account.
  const loaded = await loadInputs({ inputs, cwd: io.cwd, stdin: io.stdin, includeOwned: true });
  return { inventory: inventoryOf(loaded, { recordReads: true }), issues: loaded.issues };
}

/** Once the answer is computed: prints what could not be read, and says whether the answer may be incomplete. */
function reportIssues(io: CliIo, loaded: Loaded): boolean {
  const { issues, incomplete } = issuesForAnswer(loaded.issues, loaded.inventory);
  for (const issue of issues)
    io.stderr.write(`${terminalSafe(`${issue.severity}: ${issuePlace(issue)}: ${issue.message}`)}\n`);
  return incomplete;
}

function requestOptions(values: Values): RequestOptions {
  const options: RequestOptions = {};
  if (values.namespace !== undefined) options.namespace = values.namespace;
  if (values.name !== undefined) options.name = values.name;
  if (values['api-group'] !== undefined) options.apiGroup = values['api-group'];
  return options;
}

function noteGuessedGroup(io: CliIo, resource: string, values: Values): void {
  const note = coreGroupGuessNote(resource, requestOptions(values));
  if (note) io.stderr.write(`${terminalSafe(note)}\n`);
}

function write(io: CliIo, format: string, json: () => unknown, lines: () => string[]): void {
  if (format === 'json') io.stdout.write(`${JSON.stringify(json(), null, 2)}\n`);
  else io.stdout.write(`${lines().map(terminalSafe).join('\n')}\n`);
}

function refuse(values: Values, allowed: readonly (keyof Values)[], command: string): void {
  for (const key of ['as-group', 'from', 'namespace', 'name', 'api-group'] as const)
    if (values[key] !== undefined && !allowed.includes(key))
      throw new PalisadeError('usage', `rbac ${command} does not take --${key}`);
}

export async function runRbac(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'rbac');
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined || sub === 'help') {
    io.stdout.write(USAGE);
    return values.help || sub === 'help' ? EXIT.clean : EXIT.usage;
  }
  if (values.format !== 'table' && values.format !== 'json')
    throw new PalisadeError('usage', `unknown format "${values.format}": expected table or json`);
  switch (sub) {
    case 'who-can': {
      refuse(values, ['namespace', 'name', 'api-group'], sub);
      const [verb, resource, ...inputs] = rest;
      if (verb === undefined || resource === undefined)
        throw new PalisadeError('usage', 'rbac who-can needs VERB RESOURCE then the inputs');
      const request = parseRequest(verb, resource, requestOptions(values));
      const loaded = await load(inputs, io);
      noteGuessedGroup(io, resource, values);
      // The answer is for the request as the API server sees it (without the name); `can` says this in its answer.
      const leftOut = nameLeftOut(request);
      if (leftOut) io.stderr.write(`note: ${terminalSafe(leftOut)}\n`);
      const answer = whoCan(RbacIndex.of(loaded.inventory), request);
      const incomplete = reportIssues(io, loaded);
      write(
        io,
        values.format,
        () => whoCanJson(answer),
        () => whoCanLines(answer),
      );
      return incomplete ? EXIT.runtime : EXIT.clean;
    }
    case 'can': {
      refuse(values, ['namespace', 'name', 'api-group', 'as-group'], sub);
      const [subjectText, verb, resource, ...inputs] = rest;
      if (subjectText === undefined || verb === undefined || resource === undefined)
        throw new PalisadeError('usage', 'rbac can needs SUBJECT VERB RESOURCE then the inputs');
      const subject = parseSubjectText(subjectText);
      const request = parseRequest(verb, resource, requestOptions(values));
      const loaded = await load(inputs, io);
      noteGuessedGroup(io, resource, values);
      const identity = identityOfSubject(subject, values['as-group'] ?? []);
      const index = RbacIndex.of(loaded.inventory);
      const decision = authorize(index, identity, request);
      const held = heldLines(
        index.bindingsFor(identity).map(({ binding }) => {
          const resolution = index.roleOf(binding);
          return { binding, role: resolution.ok ? resolution.role : undefined };
        }),
      );
      const incomplete = reportIssues(io, loaded);
      write(
        io,
        values.format,
        () => canJson(subject, identity, request, decision),
        () => canLines(subject, identity, request, decision, held),
      );
      if (incomplete) return EXIT.runtime;
      return decision.allowed ? EXIT.clean : EXIT.findings;
    }
    case 'paths': {
      refuse(values, ['from'], sub);
      const from = values.from?.map(parseSubjectText);
      const loaded = await load(rest, io);
      const { inventory } = loaded;
      if (io.signal?.aborted) {
        reportIssues(io, loaded);
        throw new PalisadeError('internal', 'rbac paths: stopped');
      }
      const unknownFrom = (from ?? []).flatMap((subject, position) =>
        RbacIndex.of(inventory).bindingsFor(identityOfSubject(subject)).length === 0
          ? [
              `palisade rbac: --from ${values.from?.[position] ?? ''}: no binding in the inputs names ${formatSubject(subject)}${subject.kind === 'User' ? ' (read as a user name; other subjects are written group:NAME or sa:NAMESPACE/NAME)' : ''}`,
            ]
          : [],
      );
      const paths = findEscalationPaths(inventory, from ? { from } : {});
      // What could not be read first, as the other questions print it, then what --from named in vain.
      const incomplete = reportIssues(io, loaded);
      for (const line of unknownFrom) io.stderr.write(`${terminalSafe(line)}\n`);
      write(
        io,
        values.format,
        () => pathsJson(paths),
        () => pathLines(paths, from !== undefined),
      );
      if (incomplete) return EXIT.runtime;
      return paths.length > 0 ? EXIT.findings : EXIT.clean;
    }
    default:
      throw new PalisadeError('usage', `unknown rbac command "${sub}": expected who-can, can or paths`);
  }
}
