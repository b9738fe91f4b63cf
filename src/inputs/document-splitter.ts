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
}

const DASH = 45;
const DOT = 46;
const PERCENT = 37;
const HASH = 35;

/** `---` or `...` at `pos` followed by whitespace or the end of the line. */
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

  const close = (end: number): void => {
    const segment: DocumentSegment = {
      index: segments.length,
      text: text.slice(segmentStart, end),
      startLine: segmentLine,
      contentLine: contentLine || segmentLine,
      empty: contentLine === 0,
    };
    if (afterEnd && !hasMarker && contentLine !== 0) segment.afterEnd = true;
    segments.push(segment);
  };

  let pos = 0;
  let line = 1;
  while (pos < length) {
    const newline = text.indexOf('\n', pos);
    const next = newline === -1 ? length : newline + 1;
    const c = text.charCodeAt(pos);
    if (c === DASH && isMarker(text, pos, DASH)) {
      // A marker after only comments or directives opens the current segment rather than a new one.
      if (contentLine !== 0 || hasMarker) {
        close(pos);
        segmentStart = pos;
        segmentLine = line;
      }
      contentLine = hasContentFrom(text, pos + 3) ? line : 0;
      hasMarker = true;
      afterEnd = false;
    } else if (c === DOT && isMarker(text, pos, DOT)) {
      if (contentLine !== 0 || hasMarker) close(next);
      segmentStart = next;
      segmentLine = line + 1;
      contentLine = 0;
      hasMarker = false;
      afterEnd = true;
    } else if (contentLine === 0 && !(c === PERCENT && !hasMarker) && hasContentFrom(text, pos)) {
      contentLine = line;
    }
    pos = next;
    line++;
  }
  if (contentLine !== 0 || hasMarker) close(length);
  return segments;
}
