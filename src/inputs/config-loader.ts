// `.palisade.yaml`: scan defaults and exceptions. Found upward from the scanned path, or given with --config.
// Every mistake is an error naming file and line: a typo must never silently widen or narrow a scan.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import { PalisadeError } from '../core/errors.ts';
import type { ExceptionRule } from '../core/exception.ts';
import { parsePssVersion } from '../core/pss-version.ts';
import { readRegularFileSync } from '../core/regular-file.ts';
import { FRAMEWORK_IDS, type Rule } from '../core/rule.ts';
import { isFrameworkId, resolveRuleIds } from '../core/rule-selection.ts';
import { isSeverity, SEVERITIES, type Severity } from '../core/severity.ts';
import { MAX_YAML_NESTING, tooDeepYamlAt } from '../core/yaml-depth.ts';

export const CONFIG_FILE_NAMES = ['.palisade.yaml', '.palisade.yml'] as const;

export interface PalisadeConfig {
  file: string;
  failOn?: Severity | 'none';
  pssVersion?: string;
  frameworks?: string[];
  rules?: string[];
  skipRules?: string[];
  exceptions: ExceptionRule[];
}

const TOP_LEVEL_KEYS = ['failOn', 'pssVersion', 'frameworks', 'rules', 'skipRules', 'exceptions'];
const EXCEPTION_KEYS = ['rule', 'rules', 'resource', 'container', 'reason', 'expires'];
const RESOURCE_KEYS = ['kind', 'namespace', 'name'];

/** The nearest config file at or above `start` (a file or directory), or undefined. */
export function findConfigUpward(start: string): string | undefined {
  let directory = resolve(start);
  if (existsSync(directory) && !statSync(directory).isDirectory()) directory = dirname(directory);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(directory, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * The text of a configuration file; an unreadable file is a config error naming it (`what`: "config", "policy").
 * Only a regular file is read (readRegularFileSync): a `.palisade.yaml` planted as a FIFO must not hang a scan.
 */
export function readConfigText(file: string, what: string): string {
  try {
    return readRegularFileSync(file).toString('utf8');
  } catch (error) {
    throw new PalisadeError(
      'config-invalid',
      `cannot read ${what} file ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

export function loadConfigFile(file: string, knownRules: readonly Rule[]): PalisadeConfig {
  return parseConfig(readConfigText(file, 'config'), file, knownRules);
}

export function parseConfig(text: string, file: string, knownRules: readonly Rule[]): PalisadeConfig {
  // The YAML composer recurses: a config found in a scanned repository must not overflow the stack.
  const deep = tooDeepYamlAt(text);
  if (deep !== undefined)
    throw new PalisadeError(
      'config-invalid',
      `invalid config file:\n  ${file}:${deep.line}:${deep.column}: nested deeper than ${MAX_YAML_NESTING} levels; not read`,
    );
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: string[] = [];
  const at = (node: Node | null | undefined) => {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  for (const error of document.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    problems.push(`${file}:${line}:${col}: ${error.message.split('\n')[0]}`);
  }
  const config: PalisadeConfig = { file, exceptions: [] };
  if (problems.length === 0 && document.contents !== null) {
    if (!isMap(document.contents)) problems.push(`${at(document.contents)}: the config must be a mapping`);
    else readTopLevel(document.contents, config, problems, at, knownRules);
  }
  if (problems.length > 0)
    throw new PalisadeError('config-invalid', `invalid config file:\n  ${problems.join('\n  ')}`);
  return config;
}

type At = (node: Node | null | undefined) => string;

function readTopLevel(
  map: YAMLMap,
  config: PalisadeConfig,
  problems: string[],
  at: At,
  knownRules: readonly Rule[],
) {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    switch (key) {
      case 'failOn': {
        const text = scalarString(value);
        if (text !== undefined && (text === 'none' || isSeverity(text))) config.failOn = text;
        else problems.push(`${at(value)}: failOn must be one of ${SEVERITIES.join(', ')}, none`);
        break;
      }
      case 'pssVersion': {
        const text = scalarString(value);
        if (text === undefined)
          problems.push(`${at(value)}: pssVersion must be a string such as v1.33 or latest`);
        else
          try {
            parsePssVersion(text);
            config.pssVersion = text;
          } catch (error) {
            problems.push(`${at(value)}: ${(error as Error).message}`);
          }
        break;
      }
      case 'frameworks':
      case 'rules':
      case 'skipRules': {
        const list = stringList(value);
        if (list === undefined) problems.push(`${at(value)}: ${key} must be a list of strings`);
        else {
          if (key !== 'frameworks') checkRuleIds(list, knownRules, `${at(value)}: ${key}`, problems);
          else
            for (const framework of list.filter((id) => !isFrameworkId(id)))
              problems.push(
                `${at(value)}: unknown framework "${framework}" (expected one of ${FRAMEWORK_IDS.join(', ')})`,
              );
          config[key] = list;
        }
        break;
      }
      case 'exceptions':
        if (value === null || (isScalar(value) && value.value === null)) break; // `exceptions:` left empty
        if (!isSeq(value)) problems.push(`${at(value)}: exceptions must be a list`);
        else
          for (const item of value.items) {
            const exception = readException(item as Node, problems, at, knownRules);
            if (exception) config.exceptions.push(exception);
          }
        break;
      default:
        problems.push(
          `${at(pair.key as Node)}: unknown key "${key}" (expected one of ${TOP_LEVEL_KEYS.join(', ')})`,
        );
    }
  }
}

function readException(
  node: Node,
  problems: string[],
  at: At,
  knownRules: readonly Rule[],
): ExceptionRule | undefined {
  if (!isMap(node)) {
    problems.push(`${at(node)}: an exception must be a mapping with rule(s), resource and reason`);
    return undefined;
  }
  const before = problems.length;
  const get = (name: string) =>
    node.items.find((pair) => isScalar(pair.key) && pair.key.value === name)?.value as
      | Node
      | null
      | undefined;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!EXCEPTION_KEYS.includes(key))
      problems.push(
        `${at(pair.key as Node)}: unknown exception key "${key}" (expected ${EXCEPTION_KEYS.join(', ')})`,
      );
  }
  const ruleNode = get('rule');
  const single = ruleNode === undefined ? undefined : scalarString(ruleNode);
  // A list or mapping under `rule:` would otherwise vanish, leaving an exception broader or narrower than written.
  if (ruleNode !== undefined && (single === undefined || single === ''))
    problems.push(`${at(ruleNode ?? node)}: rule must be one rule id (a string); list several under rules:`);
  const many = get('rules') === undefined ? [] : stringList(get('rules'));
  if (many === undefined) problems.push(`${at(get('rules'))}: rules must be a list of rule ids`);
  const rules = [...(single !== undefined ? [single] : []), ...(many ?? [])];
  if (rules.length === 0 && ruleNode === undefined && many !== undefined)
    problems.push(`${at(node)}: exception names no rule (set rule: or rules:)`);
  checkRuleIds(rules, knownRules, `${at(node)}: exception`, problems);
  // Aliases resolve to the current id so that renamed rules keep their exceptions.
  const ruleIds = rules.flatMap((id) =>
    knownRules.filter((rule) => rule.id === id || rule.aliases?.includes(id)).map((rule) => rule.id),
  );

  const resourceNode = get('resource');
  const resource = { kind: '*', namespace: '*', name: '*' };
  if (resourceNode === undefined || !isMap(resourceNode))
    problems.push(
      `${at(resourceNode ?? node)}: exception needs a resource mapping (kind, namespace, name globs)`,
    );
  else
    for (const pair of resourceNode.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = scalarString(pair.value as Node);
      if (!RESOURCE_KEYS.includes(key))
        problems.push(`${at(pair.key as Node)}: unknown resource key "${key}"`);
      else if (value === undefined)
        problems.push(`${at(pair.value as Node)}: resource.${key} must be a string`);
      else resource[key as 'kind' | 'namespace' | 'name'] = value;
    }

  const reason = scalarString(get('reason'));
  if (reason === undefined || reason.trim() === '') problems.push(`${at(node)}: exception needs a reason`);
  const expiresNode = get('expires');
  const expires = expiresNode === undefined ? undefined : scalarString(expiresNode);
  if (expiresNode !== undefined && (expires === undefined || !isIsoDate(expires)))
    problems.push(`${at(expiresNode)}: expires must be a date written YYYY-MM-DD`);
  const containerNode = get('container');
  const container = containerNode === undefined ? undefined : scalarString(containerNode);
  if (containerNode !== undefined && container === undefined)
    problems.push(`${at(containerNode)}: container must be a container name`);

  if (problems.length > before) return undefined;
  const exception: ExceptionRule = {
    rules: ruleIds,
    ...resource,
    reason: (reason as string).trim(),
    origin: at(node),
  };
  if (expires !== undefined) exception.expires = expires;
  if (container !== undefined) exception.container = container;
  return exception;
}

function checkRuleIds(
  ids: readonly string[],
  knownRules: readonly Rule[],
  where: string,
  problems: string[],
) {
  try {
    resolveRuleIds(knownRules, ids, where);
  } catch (error) {
    problems.push((error as Error).message);
  }
}

function scalarString(node: Node | null | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  // Numbers keep their source text, so that `pssVersion: 1.30` is not read as 1.3.
  if (typeof value === 'number') return typeof node.source === 'string' ? node.source : String(value);
  return typeof value === 'string' ? value : undefined;
}

function stringList(node: Node | null | undefined): string[] | undefined {
  if (!isSeq(node)) return undefined;
  const out: string[] = [];
  for (const item of node.items) {
    const text = scalarString(item as Node);
    if (text === undefined) return undefined;
    out.push(text);
  }
  return out;
}

function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
