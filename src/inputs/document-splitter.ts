// Splits a YAML stream into documents with one cheap pass over line starts (YAML 1.2 markers at column 0).

export interface DocumentSegment {
  /** 0-based index of the document in the stream, empty documents included (as `loadAll` counts them). */
  index: number;
  /** The document's text: a slice of the stream, starting at its first line (markers and directives included). */
  text: string;
  /** 1-based line in the stream of the slice's first line. */
  startLine: number;
  /** 1-based line of the first content (not comment, marker or directive); the start line when empty. */
  contentLine: number;
  /** Only comments, blank lines, markers or directives: nothing to load and nothing to report. */
  empty: boolean;
  /**
   * Content after a `...` end marker with no `---` before it: kubectl splits streams at `---` only and reads the
   * first document of each piece, so it never applies this one.
   */
  afterEnd?: boolean;
  /** 0-based column of the text's first character in its line: 3 when the text starts after a `---` glued to it. */
  column?: number;
  /**
   * The `---` line holds more than blanks and a comment (`---apiVersion: v1`, `--- !!map`, `--- {a: 1}`): kubectl
   * refuses such a separator (`invalid Yaml document separator`), Helm reads the rest of the line as the
   * document's first line. `offset` is where that rest starts in `text`, `line` its 1-based line in the stream and
   * `column` its 0-based column. A text glued to the dashes already starts there (`offset` 0).
   */
  separatorContent?: { offset: number; line: number; column: number };
}

const DASH = 45;
const DOT = 46;
const PERCENT = 37;
const HASH = 35;

/** `...` at `pos` followed by whitespace or the end of the line. */
function isMarker(text: string, pos: number, char: number): boolean {
  if (text.charCodeAt(pos + 1) !== char || text.charCodeAt(pos + 2) !== char) return false;
  const next = text.charCodeAt(pos + 3);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}

/** Offset of the first character that is not a space or tab, from `pos`. */
function skipBlanks(text: string, pos: number): number {
  let i = pos;
  for (let c = text.charCodeAt(i); c === 32 || c === 9; c = text.charCodeAt(++i));
  return i;
}

/** Whether the rest of the line from `pos` holds content (not blank, not a comment). */
function hasContentFrom(text: string, pos: number): boolean {
  const i = skipBlanks(text, pos);
  const c = text.charCodeAt(i);
  return !(Number.isNaN(c) || c === HASH || c === 10 || c === 13);
}

export function splitDocuments(text: string): DocumentSegment[] {
  const segments: DocumentSegment[] = [];
  const length = text.length;
  let segmentStart = 0;
  let segmentLine = 1;
  let contentLine = 0;
  let hasMarker = false;
  let afterEnd = false;
  let column = 0;
  let separatorContent: DocumentSegment['separatorContent'];

  const close = (end: number): void => {
    const segment: DocumentSegment = {
      index: segments.length,
      text: text.slice(segmentStart, end),
      startLine: segmentLine,
      contentLine: contentLine || segmentLine,
      empty: contentLine === 0,
    };
    if (afterEnd && !hasMarker && contentLine !== 0) segment.afterEnd = true;
    if (column !== 0) segment.column = column;
    if (separatorContent) segment.separatorContent = separatorContent;
    segments.push(segment);
  };

  let pos = 0;
  let line = 1;
  while (pos < length) {
    const newline = text.indexOf('\n', pos);
    const next = newline === -1 ? length : newline + 1;
    const c = text.charCodeAt(pos);
    if (c === DASH && text.charCodeAt(pos + 1) === DASH && text.charCodeAt(pos + 2) === DASH) {
      // kubectl and Helm split at every line that starts with `---`, blank after it or not: `---apiVersion: v1`
      // (an untrimmed `{{- ... -}}` in a chart writes it) is two documents to both, so it is one here too.
      const next3 = text.charCodeAt(pos + 3);
      const glued = !(Number.isNaN(next3) || next3 === 32 || next3 === 9 || next3 === 10 || next3 === 13);
      // A marker after only comments or directives opens the current segment rather than a new one.
      if (contentLine !== 0 || hasMarker) close(pos);
      if (glued || contentLine !== 0 || hasMarker) {
        segmentLine = line;
        // Glued to the dashes, the rest of the line is the document's first line, as Helm reads it.
        segmentStart = glued ? pos + 3 : pos;
      }
      column = glued ? 3 : 0;
      const rest = skipBlanks(text, pos + 3);
      const content = hasContentFrom(text, rest);
      separatorContent = content ? { offset: rest - segmentStart, line, column: rest - pos } : undefined;
      contentLine = content ? line : 0;
      hasMarker = true;
      afterEnd = false;
    } else if (c === DOT && isMarker(text, pos, DOT)) {
      if (contentLine !== 0 || hasMarker) close(next);
      segmentStart = next;
      segmentLine = line + 1;
      contentLine = 0;
      hasMarker = false;
      afterEnd = true;
      column = 0;
      separatorContent = undefined;
    } else if (contentLine === 0 && !(c === PERCENT && !hasMarker) && hasContentFrom(text, pos)) {
      contentLine = line;
    }
    pos = next;
    line++;
  }
  if (contentLine !== 0 || hasMarker) close(length);
  return segments;
}
