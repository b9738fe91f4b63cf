// Offsets of line starts in a document's text, and of each line's first content character, built in one pass,
// so that any offset turns into a line and column cheaply and block scans read indentation from an array.

/**
 * The text with each lone CR (a YAML line break, as old Mac files end lines) as LF: same length, so every offset
 * is kept, and line counting sees every line.
 */
export function withLfBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

export class LineIndex {
  readonly text: string;
  /** Offset where each line starts. */
  readonly starts: Int32Array;
  /** Offset of each line's first character that is not a space or tab; -1 for blank and comment-only lines. */
  readonly contents: Int32Array;

  constructor(text: string) {
    this.text = text;
    const length = text.length;
    let starts = new Int32Array(Math.max(16, (length >> 4) + 1));
    let contents = new Int32Array(starts.length);
    let count = 0;
    let pos = 0;
    for (;;) {
      if (count === starts.length) {
        const grownStarts = new Int32Array(count * 2);
        grownStarts.set(starts);
        starts = grownStarts;
        const grownContents = new Int32Array(count * 2);
        grownContents.set(contents);
        contents = grownContents;
      }
      starts[count] = pos;
      let i = pos;
      let c = text.charCodeAt(i);
      while (c === 32 || c === 9) c = text.charCodeAt(++i);
      // A blank line, a comment, or the end: no content. `\r` counts as blank before `\n`.
      const blank = c === 10 || c === 35 || i >= length || (c === 13 && text.charCodeAt(i + 1) === 10);
      contents[count] = blank ? -1 : i;
      count++;
      const newline = c === 10 ? i : text.indexOf('\n', i);
      if (newline === -1) break;
      pos = newline + 1;
    }
    this.starts = starts.subarray(0, count);
    this.contents = contents.subarray(0, count);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset where line `line` (0-based) starts. */
  start(line: number): number {
    return this.starts[line] ?? this.text.length;
  }

  /** Offset of the end of line `line` (0-based), before any `\r\n` or `\n`. */
  end(line: number): number {
    let end = line + 1 < this.starts.length ? (this.starts[line + 1] ?? 0) - 1 : this.text.length;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** 0-based line holding `offset`. */
  lineOf(offset: number): number {
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
