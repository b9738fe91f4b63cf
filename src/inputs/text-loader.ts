// Loads the documents of one file's text: split, parse, classify, validate, and give every object a lazy
// locator. Each document is handled on its own, so one bad document never hides the others.
import type { LoadIssue } from '../core/errors.ts';
import type { InventoryEntry } from '../core/inventory.ts';
import { type FieldPath, formatPath, formatRef, getPath, refOf } from '../core/kube-object.ts';
import type { LocatedField, ObjectSource } from '../core/source.ts';
import { networkPolicyProblems } from '../netpol/policy-model.ts';
import { classifyDocument, type FoundObject } from './classify-document.ts';
import { type DocumentSegment, splitDocuments } from './document-splitter.ts';
import { podSpecProblems } from './pod-spec-problems.ts';
import { podStructureProblems } from './pod-structure-problems.ts';
import { rbacObjectProblems } from './rbac-object-problems.ts';
import { validateShape } from './validate-shape.ts';
import { YamlLocator } from './yaml-locator.ts';
import {
  closingQuote,
  LENIENT_RETRY_BUDGET_PER_FILE,
  type ParseLimits,
  type ParseOutcome,
  parseJsonDocument,
  parseYamlDocument,
} from './yaml-parse.ts';

export interface TextLoad {
  entries: InventoryEntry[];
  issues: LoadIssue[];
  documents: number;
  skippedDocuments: number;
}

/** At most this many shape errors are reported per object: past a few, more lines of them help nobody. */
const MAX_SHAPE_ERRORS = 10;

function firstContentLine(text: string): number {
  let line = 1;
  for (let pos = 0; pos < text.length; line++) {
    const newline = text.indexOf('\n', pos);
    const end = newline === -1 ? text.length : newline;
    const content = text.slice(pos, end).trim();
    if (content !== '' && !content.startsWith('#')) return line;
    pos = end + 1;
  }
  return 1;
}

/** JSON texts (by extension, or a text that opens with a bracket) take the JSON.parse fast path. */
function looksLikeJson(text: string, file: string): boolean {
  if (file.endsWith('.json')) return true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    return c === 123 || c === 91;
  }
  return false;
}

/** Line breaks for go-yaml (YAML 1.1) that js-yaml reads as ordinary characters: NEL, LINE and PARAGRAPH SEPARATOR. */
const YAML11_BREAKS = /[\u0085\u2028\u2029]/g;
/** Control characters go-yaml refuses anywhere in a document, comments included; js-yaml accepts some in comments. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this pattern is for.
const CONTROL_CHARACTERS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/g;
/** At most this many line-break warnings, and control-character errors, per file. */
const MAX_CHARACTER_WARNINGS = 5;

function lineAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

function codePointName(c: string): string {
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function isYaml11Break(c: number): boolean {
  return c === 10 || c === 0x85 || c === 0x2028 || c === 0x2029;
}

/**
 * Offsets of NEL, U+2028 and U+2029 that sit inside a quoted scalar: go-yaml keeps U+2028 and U+2029 there and
 * folds NEL to a space, as it folds any single line break of a quoted scalar. Elsewhere (plain and block scalars,
 * comments) they are line breaks, and the scan treats them so. A light scanner, not a parser: it follows quotes,
 * comments, flow brackets and block scalars line by line, and forgets everything at a line starting with `---`
 * (kubectl splits the stream there whatever the YAML says).
 */
function quotedYaml11Breaks(text: string): Set<number> {
  const quoted = new Set<number>();
  const n = text.length;
  let i = 0;
  let flow = 0;
  /** While inside a block scalar: the column its content lines must be indented more than; else -2. */
  let block = -2;
  const lineEnd = (from: number): number => {
    let j = from;
    while (j < n && !isYaml11Break(text.charCodeAt(j))) j++;
    return j;
  };
  const blank = (c: number): boolean =>
    c === 32 || c === 9 || c === 13 || Number.isNaN(c) || isYaml11Break(c);
  /** Offset after the quote closing the scalar opened at `open` (or where a `---` line or the text ends it). */
  const closeQuote = (open: number): number => {
    const quote = text.charCodeAt(open);
    for (let j = open + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === quote) {
        if (quote === 39 && text.charCodeAt(j + 1) === 39)
          j++; // 'it''s'
        else return j + 1;
      } else if (c === 92 && quote === 34) j++;
      else if (c === 10 && text.startsWith('---', j + 1)) return j;
      else if (c === 0x85 || c === 0x2028 || c === 0x2029) quoted.add(j);
    }
    return n;
  };
  while (i < n) {
    // `i` starts a line (after a line break of either kind, or a quoted scalar's last line).
    let lineStart = i;
    if (text.startsWith('---', i)) {
      flow = 0;
      block = -2;
    }
    let indent = i;
    while (text.charCodeAt(indent) === 32) indent++;
    if (block !== -2) {
      const end = lineEnd(indent);
      const content = text.slice(indent, end).trim() !== '';
      if (!content || indent - i > block) {
        i = end + 1;
        continue;
      }
      block = -2;
    }
    // The column a block scalar starting on this line must be indented more than: that of its key or `-`.
    let parent = indent - i - 1;
    let quoteColumn = parent;
    let expectNode = true;
    let j = indent;
    // `--- |`: the document's node may start on the marker line.
    if (j === i && text.startsWith('---', i) && blank(text.charCodeAt(i + 3))) j += 3;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (isYaml11Break(c)) break;
      if (c === 32 || c === 9 || c === 13) {
        j++;
      } else if (c === 35 && (j === lineStart || blank(text.charCodeAt(j - 1)))) {
        j = lineEnd(j); // a comment
      } else if (c === 34 || c === 39) {
        // A quote starts a scalar only where a node may start (`it's` is plain); after a quoted scalar, a quote
        // is broken YAML: reading it as another quoted scalar keeps what is between as it was.
        quoteColumn = j - lineStart;
        j = closeQuote(j);
        const newline = text.lastIndexOf('\n', j - 1);
        if (newline >= lineStart) lineStart = newline + 1;
        expectNode = false;
      } else if (!expectNode) {
        // After a quoted scalar, an alias or a flow collection: `:`, `,` or a bracket; anything else reads as text.
        if (c === 58) parent = quoteColumn;
        if (c === 44 || c === 58 || c === 91 || c === 123) expectNode = true;
        if (c === 91 || c === 123) flow++;
        else if ((c === 93 || c === 125) && flow > 0) flow--;
        j++;
      } else if ((c === 45 || c === 63 || c === 58) && blank(text.charCodeAt(j + 1))) {
        if (c === 45) parent = j - lineStart;
        j++;
      } else if (c === 91 || c === 123) {
        flow++;
        j++;
      } else if (c === 93 || c === 125) {
        if (flow > 0) flow--;
        expectNode = false;
        j++;
      } else if (c === 44) {
        j++;
      } else if (c === 38 || c === 33 || c === 42) {
        // An anchor or tag comes before a node; an alias is one.
        while (j < n && !blank(text.charCodeAt(j)) && !(flow > 0 && isFlowIndicator(text.charCodeAt(j)))) j++;
        if (c === 42) expectNode = false;
      } else if ((c === 124 || c === 62) && flow === 0) {
        block = parent;
        j = lineEnd(j);
      } else {
        // A plain scalar, up to `: `, ` #`, a line break, or (in flow) a flow indicator.
        const start = j;
        for (; j < n; j++) {
          const d = text.charCodeAt(j);
          if (isYaml11Break(d)) break;
          if (flow > 0 && isFlowIndicator(d)) break;
          const next = text.charCodeAt(j + 1);
          if (d === 58 && (blank(next) || (flow > 0 && isFlowIndicator(next)))) {
            parent = start - lineStart;
            j++;
            break;
          }
          if (d === 35 && blank(text.charCodeAt(j - 1))) break;
        }
      }
    }
    i = j + 1;
  }
  return quoted;
}

function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}

/**
 * The YAML text as Kubernetes (go-yaml) reads its lines: NEL, U+2028 and U+2029 outside quoted scalars become line
 * breaks (same offsets), and a byte order mark at the start of a line is dropped (go-yaml skips one there; kubectl
 * strips it at the start of each document). Inside quoted scalars U+2028 and U+2029 are kept and NEL is a space,
 * as go-yaml reads them. Warnings name every such line break, and errors the control characters go-yaml refuses.
 */
function normaliseYamlText(text: string, file: string, issues: LoadIssue[]): string {
  let body = text.includes('\uFEFF') ? text.replace(/(^|\n)\uFEFF/g, '$1') : text;
  let warned = 0;
  if (YAML11_BREAKS.test(body)) {
    YAML11_BREAKS.lastIndex = 0;
    const quoted = quotedYaml11Breaks(body);
    const source = body;
    body = source.replace(YAML11_BREAKS, (char: string, offset: number) => {
      if (quoted.has(offset)) return char === '\u0085' ? ' ' : char;
      if (warned++ < MAX_CHARACTER_WARNINGS)
        issues.push({
          severity: 'warning',
          code: 'yaml-syntax',
          message: `${codePointName(char)} is a line break for Kubernetes (YAML 1.1): the text after it is read as a new line`,
          file,
          ...lineAt(source, offset),
        });
      return '\n';
    });
  }
  CONTROL_CHARACTERS.lastIndex = 0;
  if (CONTROL_CHARACTERS.test(body)) {
    CONTROL_CHARACTERS.lastIndex = 0;
    warned = 0;
    for (const match of body.matchAll(CONTROL_CHARACTERS)) {
      if (warned++ >= MAX_CHARACTER_WARNINGS) break;
      // go-yaml refuses them even in comments, where js-yaml reads on: an error (kubectl fails on the document),
      // while the objects js-yaml reads are still scanned.
      issues.push({
        severity: 'error',
        code: 'yaml-syntax',
        message: `control character ${codePointName(match[0])}: kubectl refuses the document holding it (control characters are not allowed); its objects are still scanned`,
        file,
        ...lineAt(body, match.index),
      });
    }
  }
  return body;
}

/** At most this many values in a stream of concatenated JSON objects. */
const MAX_JSON_STREAM_VALUES = 100_000;

/**
 * Offsets [start, end) of the top-level objects of a stream of concatenated JSON objects (`{...}{...}` or one per
 * line), as kubectl's JSON stream decoder reads them, and the offset of whatever follows them that is not another
 * complete object (-1 when nothing does).
 */
function splitJsonStream(text: string): { ranges: Array<[number, number]>; rest: number } {
  const ranges: Array<[number, number]> = [];
  const length = text.length;
  let i = 0;
  for (;;) {
    while (i < length) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
    if (i >= length) return { ranges, rest: -1 };
    if (text.charCodeAt(i) !== 123 || ranges.length >= MAX_JSON_STREAM_VALUES) return { ranges, rest: i };
    const start = i;
    let depth = 0;
    for (; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) i = closingQuote(text, i);
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (--depth === 0) break;
      }
    }
    if (i >= length) return { ranges, rest: start };
    i++;
    ranges.push([start, i]);
  }
}

/**
 * Loads a stream of concatenated JSON objects, one document each, as kubectl does: the objects before a broken
 * one are read, and the rest is reported. False when the text is not such a stream (the YAML path then decides).
 */
function loadJsonStream(body: string, file: string, limits: ParseLimits, result: TextLoad): boolean {
  const { ranges, rest } = splitJsonStream(body);
  const parsed: ParseOutcome[] = [];
  let brokenAt = rest;
  for (const [start, end] of ranges) {
    const outcome = parseJsonDocument(body.slice(start, end), limits);
    if (outcome === undefined) {
      brokenAt = start;
      break;
    }
    parsed.push(outcome);
  }
  if (parsed.length === 0 || (parsed.length === 1 && brokenAt === -1)) return false;
  let line = 1;
  let lineStart = 0;
  const advance = (offset: number): void => {
    for (let i = body.indexOf('\n', lineStart); i !== -1 && i < offset; i = body.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
  };
  parsed.forEach((outcome, index) => {
    const [start, end] = ranges[index] as [number, number];
    advance(start);
    // Padding keeps the columns of the object's first line right for the locator.
    const text = ' '.repeat(start - lineStart) + body.slice(start, end);
    loadDocument({ index, text, startLine: line, contentLine: line, empty: false }, outcome, file, result);
  });
  if (brokenAt !== -1) {
    advance(brokenAt);
    result.documents++;
    result.issues.push({
      severity: 'error',
      code: 'yaml-syntax',
      message: `invalid JSON after ${parsed.length} complete object(s) of a JSON stream: kubectl applies those and fails here`,
      file,
      line,
      column: brokenAt - lineStart + 1,
    });
  }
  return true;
}

export function loadText(text: string, file: string, limits: ParseLimits): TextLoad {
  const result: TextLoad = { entries: [], issues: [], documents: 0, skippedDocuments: 0 };
  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (looksLikeJson(body, file)) {
    const parsed = parseJsonDocument(body, limits);
    if (parsed) {
      const line = firstContentLine(body);
      loadDocument(
        { index: 0, text: body, startLine: 1, contentLine: line, empty: false },
        parsed,
        file,
        result,
      );
      return result;
    }
    // kubectl reads a text that opens with `{` as a stream of JSON values: `{...}{...}` is two objects.
    if (loadJsonStream(body, file, limits, result)) return result;
  }
  body = normaliseYamlText(body, file, result.issues);
  // One budget for the whole file: many broken documents must not each pay for a second parse.
  const documentLimits: ParseLimits = {
    ...limits,
    retryBudget: { remaining: LENIENT_RETRY_BUDGET_PER_FILE },
  };
  for (const segment of splitDocuments(body)) {
    if (segment.empty) continue;
    if (segment.afterEnd) {
      result.issues.push({
        severity: 'warning',
        code: 'yaml-syntax',
        message:
          'content after a document end marker (...) without a --- before it: kubectl ignores it, so it is not scanned',
        file,
        line: segment.contentLine,
        column: 1,
      });
      continue;
    }
    if (segment.separatorContent) result.issues.push(separatorWarning(segment.separatorContent, file));
    let parsed: ParseOutcome;
    let read = segment;
    try {
      parsed = parseYamlDocument(segment.text, documentLimits);
      // `--- apiVersion: v1`: YAML parsers refuse a block collection on the marker line, Helm reads the rest of
      // the line as the document's first line; so does this, rather than lose the object.
      if (!parsed.ok && parsed.problem.code === 'yaml-syntax' && segment.separatorContent?.offset) {
        const helm = helmReading(segment, segment.separatorContent);
        const again = parseYamlDocument(helm.text, documentLimits);
        if (again.ok) {
          parsed = again;
          read = helm;
        }
      }
    } catch (error) {
      result.documents++;
      result.issues.push(internalIssue(error, file, segment));
      continue;
    }
    loadDocument(read, parsed, file, result);
  }
  return result;
}

type SeparatorContent = NonNullable<DocumentSegment['separatorContent']>;

function separatorWarning(content: SeparatorContent, file: string): LoadIssue {
  return {
    severity: 'warning',
    code: 'yaml-syntax',
    message:
      'content after --- on a document separator line: kubectl refuses this separator (invalid Yaml document separator) while Helm accepts it; the document is scanned from the text after ---',
    file,
    line: content.line,
    column: content.column + 1,
  };
}

/** The document as Helm reads it: from the text after `---` and its blanks. */
function helmReading(segment: DocumentSegment, content: SeparatorContent): DocumentSegment {
  return {
    index: segment.index,
    text: segment.text.slice(content.offset),
    startLine: content.line,
    contentLine: content.line,
    empty: false,
    column: content.column,
  };
}

/** Column in the stream of a 1-based column on a document's 1-based line `line`. */
function streamColumn(segment: DocumentSegment, line: number, column: number): number {
  return line === 1 && segment.column ? column + segment.column : column;
}

function internalIssue(error: unknown, file: string, segment: DocumentSegment): LoadIssue {
  return {
    severity: 'error',
    code: 'read-failed',
    message: `document ${segment.index} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    file,
    line: segment.contentLine,
    column: 1,
  };
}

function loadDocument(segment: DocumentSegment, parsed: ParseOutcome, file: string, result: TextLoad): void {
  if (!parsed.ok) {
    const { problem } = parsed;
    result.documents++;
    result.issues.push({
      severity: 'error',
      code: problem.code,
      message: problem.message,
      file,
      line: problem.line === 0 ? segment.contentLine : segment.startLine + problem.line - 1,
      column: streamColumn(segment, problem.line, problem.column),
    });
    return;
  }
  for (const warning of parsed.warnings ?? []) {
    result.issues.push({
      severity: 'warning',
      code: warning.code,
      message: warning.message,
      file,
      line: warning.line === 0 ? segment.contentLine : segment.startLine + warning.line - 1,
      column: streamColumn(segment, warning.line, warning.column),
    });
  }
  // A document holding only a null (`--- ~`) has nothing to load or report.
  if (parsed.value === null || parsed.value === undefined) return;
  result.documents++;
  try {
    addObjects(segment, parsed.value, file, result);
  } catch (error) {
    result.issues.push(internalIssue(error, file, segment));
  }
}

function addObjects(segment: DocumentSegment, value: unknown, file: string, result: TextLoad): void {
  let locator: YamlLocator | undefined;
  const exists = (path: FieldPath): boolean => getPath(value, path) !== undefined;
  const locate = (path: FieldPath): LocatedField => {
    locator ??= new YamlLocator(segment.text, segment.startLine, segment.column);
    return locator.locate(path, exists);
  };
  const release = (): void => {
    locator = undefined;
  };

  const classified = classifyDocument(value);
  result.skippedDocuments += classified.skipped;
  for (const note of classified.notes) {
    const at = note.path.length === 0 ? { line: segment.contentLine, column: 1 } : locate(note.path);
    result.issues.push({
      severity: note.severity,
      code: note.code,
      message: note.message,
      file,
      line: at.line,
      column: at.column,
    });
  }
  for (const found of classified.objects) {
    // An object with wrong field types is reported as an error (the API server would refuse it) and still scanned:
    // rules read defensively, and dropping it would hide everything else wrong in it (templates with `${PORT}`).
    const errors = validateShape(found.object);
    if (errors.length > 0) reportShapeErrors(found, errors, file, locate, result);
    else reportObjectProblems(found, file, locate, result);
    result.entries.push(makeEntry(found, segment, file, locate, release));
  }
}

function reportShapeErrors(
  found: FoundObject,
  errors: ReturnType<typeof validateShape>,
  file: string,
  locate: (path: FieldPath) => LocatedField,
  result: TextLoad,
): void {
  const name = formatRef(refOf(found.object));
  for (const error of errors.slice(0, MAX_SHAPE_ERRORS)) {
    const at = locate([...found.prefix, ...error.path]);
    result.issues.push({
      severity: 'error',
      code: 'invalid-field-type',
      message: `${name}: ${formatPath(error.path)} must be ${error.expected}, got ${error.actual}; the API server would refuse this object`,
      file,
      line: at.line,
      column: at.column,
    });
  }
  if (errors.length > MAX_SHAPE_ERRORS) {
    const at = locate(found.prefix);
    result.issues.push({
      severity: 'error',
      code: 'invalid-field-type',
      message: `${name}: ${errors.length - MAX_SHAPE_ERRORS} more fields with wrong types`,
      file,
      line: at.line,
      column: at.column,
    });
  }
}

const REFUSED = '; the API server would refuse this object';

/**
 * What the API server would refuse in an object of the right types: said, since it would never be created (an RBAC
 * object grants nothing, a pod never runs). A NetworkPolicy's problems each say what the analysis makes of the
 * field, refused or not (rules without effect). The object is still scanned.
 */
function reportObjectProblems(
  found: FoundObject,
  file: string,
  locate: (path: FieldPath) => LocatedField,
  result: TextLoad,
): void {
  const refused = [
    ...rbacObjectProblems(found.object),
    ...podStructureProblems(found.object),
    ...podSpecProblems(found.object),
  ];
  const problems = [
    ...refused.map((problem) => ({ ...problem, message: `${problem.message}${REFUSED}` })),
    ...networkPolicyProblems(found.object),
  ];
  if (problems.length === 0) return;
  const name = formatRef(refOf(found.object));
  for (const problem of problems.slice(0, MAX_SHAPE_ERRORS)) {
    const at = locate([...found.prefix, ...problem.path]);
    const where = problem.path.length > 0 ? `${formatPath(problem.path)}: ` : '';
    result.issues.push({
      severity: 'warning',
      code: 'incomplete-object',
      message: `${name}: ${where}${problem.message}`,
      file,
      line: at.line,
      column: at.column,
    });
  }
}

function makeEntry(
  found: FoundObject,
  segment: DocumentSegment,
  file: string,
  locate: (path: FieldPath) => LocatedField,
  release: () => void,
): InventoryEntry {
  const { object, prefix } = found;
  const inList = prefix.length > 0;
  const source: ObjectSource = {
    // Items of a List share their document's index: it is kept, since rebuilding it per item would be quadratic.
    ...(inList ? {} : { release }),
    type: 'file',
    file,
    documentIndex: segment.index,
    line: inList ? locate(prefix).line : segment.contentLine,
    locate: inList
      ? (path) => {
          const at = locate([...prefix, ...path]);
          return { line: at.line, column: at.column, path: at.path.slice(prefix.length) };
        }
      : locate,
  };
  return { object, ref: refOf(object), source };
}
