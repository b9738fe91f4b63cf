// Reads one Falco rules file (YAML: a sequence of list, macro and rule items) keeping each item's position.
// As Falco (yaml-cpp's LoadAll), every document of the file is read, and scalars stay the text they were
// written as (`1.10` is "1.10", `010` is "010"); only `~`, `null` and empty values are null.
import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { isRecord } from '../../core/kube-object.ts';
import { MAX_YAML_NESTING, tooDeepYamlAt } from '../../core/yaml-depth.ts';
import type { RuleLoadProblem } from './load-problem.ts';

export type RulesItemKind =
  | 'list'
  | 'macro'
  | 'rule'
  | 'required_engine_version'
  | 'required_plugin_versions';

export interface RulesItem {
  kind: RulesItemKind;
  name: string;
  value: Record<string, unknown>;
  file: string;
  line: number;
  column: number;
  /** Line of each key's value, for messages about one property (condition, output...). */
  keyLines: Record<string, number>;
  /** Line of each key under `override`. */
  overrideLines: Record<string, number>;
}

const KINDS: RulesItemKind[] = [
  'rule',
  'macro',
  'list',
  'required_engine_version',
  'required_plugin_versions',
];
/** Rules files are configuration, never megabytes; larger input is refused rather than parsed. */
const MAX_RULES_FILE_BYTES = 16 * 1024 * 1024;

export function readRulesFile(
  text: string,
  file: string,
): { items: RulesItem[]; problems: RuleLoadProblem[] } {
  const problems: RuleLoadProblem[] = [];
  const items: RulesItem[] = [];
  if (text.length > MAX_RULES_FILE_BYTES) {
    problems.push({ severity: 'error', file, line: 1, column: 1, message: 'rules file larger than 16 MiB' });
    return { items, problems };
  }
  const lineCounter = new LineCounter();
  // A byte order mark is harmless to yaml-cpp; this parser would read it as content.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // The YAML composer recurses: thousands of nested levels would overflow the stack (or, by the million, memory).
  const deep = tooDeepYamlAt(source);
  if (deep !== undefined) {
    problems.push({
      severity: 'error',
      file,
      line: deep.line,
      column: deep.column,
      message: `YAML: nested deeper than ${MAX_YAML_NESTING} levels; not read`,
    });
    return { items, problems };
  }
  const docs = parseAllDocuments(source, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    schema: 'failsafe',
    customTags: ['null'],
  });
  let failed = false;
  for (const doc of docs)
    for (const error of doc.errors) {
      failed = true;
      const pos = lineCounter.linePos(error.pos[0]);
      problems.push({
        severity: 'error',
        file,
        line: pos.line,
        column: pos.col,
        message: `YAML: ${error.message.split('\n')[0]}`,
      });
    }
  // As with LoadAll, a syntax error anywhere leaves the whole file unread.
  if (failed) return { items, problems };
  const position = (node: Node | null | undefined) => {
    const offset = node?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  for (const doc of docs) {
    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) continue;
    if (!isSeq(root)) {
      problems.push({
        severity: 'error',
        file,
        ...position(root as Node),
        message: 'a rules file is a YAML sequence of list, macro and rule items',
      });
      continue;
    }
    readItems(root.items, file, position, items, problems);
  }
  return { items, problems };
}

function readItems(
  nodes: readonly unknown[],
  file: string,
  position: (node: Node | null | undefined) => { line: number; column: number },
  items: RulesItem[],
  problems: RuleLoadProblem[],
): void {
  for (const node of nodes) {
    const at = position(node as Node);
    if (node === null || (node as Node & { source?: unknown }) === undefined) continue;
    if (!isMap(node)) {
      const plain = (node as Node).toJSON();
      if (plain === null) continue; // a bare "-": Falco ignores it
      problems.push({
        severity: 'error',
        file,
        ...at,
        message: 'each item must be a mapping (list, macro or rule)',
      });
      continue;
    }
    let value: unknown;
    try {
      value = node.toJSON();
    } catch (error) {
      // The yaml package refuses alias expansions past its budget (a "billion laughs" file).
      problems.push({ severity: 'error', file, ...at, message: `YAML: ${(error as Error).message}` });
      continue;
    }
    if (!isRecord(value)) continue;
    const keyLines: Record<string, number> = {};
    const overrideLines: Record<string, number> = {};
    for (const pair of node.items) {
      const key = (pair.key as Node | null)?.toJSON?.();
      if (typeof key !== 'string') continue;
      keyLines[key] = position((pair.value as Node | null) ?? (pair.key as Node)).line;
      if (key === 'override' && isMap(pair.value))
        for (const inner of pair.value.items) {
          const name = (inner.key as Node | null)?.toJSON?.();
          if (typeof name === 'string') overrideLines[name] = position(inner.key as Node).line;
        }
    }
    const kind = KINDS.find((candidate) => Object.hasOwn(value, candidate));
    if (kind === undefined) {
      problems.push({
        severity: 'error',
        file,
        ...at,
        message: `unknown item: expected one of ${KINDS.join(', ')}`,
      });
      continue;
    }
    const nameValue = value[kind];
    const named = kind === 'rule' || kind === 'macro' || kind === 'list';
    if (named && (typeof nameValue !== 'string' || nameValue.trim() === '')) {
      problems.push({ severity: 'error', file, ...at, message: `${kind} name must be a non-empty string` });
      continue;
    }
    items.push({
      kind,
      name: named ? (nameValue as string).trim() : kind,
      value,
      file,
      ...at,
      keyLines,
      overrideLines,
    });
  }
}
