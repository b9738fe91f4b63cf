// From a scan request to a report: config, rule selection, loading, evaluation. Shared by the CLI and tools.
import { resolve } from 'node:path';
import { evaluate } from '../core/engine.ts';
import { compareFindings } from '../core/finding-order.ts';
import { Inventory } from '../core/inventory.ts';
import { parsePssVersion } from '../core/pss-version.ts';
import { type ScanReport, summarize } from '../core/report.ts';
import { selectRules } from '../core/rule-selection.ts';
import { findConfigUpward, loadConfigFile, type PalisadeConfig } from '../inputs/config-loader.ts';
import { loadManifests } from '../inputs/manifest-loader.ts';
import { builtinRules } from '../rules/index.ts';
import { PALISADE_VERSION } from './version.ts';

export interface ScanRequest {
  inputs: readonly string[];
  cwd: string;
  stdin?: NodeJS.ReadableStream;
  now: Date;
  useConfig: boolean;
  configFile?: string;
  frameworks?: readonly string[];
  rules?: readonly string[];
  skipRules?: readonly string[];
  pssVersion?: string;
}

export interface ScanOutcome {
  report: ScanReport;
  config: PalisadeConfig | undefined;
}

function findConfig(request: ScanRequest): PalisadeConfig | undefined {
  if (request.configFile !== undefined)
    return loadConfigFile(resolve(request.cwd, request.configFile), builtinRules);
  if (!request.useConfig) return undefined;
  const first = request.inputs.find((input) => input !== '-');
  const found = findConfigUpward(resolve(request.cwd, first ?? '.'));
  return found === undefined ? undefined : loadConfigFile(found, builtinRules);
}

export async function buildScanReport(request: ScanRequest): Promise<ScanOutcome> {
  const config = findConfig(request);
  // Command-line choices replace the config file's, never merge with them, so what runs is what was asked.
  const pssVersion = parsePssVersion(request.pssVersion ?? config?.pssVersion ?? 'latest');
  const frameworks = request.frameworks ?? config?.frameworks ?? [];
  const rules = selectRules(builtinRules, {
    frameworks,
    rules: request.rules ?? config?.rules ?? [],
    skipRules: request.skipRules ?? config?.skipRules ?? [],
  });

  const loaded = await loadManifests(request.inputs, {
    cwd: request.cwd,
    ...(request.stdin ? { stdin: request.stdin } : {}),
  });
  const inventory = new Inventory(loaded.entries);
  const result = evaluate(inventory, {
    rules,
    pssVersion,
    exceptions: config?.exceptions ?? [],
    now: request.now,
    knownRuleIds: new Set(builtinRules.flatMap((rule) => [rule.id, ...(rule.aliases ?? [])])),
  });
  const findings = result.findings.sort(compareFindings);

  const summary = summarize({
    objects: inventory.size,
    objectsEvaluated: result.objectsEvaluated,
    skippedDocuments: loaded.skippedDocuments,
    findings,
    errors: result.errors,
    loadIssues: loaded.issues,
  });
  const report: ScanReport = {
    tool: { name: 'palisade', version: PALISADE_VERSION },
    startedAt: request.now.toISOString(),
    inputs: request.inputs,
    pssVersion: pssVersion.label,
    frameworks,
    rules,
    findings,
    errors: result.errors,
    loadIssues: loaded.issues,
    notices: result.notices,
    expiredExceptions: result.expiredExceptions,
    summary,
  };
  return { report, config };
}
