// Reads one Falco rules file (YAML: a sequence of list, macro and rule items) keeping each item's position.
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { isRecord } from '../../core/kube-object.ts';
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
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  for (const error of doc.errors) {
    const pos = lineCounter.linePos(error.pos[0]);
    problems.push({
      severity: 'error',
      file,
      line: pos.line,
      column: pos.col,
      message: `YAML: ${error.message.split('\n')[0]}`,
    });
  }
  if (doc.errors.length > 0) return { items, problems };
  const position = (node: Node | null | undefined) => {
    const offset = node?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const root = doc.contents;
  if (root === null) return { items, problems };
  if (!isSeq(root)) {
    problems.push({
      severity: 'error',
      file,
      ...position(root as Node),
      message: 'a rules file is a YAML sequence of list, macro and rule items',
    });
    return { items, problems };
  }
  for (const node of root.items) {
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
    for (const pair of node.items) {
      const key = (pair.key as Node | null)?.toJSON?.();
      if (typeof key === 'string')
        keyLines[key] = position((pair.value as Node | null) ?? (pair.key as Node)).line;
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
    items.push({ kind, name: named ? (nameValue as string).trim() : kind, value, file, ...at, keyLines });
  }
  return { items, problems };
}
