// Loads the documents of one file's text: split, parse, classify, validate, and give every object a lazy
// locator. Each document is handled on its own, so one bad document never hides the others.
import type { LoadIssue } from '../core/errors.ts';
import type { InventoryEntry } from '../core/inventory.ts';
import { type FieldPath, formatPath, formatRef, getPath, refOf } from '../core/kube-object.ts';
import type { LocatedField, ObjectSource } from '../core/source.ts';
import { classifyDocument, type FoundObject } from './classify-document.ts';
import { type DocumentSegment, splitDocuments } from './document-splitter.ts';
import { validateShape } from './validate-shape.ts';
import { YamlLocator } from './yaml-locator.ts';
import { type ParseLimits, type ParseOutcome, parseJsonDocument, parseYamlDocument } from './yaml-parse.ts';

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

export function loadText(text: string, file: string, limits: ParseLimits): TextLoad {
  const result: TextLoad = { entries: [], issues: [], documents: 0, skippedDocuments: 0 };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
  }
  for (const segment of splitDocuments(body)) {
    if (segment.empty) continue;
    let parsed: ParseOutcome;
    try {
      parsed = parseYamlDocument(segment.text, limits);
    } catch (error) {
      result.documents++;
      result.issues.push(internalIssue(error, file, segment));
      continue;
    }
    loadDocument(segment, parsed, file, result);
  }
  return result;
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
      column: problem.column,
    });
    return;
  }
  if (parsed.warning) {
    const { warning } = parsed;
    result.issues.push({
      severity: 'warning',
      code: warning.code,
      message: warning.message,
      file,
      line: segment.startLine + warning.line - 1,
      column: warning.column,
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
    locator ??= new YamlLocator(segment.text, segment.startLine);
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
