// `palisade watch`: runtime detection over Kubernetes audit events (HTTPS webhook receiver, audit log file,
// stdin) with Falco-compatible rules files and Palisade's built-in detections; `watch setup` prints what the
// API server needs; `watch fields` documents the rule language's fields; `watch validate` checks rules files.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PalisadeError } from '../../core/errors.ts';
import { FIELD_TABLE, renderFieldDocs } from '../../detect/fields/field-table.ts';
import { PRIORITIES, type Priority, parsePriority } from '../../detect/priority.ts';
import { parseRateLimit } from '../../detect/rate-limiter.ts';
import { formatProblem } from '../../detect/rules/load-problem.ts';
import { loadRulesTexts, readRulesText } from '../../detect/rules/load-rules.ts';
import { setupText } from '../../detect/setup-text.ts';
import { terminalSafe } from '../../outputs/terminal-text.ts';
import type { OutputSpec, WatchConfig } from '../../server/audit/watch-config.ts';
import { runWatchSession } from '../../server/audit/watch-session.ts';
import { createJsonLogger, LOG_LEVELS, type LogLevel } from '../../server/json-log.ts';
import { parseCommandArgs } from '../args.ts';
import { writeCommandOutput } from '../command-output.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { wholeNumberOption } from '../number-options.ts';

const OPTIONS = {
  listen: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'token-file': { type: 'string', multiple: true },
  'client-ca': { type: 'string' },
  'client-name': { type: 'string', multiple: true },
  path: { type: 'string', default: '/audit' },
  'max-queue': { type: 'string', default: '200000' },
  spool: { type: 'string' },
  'no-spool': { type: 'boolean', default: false },
  'spool-max-backlog': { type: 'string', default: '1073741824' },
  file: { type: 'string' },
  'state-file': { type: 'string' },
  from: { type: 'string', default: 'start' },
  once: { type: 'boolean', default: false },
  'poll-ms': { type: 'string', default: '500' },
  stdin: { type: 'boolean', default: false },
  rules: { type: 'string', multiple: true },
  'builtin-tuning': { type: 'string', multiple: true },
  'no-builtin': { type: 'boolean', default: false },
  'rule-matching': { type: 'string', default: 'first' },
  snapshot: { type: 'string', multiple: true },
  'allowed-sources': { type: 'string' },
  'secret-burst': { type: 'string', default: '20/60' },
  'binding-window': { type: 'string', default: '3600' },
  output: { type: 'string', short: 'o', multiple: true },
  'output-ca': { type: 'string' },
  'insecure-sink': { type: 'boolean', default: false },
  'min-priority': { type: 'string', default: 'debug' },
  'rate-limit': { type: 'string', default: '20/60' },
  ledger: { type: 'string' },
  'ledger-key': { type: 'string' },
  'fail-on': { type: 'string' },
  'log-level': { type: 'string', default: 'info' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const WATCH_HELP = `Usage: palisade watch [--listen HOST:PORT ...] [--file PATH] [--stdin|-] [options]
       palisade watch setup --url URL --ca-file PEM (--token-file PATH | --client-cert PATH --client-key PATH) [--config-dir DIR]
       palisade watch validate RULES.yaml...
       palisade watch fields [--markdown] [--write PATH]

Detects attacks in Kubernetes audit events (audit.k8s.io/v1 and v1beta1) with Falco rules files for the
k8s_audit source (loaded unchanged) and Palisade's built-in detections. Alerts are JSON lines in Falco's
output shape. Stops cleanly on SIGINT/SIGTERM, after processing every accepted event.

Inputs (one or more):
      --listen HOST:PORT      HTTPS receiver for kube-apiserver's audit webhook backend (EventList batches,
                              single Events, arrays; 12 MiB limit); needs --tls-cert, --tls-key and
                              --token-file and/or --client-ca
      --token-file PATH       bearer tokens accepted (one per line; repeatable)
      --client-ca PEM         accept client certificates issued by this CA; --client-name CN restricts the CN
      --path PATH             request path (default /audit)
      --spool PATH            write accepted batches here (fsynced) before answering, so a crash loses nothing
      --no-spool              keep accepted batches in memory instead (--max-queue events, default 200000): a
                              crash loses what is queued; --listen needs one of --spool and --no-spool
      --spool-max-backlog BYTES  with --spool, answer 503 (Retry-After) while more than this many spooled bytes
                              wait for detection (default 1073741824, 1 GiB)
      --file PATH             follow an audit log (JSON lines), surviving rotation and truncation
      --state-file PATH       keep the file offset here, so a restart neither loses nor repeats events
      --from start|end        where to begin without a saved offset (default start)
      --once                  read the file to its end and exit instead of following
      --stdin, -              read events from standard input until it closes

Rules:
      --rules PATH            Falco rules file (repeatable, loaded in order; append/override across files)
      --rule-matching first|all  alerts per event for --rules files (Falco's default: first)
      --no-builtin            do not run Palisade's built-in detections
      --builtin-tuning PATH   rules file applied on top of the built-ins (append to their lists, disable rules)
      --snapshot PATH         cluster objects (YAML/JSON manifests, kubectl get -o yaml) to learn pods and RBAC from
      --allowed-sources CIDRS comma-separated ranges; requests from elsewhere raise an alert
      --secret-burst N/SECS   Secret reads by one identity that make a burst (default 20/60)
      --binding-window SECS   how long a new powerful binding waits for its first use (default 3600)

Alerts:
  -o, --output SPEC           stdout (default), file:PATH, webhook:URL (Falcosidekick, SIEM), slack:URL (repeatable)
      --output-ca PEM         extra CA for webhook TLS (TLS is always verified)
      --insecure-sink         allow plain http:// webhook/slack URLs (refused by default: alerts and a Slack
                              webhook's secret path would travel unencrypted)
      --min-priority P        run only rules at P or above, as Falco does (${PRIORITIES.join(', ')}; default debug)
      --rate-limit N/SECS     per rule and user; the rest is counted in one aggregated alert (default 20/60; 0 = off)
      --ledger DIR --ledger-key PEM   also append every alert to the tamper-evident ledger
      --fail-on P             exit 1 when an alert at or above P was raised (with --once or --stdin)
      --log-level L           diagnostics on stderr: ${LOG_LEVELS.join(', ')} (default info)
`;

function usage(message: string): never {
  throw new PalisadeError('usage', message);
}

function positiveInt(text: string, option: string): number {
  // Up to what stays exact in milliseconds: the binding window is multiplied by 1000.
  return wholeNumberOption(text, option, 1, Math.floor(Number.MAX_SAFE_INTEGER / 1000));
}

function priorityOption(text: string, option: string): Priority {
  const priority = parsePriority(text);
  if (priority === undefined) usage(`${option} must be one of ${PRIORITIES.join(', ')} (got "${text}")`);
  return priority;
}

function parseOutput(spec: string, insecure: boolean): OutputSpec {
  if (spec === 'stdout' || spec === '-') return { kind: 'stdout' };
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? '' : spec.slice(0, colon);
  const rest = spec.slice(colon + 1);
  if (kind === 'file' && rest !== '') return { kind: 'file', path: rest };
  if ((kind === 'webhook' || kind === 'slack') && /^https?:\/\//.test(rest)) {
    if (rest.startsWith('http://') && !insecure)
      usage(
        `--output ${kind}: plain http:// would send alerts (and a Slack webhook's secret path) unencrypted; use https:// or add --insecure-sink`,
      );
    return { kind, url: rest };
  }
  // Never echo a webhook URL: its path may be the credential.
  if (kind === 'webhook' || kind === 'slack') usage(`--output ${kind}: the URL must start with https://`);
  usage(`--output "${spec}" is not stdout, file:PATH, webhook:URL or slack:URL`);
}

/** `HOST:PORT`, `[IPv6]:PORT`, or `:PORT` for every address (IPv6 and IPv4, as `webhook serve` without --host). */
function parseListen(text: string): { host?: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text);
  if (match === null) usage(`--listen must be HOST:PORT (got "${text}")`);
  const port = Number(match[3]);
  if (port > 65535) usage(`--listen port ${port} is out of range`);
  const host = match[1] ?? match[2];
  return host === undefined || host === '' ? { port } : { host, port };
}

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

function buildConfig(values: Values, positionals: readonly string[]): WatchConfig {
  for (const extra of positionals) if (extra !== '-') usage(`unexpected argument "${extra}"`);
  const stdin = values.stdin || positionals.includes('-');
  if (values.listen === undefined && values.file === undefined && !stdin)
    usage('no input: give --listen, --file or --stdin (-)');
  const matching = values['rule-matching'];
  if (matching !== 'first' && matching !== 'all') usage('--rule-matching must be first or all');
  const from = values.from;
  if (from !== 'start' && from !== 'end') usage('--from must be start or end');
  const secretBurst = parseRateLimit(values['secret-burst']);
  if (secretBurst === undefined || secretBurst.limit <= 0)
    usage('--secret-burst must be N/SECONDS with N > 0');
  const rateLimit = parseRateLimit(values['rate-limit']);
  if (rateLimit === undefined) usage('--rate-limit must be N/SECONDS or 0');
  if ((values.ledger === undefined) !== (values['ledger-key'] === undefined))
    usage('--ledger and --ledger-key go together');
  const config: WatchConfig = {
    stdin,
    rulesFiles: values.rules ?? [],
    builtinTuning: values['builtin-tuning'] ?? [],
    builtin: !values['no-builtin'],
    matching,
    snapshots: values.snapshot ?? [],
    secretBurst,
    bindingWindowMs: positiveInt(values['binding-window'], '--binding-window') * 1000,
    outputs: (values.output ?? ['stdout']).map((spec) => parseOutput(spec, values['insecure-sink'])),
    minPriority: priorityOption(values['min-priority'], '--min-priority'),
    rateLimit,
  };
  if (values.listen !== undefined) {
    if (values['tls-cert'] === undefined || values['tls-key'] === undefined)
      usage('--listen needs --tls-cert and --tls-key (the receiver only speaks HTTPS)');
    if (values['token-file'] === undefined && values['client-ca'] === undefined)
      usage('--listen needs --token-file or --client-ca');
    if (!values.path.startsWith('/')) usage('--path must start with /');
    // An accepted batch is never lost by default: losing queued events on a crash has to be chosen explicitly.
    if (values.spool === undefined && !values['no-spool'])
      usage(
        '--listen needs --spool PATH (accepted batches are written and fsynced before the answer, so a crash loses none) or --no-spool (they wait in memory, and a crash loses what is queued)',
      );
    if (values.spool !== undefined && values['no-spool']) usage('--spool and --no-spool exclude each other');
    config.listen = {
      ...parseListen(values.listen),
      certFile: values['tls-cert'],
      keyFile: values['tls-key'],
      tokenFiles: values['token-file'] ?? [],
      clientNames: values['client-name'] ?? [],
      path: values.path,
      maxQueueEvents: positiveInt(values['max-queue'], '--max-queue'),
      ...(values['client-ca'] !== undefined ? { clientCaFile: values['client-ca'] } : {}),
      ...(values.spool !== undefined ? { spoolFile: values.spool } : {}),
      spoolMaxBacklogBytes: positiveInt(values['spool-max-backlog'], '--spool-max-backlog'),
    };
  }
  if (values.file !== undefined)
    config.file = {
      path: values.file,
      from,
      once: values.once,
      pollMs: positiveInt(values['poll-ms'], '--poll-ms'),
      ...(values['state-file'] !== undefined ? { stateFile: values['state-file'] } : {}),
    };
  if (values['allowed-sources'] !== undefined)
    config.allowedSources = values['allowed-sources']
      .split(',')
      .map((range) => range.trim())
      .filter((range) => range !== '');
  if (values['output-ca'] !== undefined) config.outputCaFile = values['output-ca'];
  if (values['insecure-sink']) config.insecureSinks = true;
  if (values.ledger !== undefined && values['ledger-key'] !== undefined)
    config.ledger = { dir: values.ledger, keyFile: values['ledger-key'] };
  if (values['fail-on'] !== undefined) config.failOn = priorityOption(values['fail-on'], '--fail-on');
  return config;
}

export async function runWatch(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const sub = args[0];
  if (sub === 'setup') return runSetup(args.slice(1), io);
  if (sub === 'fields') return runFields(args.slice(1), io);
  if (sub === 'validate') return runValidate(args.slice(1), io);
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'watch');
  if (values.help) {
    io.stdout.write(WATCH_HELP);
    return EXIT.clean;
  }
  const level = values['log-level'];
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    usage(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const config = buildConfig(values, positionals);
  const logger = createJsonLogger(io.stderr, {
    level: level as LogLevel,
    now: io.now,
    base: { component: 'watch' },
  });
  const summary = await runWatchSession(config, {
    stdout: io.stdout,
    stdin: io.stdin,
    cwd: io.cwd,
    logger,
    now: io.now,
    ...(io.signal ? { signal: io.signal } : {}),
  });
  return summary.failOnReached ? EXIT.findings : EXIT.clean;
}

const SETUP_OPTIONS = {
  url: { type: 'string' },
  'ca-file': { type: 'string' },
  'token-file': { type: 'string' },
  'client-cert': { type: 'string' },
  'client-key': { type: 'string' },
  'config-dir': { type: 'string', default: '/etc/kubernetes/palisade' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

async function runSetup(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, SETUP_OPTIONS, 'watch setup');
  if (values.help) {
    io.stdout.write(WATCH_HELP);
    return EXIT.clean;
  }
  if (positionals.length > 0) usage(`setup: unexpected argument "${positionals[0]}"`);
  if (values.url === undefined || !/^https:\/\/[^/]+/.test(values.url))
    usage('setup: --url https://HOST:PORT/audit is required (the receiver only speaks HTTPS)');
  if (values['ca-file'] === undefined)
    usage("setup: --ca-file is required (the CA of the receiver's serving certificate)");
  if (values['token-file'] === undefined && values['client-cert'] === undefined)
    usage('setup: give --token-file or --client-cert/--client-key');
  if ((values['client-cert'] === undefined) !== (values['client-key'] === undefined))
    usage('setup: --client-cert and --client-key go together');
  let caPem: string;
  try {
    caPem = await readFile(resolve(io.cwd, values['ca-file']), 'utf8');
  } catch (error) {
    throw new PalisadeError(
      'input-not-found',
      `cannot read CA file ${values['ca-file']}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (!caPem.includes('-----BEGIN CERTIFICATE-----'))
    throw new PalisadeError('config-invalid', `${values['ca-file']} holds no PEM certificate`);
  io.stdout.write(
    setupText({
      url: values.url,
      caPem,
      configDir: values['config-dir'],
      ...(values['token-file'] !== undefined ? { tokenFile: values['token-file'] } : {}),
      ...(values['client-cert'] !== undefined ? { clientCertFile: values['client-cert'] } : {}),
      ...(values['client-key'] !== undefined ? { clientKeyFile: values['client-key'] } : {}),
    }),
  );
  return EXIT.clean;
}

async function runFields(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArgs(
    args,
    {
      markdown: { type: 'boolean', default: false },
      write: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    'watch fields',
  );
  if (values.help) {
    io.stdout.write(WATCH_HELP);
    return EXIT.clean;
  }
  if (values.write !== undefined) {
    const text = renderFieldDocs();
    await refuseForeignFile(resolve(io.cwd, values.write), values.write, text);
    await writeCommandOutput(io, values.write, text);
    return EXIT.clean;
  }
  if (values.markdown) io.stdout.write(renderFieldDocs());
  else
    for (const field of FIELD_TABLE)
      io.stdout.write(`${field.name}${field.arg === 'required' ? '[...]' : ''}\t${field.doc}\n`);
  return EXIT.clean;
}

/**
 * `--write` replaces only a field reference written before (same title line) or creates a new file: a mistyped
 * path must not destroy someone's file.
 */
async function refuseForeignFile(path: string, shown: string, text: string): Promise<void> {
  let existing: string;
  try {
    existing = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new PalisadeError(
      'usage',
      `watch fields --write ${shown}: cannot read it (${(error as Error).message})`,
    );
  }
  const title = text.slice(0, text.indexOf('\n'));
  if (existing.slice(0, existing.indexOf('\n')) !== title)
    throw new PalisadeError(
      'usage',
      `watch fields --write ${shown}: the file exists and is not a field reference Palisade wrote (its first line is not "${title}"); remove it or choose another path`,
    );
}

async function runValidate(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    args,
    { help: { type: 'boolean', short: 'h', default: false } },
    'watch validate',
  );
  if (values.help) {
    io.stdout.write(WATCH_HELP);
    return EXIT.clean;
  }
  if (positionals.length === 0) usage('validate: give rules files');
  const texts = [];
  for (const path of positionals) {
    try {
      texts.push({ text: await readRulesText(resolve(io.cwd, path)), file: path });
    } catch (error) {
      throw new PalisadeError(
        'input-not-found',
        `cannot read rules file ${path}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  const result = loadRulesTexts(texts);
  // Messages quote the rules files, which may come from anywhere: never raw terminal control.
  for (const problem of result.problems) io.stdout.write(`${terminalSafe(formatProblem(problem))}\n`);
  const errors = result.problems.filter((problem) => problem.severity === 'error').length;
  io.stdout.write(
    `${result.ruleset.rules.length} k8s_audit rules, ${result.ruleset.otherSourceRules} for other sources, ${errors} error(s)\n`,
  );
  return errors > 0 ? EXIT.usage : EXIT.clean;
}
