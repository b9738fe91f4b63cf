// The parts `palisade watch` is assembled from: rulesets (built-ins, tuning, Falco files), the detection state
// (with snapshots and source ranges), and the alert sinks (stdout, file, webhook, Slack, ledger).
import { resolve } from 'node:path';
import { PalisadeError } from '../../core/errors.ts';
import { MAX_SMALL_FILE_BYTES, readRegularFile } from '../../core/regular-file.ts';
import { loadBuiltinRuleset } from '../../detect/builtin/builtin-ruleset.ts';
import type { CompiledRuleset } from '../../detect/rules/compiled-rule.ts';
import { formatProblem } from '../../detect/rules/load-problem.ts';
import { loadRulesFiles } from '../../detect/rules/load-rules.ts';
import type { AlertSink } from '../../detect/sinks/alert-sink.ts';
import { FileSink } from '../../detect/sinks/file-sink.ts';
import { LedgerSink } from '../../detect/sinks/ledger-sink.ts';
import { StreamSink } from '../../detect/sinks/stream-sink.ts';
import { WebhookSink } from '../../detect/sinks/webhook-sink.ts';
import { DetectionState } from '../../detect/state/detection-state.ts';
import { SourceRanges } from '../../detect/state/source-ranges.ts';
import { loadManifestText } from '../../inputs/manifest-loader.ts';
import type { Logger } from '../json-log.ts';
import type { WatchConfig } from './watch-config.ts';

export interface SinkIo {
  cwd: string;
  stdout: NodeJS.WritableStream;
  logger: Logger;
}

export async function readText(path: string, what: string): Promise<string> {
  try {
    return (await readRegularFile(path, MAX_SMALL_FILE_BYTES)).toString('utf8');
  } catch (error) {
    throw new PalisadeError('input-not-found', `cannot read ${what} ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export async function buildRulesets(
  config: WatchConfig,
  cwd: string,
  logger: Logger,
): Promise<CompiledRuleset[]> {
  const rulesets: CompiledRuleset[] = [];
  if (config.builtin) {
    const tuning = [];
    for (const path of config.builtinTuning)
      tuning.push({ text: await readText(resolve(cwd, path), 'rules file'), file: path });
    const builtin = loadBuiltinRuleset(tuning);
    for (const problem of builtin.problems)
      logger.warn('built-in rules', { problem: formatProblem(problem) });
    rulesets.push(builtin.ruleset);
  }
  if (config.rulesFiles.length > 0) {
    const loaded = await loadRulesFiles(config.rulesFiles, cwd, config.matching);
    for (const problem of loaded.problems) logger.warn('rules file', { problem: formatProblem(problem) });
    logger.info('rules loaded', {
      files: config.rulesFiles,
      rules: loaded.ruleset.rules.length,
      otherSources: loaded.ruleset.otherSourceRules,
    });
    rulesets.push(loaded.ruleset);
  }
  if (rulesets.every((ruleset) => ruleset.rules.length === 0))
    throw new PalisadeError('usage', 'watch: no rules to run (--no-builtin without --rules)');
  return rulesets;
}

export async function buildState(config: WatchConfig, cwd: string, logger: Logger): Promise<DetectionState> {
  const state = new DetectionState({
    secretBurstThreshold: config.secretBurst.limit,
    secretBurstWindowMs: config.secretBurst.windowMs,
    bindingUseWindowMs: config.bindingWindowMs,
    ...(config.allowedSources !== undefined
      ? { allowedSources: new SourceRanges(config.allowedSources) }
      : {}),
  });
  for (const path of config.snapshots) {
    const loaded = loadManifestText(await readText(resolve(cwd, path), 'snapshot'), path);
    for (const issue of loaded.issues.slice(0, 20))
      logger.warn('snapshot', { file: issue.file, line: issue.line, problem: issue.message });
    for (const entry of loaded.entries) state.learnObject(entry.object);
    logger.info('snapshot loaded', { file: path, objects: loaded.entries.length, pods: state.knownPods });
  }
  return state;
}

export async function openSinks(config: WatchConfig, io: SinkIo): Promise<AlertSink[]> {
  const sinks: AlertSink[] = [];
  const ca =
    config.outputCaFile === undefined
      ? undefined
      : await readText(resolve(io.cwd, config.outputCaFile), 'CA file');
  const onFailure = (sink: string, message: string) =>
    io.logger.error('alert sink', { sink, problem: message });
  for (const output of config.outputs) {
    if (output.kind === 'stdout') sinks.push(new StreamSink(io.stdout));
    else if (output.kind === 'file') sinks.push(await FileSink.open(resolve(io.cwd, output.path)));
    else
      sinks.push(
        new WebhookSink(output.url, {
          format: output.kind === 'slack' ? 'slack' : 'falco',
          onFailure,
          allowInsecure: config.insecureSinks === true,
          ...(ca !== undefined ? { ca } : {}),
        }),
      );
  }
  if (config.ledger !== undefined)
    sinks.push(
      await LedgerSink.open(
        resolve(io.cwd, config.ledger.dir),
        resolve(io.cwd, config.ledger.keyFile),
        onFailure,
      ),
    );
  return sinks;
}
