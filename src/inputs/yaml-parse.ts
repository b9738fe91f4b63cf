// Parses one document's text into a plain value with js-yaml (or JSON.parse), turning every failure into a
// positioned problem: syntax errors, documents over the size limit, nesting too deep, alias bombs.
import { load, YAMLException } from 'js-yaml';
import type { LoadIssue } from '../core/errors.ts';
import { checkExpansion, type ExpansionProblem } from './alias-budget.ts';
import { FALLBACK, parseFastYaml } from './fast-yaml.ts';
import { duplicateKeyOffsets, parseLeniently } from './lenient-parse.ts';
import { KUBERNETES_YAML_SCHEMA, takeMergeOverrides, withDuplicateKeys } from './yaml-schema.ts';

export interface ParseLimits {
  maxDocumentBytes: number;
  maxDepth: number;
  maxNodes: number;
  /** Characters the lenient second parse may still spend on (shared by the documents of one file). */
  retryBudget?: { remaining: number };
}

/** Characters of broken YAML one file may send to the lenient second parse, all documents together. */
export const LENIENT_RETRY_BUDGET_PER_FILE = 128 * 1024;

/**
 * A problem in a document; line and column are 1-based and relative to the document's text. Line 0 means the
 * whole document (reported at its first content line).
 */
export interface ParseProblem {
  code: LoadIssue['code'];
  message: string;
  line: number;
  column: number;
}

export type ParseOutcome =
  | { ok: true; value: unknown; warnings?: ParseProblem[] }
  | { ok: false; problem: ParseProblem };

/** UTF-8 size without encoding when the answer is plain from the length (UTF-8 never has fewer bytes). */
export function exceedsBytes(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return Buffer.byteLength(text, 'utf8') > limit;
}

function tooLarge(text: string, limits: ParseLimits): ParseProblem {
  const mib = (limits.maxDocumentBytes / 1048576).toFixed(limits.maxDocumentBytes % 1048576 === 0 ? 0 : 1);
  return {
    code: 'document-too-large',
    message: `document is ${Buffer.byteLength(text, 'utf8')} bytes, over the ${mib} MiB limit (maxDocumentBytes); not parsed`,
    line: 0,
    column: 1,
  };
}

function tooDeep(limits: ParseLimits, line: number, column: number): ParseProblem {
  return {
    code: 'too-deep',
    message: `nesting deeper than ${limits.maxDepth} levels (maxDepth); document not loaded`,
    line,
    column,
  };
}

function fromException(error: unknown, limits: ParseLimits): ParseProblem {
  if (error instanceof YAMLException) {
    const line = (error.mark?.line ?? 0) + 1;
    const column = (error.mark?.column ?? 0) + 1;
    if (error.reason.startsWith('nesting exceeded maxDepth')) return tooDeep(limits, line, column);
    return { code: 'yaml-syntax', message: `invalid YAML: ${withoutQuotedText(error.reason)}`, line, column };
  }
  if (error instanceof RangeError) return tooDeep(limits, 0, 1);
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'yaml-syntax', message: `invalid YAML: ${message}`, line: 1, column: 1 };
}

/**
 * js-yaml quotes document text in some reasons (`unidentified alias "..."`, unknown tags): that text may be a
 * secret (a password starting with `*` reads as an alias), so it is left out; the position says where to look.
 */
export function withoutQuotedText(reason: string): string {
  return reason.replace(/"[^"\n]*"?/g, '(…)').replace(/'[^'\n]*'/g, '(…)');
}

/** Text an aliased document may expand to: what four documents of the largest size allowed could hold. */
function expandedCharsLimit(limits: ParseLimits): number {
  return limits.maxDocumentBytes * 4;
}

function expansionProblem(reason: ExpansionProblem, limits: ParseLimits): ParseProblem {
  if (reason === 'depth') return tooDeep(limits, 0, 1);
  return {
    code: 'yaml-alias-bomb',
    message:
      reason === 'cycle'
        ? 'an alias refers to a node that contains it (recursive structure); document not loaded'
        : reason === 'size'
          ? `aliases expand to more than ${expandedCharsLimit(limits)} characters of text (4 times the document size limit): possible "billion laughs" attack; document not loaded`
          : `aliases expand to more than ${limits.maxNodes} nodes (maxNodes): possible "billion laughs" attack; document not loaded`,
    line: 0,
    column: 1,
  };
}

function loadWith(text: string, limits: ParseLimits, maxAliases: number): unknown {
  takeMergeOverrides();
  return load(text, { schema: KUBERNETES_YAML_SCHEMA, maxDepth: limits.maxDepth, maxAliases });
}

function isReason(error: unknown, prefix: string): boolean {
  return error instanceof YAMLException && error.reason.startsWith(prefix);
}

const LENIENT_RETRY_MAX_CHARS = 64 * 1024;

/** At most this many duplicated keys are reported one by one per document; the last warning counts the rest. */
const MAX_DUPLICATE_WARNINGS = 10;

/** Whether the second parser may spend on `text`, and if so charges the file's budget. */
function spendRetryBudget(text: string, limits: ParseLimits): boolean {
  const budget = limits.retryBudget;
  if (text.length > LENIENT_RETRY_MAX_CHARS || (budget !== undefined && budget.remaining < text.length))
    return false;
  if (budget !== undefined) budget.remaining -= text.length;
  return true;
}

/**
 * A warning at every duplicated key, not only at the first js-yaml stops at (`first`): each one hides a value.
 * Past a few, the last warning says how many more there are.
 */
function duplicateWarnings(text: string, first: ParseProblem, limits: ParseLimits): ParseProblem[] {
  const offsets = spendRetryBudget(text, limits) ? duplicateKeyOffsets(text) : undefined;
  if (offsets === undefined || offsets.length === 0) return [first];
  const shown = offsets.slice(0, MAX_DUPLICATE_WARNINGS);
  const warnings: ParseProblem[] = [];
  let line = 1;
  let lineStart = 0;
  for (const offset of shown) {
    for (let i = text.indexOf('\n', lineStart); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    warnings.push({ ...first, line, column: offset - lineStart + 1 });
  }
  const more = offsets.length - shown.length;
  const last = warnings[warnings.length - 1];
  if (more > 0 && last) last.message = `${last.message}; ${more} more duplicated keys in this document`;
  return warnings;
}

/** After a js-yaml syntax error: the `yaml` package's value when it accepts the document, else js-yaml's error. */
function retryLeniently(text: string, error: unknown, limits: ParseLimits): ParseOutcome {
  const problem = fromException(error, limits);
  if (problem.code !== 'yaml-syntax') return { ok: false, problem };
  // `image: !!int nginx`: go-yaml (kubectl) refuses a value its explicit tag cannot read, as js-yaml does; the
  // lenient parser would take it as a string.
  if (isReason(error, 'cannot resolve a node with')) {
    const name = /!<tag:yaml\.org,2002:([a-z]+)>/.exec(problem.message)?.[1];
    const tag = name === undefined ? 'its explicit tag' : `its explicit tag !!${name}`;
    return {
      ok: false,
      problem: {
        ...problem,
        message: `invalid YAML: the value cannot be read as ${tag} (kubectl refuses it too)`,
      },
    };
  }
  const duplicated = isReason(error, 'duplicated mapping key');
  const warning: ParseProblem = {
    ...problem,
    message:
      'duplicated mapping key: the last value is used, as kubectl reads it (kubectl --validate=strict refuses it)',
  };
  if (duplicated) {
    // go-yaml v2 keeps the last of duplicate keys: js-yaml reads that too when told to, with the same schema.
    const value = loadDuplicates(text, limits);
    if (value !== undefined) {
      takeMergeOverrides();
      const expansion = checkExpansion(
        value.value,
        limits.maxNodes,
        limits.maxDepth,
        expandedCharsLimit(limits),
      );
      if (expansion) return { ok: false, problem: expansionProblem(expansion, limits) };
      return { ok: true, value: value.value, warnings: duplicateWarnings(text, warning, limits) };
    }
  }
  // The second parser spends time and memory on every error it meets: a long run of broken YAML would cost
  // seconds and gigabytes. The constructs it exists for appear in ordinary manifests, well under this size.
  if (!spendRetryBudget(text, limits)) return { ok: false, problem };
  const lenient = parseLeniently(text);
  if (!lenient) return { ok: false, problem };
  if ('collectionKeyAt' in lenient) {
    const before = text.slice(0, lenient.collectionKeyAt);
    const line = before.split('\n').length;
    const column = lenient.collectionKeyAt - before.lastIndexOf('\n');
    return {
      ok: false,
      problem: {
        code: 'yaml-syntax',
        message: 'invalid YAML: a mapping or sequence used as a mapping key (Kubernetes refuses it)',
        line,
        column,
      },
    };
  }
  const expansion = checkExpansion(
    lenient.value,
    limits.maxNodes,
    limits.maxDepth,
    expandedCharsLimit(limits),
  );
  if (expansion) return { ok: false, problem: expansionProblem(expansion, limits) };
  if (!duplicated) return { ok: true, value: lenient.value };
  return { ok: true, value: lenient.value, warnings: duplicateWarnings(text, warning, limits) };
}

function loadDuplicates(text: string, limits: ParseLimits): { value: unknown } | undefined {
  try {
    return { value: withDuplicateKeys(() => loadWith(text, limits, -1)) };
  } catch {
    return undefined;
  }
}

/** Parses one YAML document (the text must hold exactly one, possibly with markers and directives). */
export function parseYamlDocument(text: string, limits: ParseLimits): ParseOutcome {
  if (exceedsBytes(text, limits.maxDocumentBytes)) return { ok: false, problem: tooLarge(text, limits) };
  // Most manifests are plain block YAML: the fast path reads those, and js-yaml everything else.
  const fast = parseFastYaml(text, limits.maxDepth);
  if (fast !== FALLBACK) return { ok: true, value: fast };
  try {
    // Aliases are rare in manifests; refusing them first keeps the common path free of the expansion walk.
    return withMergeWarning(text, { ok: true, value: loadWith(text, limits, 0) });
  } catch (error) {
    if (!isReason(error, 'aliases exceeded maxAliases')) return retryLeniently(text, error, limits);
  }
  let value: unknown;
  try {
    value = loadWith(text, limits, -1);
  } catch (error) {
    return retryLeniently(text, error, limits);
  }
  const expansion = checkExpansion(value, limits.maxNodes, limits.maxDepth, expandedCharsLimit(limits));
  if (expansion) return { ok: false, problem: expansionProblem(expansion, limits) };
  return withMergeWarning(text, { ok: true, value });
}

/**
 * Merge keys are applied as go-yaml applies them (a later `<<` overwrites explicit keys before it); when one did,
 * the document reads differently to most YAML tools and people, so say so.
 */
function withMergeWarning(text: string, outcome: { ok: true; value: unknown }): ParseOutcome {
  const keys = takeMergeOverrides();
  if (keys.length === 0) return outcome;
  const at = text.indexOf('<<');
  const before = text.slice(0, Math.max(0, at));
  const line = before.split('\n').length;
  const names = [...new Set(keys)].slice(0, 5).join(', ');
  return {
    ...outcome,
    warnings: [
      {
        code: 'yaml-syntax',
        message: `a merge key (<<) overrides explicit keys before it (${names}): Kubernetes (go-yaml) applies merges in document order, so the merged values are used`,
        line,
        column: at - before.lastIndexOf('\n'),
      },
    ],
  };
}

/** Index of the quote that closes the JSON string opened at `open` (or the text's length), honouring escapes. */
export function closingQuote(text: string, open: number): number {
  const length = text.length;
  let i = open + 1;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) break;
  }
  return i;
}

/**
 * Depth of brackets in JSON text, outside strings; the offset where `maxDepth` is first exceeded, or -1.
 * JSON.parse itself copes with deep input, but everything that walks the value afterwards might not.
 */
export function jsonDepthExceeded(text: string, maxDepth: number): number {
  return scanJson(text, maxDepth).deep;
}

/**
 * Where JSON text first nests deeper than `maxDepth` (-1 when it does not), and how many keys it writes: in valid
 * JSON every `:` outside strings follows a key.
 */
function scanJson(text: string, maxDepth: number): { deep: number; keys: number } {
  let depth = 0;
  let keys = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = closingQuote(text, i);
    else if (c === 58) keys++;
    else if (c === 91 || c === 123) {
      if (++depth > maxDepth) return { deep: i, keys };
    } else if (c === 93 || c === 125) depth--;
  }
  return { deep: -1, keys };
}

/** Keys of every object in a parsed JSON value (nesting is already bounded by the depth check). */
function countKeys(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null && typeof item === 'object') count += countKeys(item);
    return count;
  }
  for (const key in value) {
    count++;
    const item = (value as Record<string, unknown>)[key];
    if (item !== null && typeof item === 'object') count += countKeys(item);
  }
  return count;
}

/** Parses JSON text; on a syntax error returns undefined so that the caller re-parses as YAML for positions. */
export function parseJsonDocument(text: string, limits: ParseLimits): ParseOutcome | undefined {
  if (exceedsBytes(text, limits.maxDocumentBytes)) return { ok: false, problem: tooLarge(text, limits) };
  const { deep, keys } = scanJson(text, limits.maxDepth);
  if (deep !== -1) {
    const before = text.slice(0, deep);
    const line = before.split('\n').length;
    return { ok: false, problem: tooDeep(limits, line, deep - before.lastIndexOf('\n')) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // JSON.parse keeps the last of duplicate keys, as kubectl does, silently: fewer keys read than written says so.
  if (keys === countKeys(value)) return { ok: true, value };
  const first: ParseProblem = {
    code: 'yaml-syntax',
    message:
      'duplicated key in a JSON object: the last value is used, as kubectl reads it (kubectl --validate=strict refuses it)',
    line: 0,
    column: 1,
  };
  return { ok: true, value, warnings: duplicateWarnings(text, first, limits) };
}
