// Shared shape of the lockfile readers: a file name to match, a parser from text to packages. The reader owns
// what every format needs: the size limit, decoding (byte-order marks, UTF-16, CRLF), and turning problems
// into issues that name the file and line. A file that cannot be read at all is an error (the inventory is
// incomplete); entries a parser had to leave out are warnings.

import { decodeInput } from '../../core/decode-text.ts';
import type { AnalyzerContext, PackageAnalyzer } from '../analyzers/analyzer.ts';
import { wantedFiles } from '../analyzers/analyzer.ts';
import type { Package } from '../package.ts';

/** Lockfiles inside installed dependencies (node_modules, vendor) describe those, not the project. */
const INSIDE_DEPENDENCIES = /(?:^|\/)(?:node_modules|vendor|\.venv|site-packages)\//;

const MAX_LOCKFILE_BYTES = 64 * 1024 * 1024;
/** Warnings per file past which only a count is given: a hostile file must not flood the report. */
const MAX_WARNINGS_PER_FILE = 20;

/** Reports a problem that did not stop the parser (an entry left out, a construct not understood). */
export type LockfileWarn = (message: string, line?: number) => void;

export type LockfileParser = (
  text: string,
  path: string,
  warn: LockfileWarn,
  context: AnalyzerContext,
) => Package[] | Promise<Package[]>;

/** Whether a path is a file of the format: by exact file name, or by a test of the whole relative path. */
export type LockfileMatch = readonly string[] | ((path: string) => boolean);

export function lockfileReader(id: string, match: LockfileMatch, parse: LockfileParser): PackageAnalyzer {
  const names = typeof match === 'function' ? undefined : new Set(match);
  const matches =
    typeof match === 'function'
      ? match
      : (path: string) => names?.has(path.slice(path.lastIndexOf('/') + 1)) === true;
  return {
    id,
    kind: 'lockfile',
    // Whatever the size: an oversized lockfile is reported when read, not left out unseen.
    wants: (path) => matches(path) && !INSIDE_DEPENDENCIES.test(path),
    async analyze(context) {
      const packages: Package[] = [];
      for (const file of wantedFiles(context.view, this)) {
        if (file.size >= MAX_LOCKFILE_BYTES) {
          context.issue({
            severity: 'error',
            code: 'oversized-file',
            message: `${file.path}: not read: ${file.size} bytes, the limit for a lockfile is ${MAX_LOCKFILE_BYTES} bytes (64 MiB)`,
            path: file.path,
          });
          continue;
        }
        let warnings = 0;
        const warn: LockfileWarn = (message, line) => {
          if (++warnings > MAX_WARNINGS_PER_FILE) return;
          context.issue({
            severity: 'warning',
            code: 'parse-failed',
            message: `${file.path}${line === undefined ? '' : `:${line}`}: ${message}`,
            path: file.path,
          });
        };
        try {
          const decoded = decodeInput(await context.view.read(file));
          if (decoded.warning !== undefined) warn(decoded.warning);
          const text = decoded.text.includes('\r') ? decoded.text.replace(/\r\n/g, '\n') : decoded.text;
          const conflict = conflictSides(text);
          if (conflict !== undefined)
            warn(
              'merge conflict markers (<<<<<<<, =======, >>>>>>>): the packages of both sides are read; resolve the conflict',
              conflict.line,
            );
          // Each side is parsed whole; a problem outside the conflict is named once, not once per side.
          const said = new Set<string>();
          const warnOnce: LockfileWarn = (message, line) => {
            const key = `${line}\0${message}`;
            if (!said.has(key)) warn(message, line);
            said.add(key);
          };
          // A loop, not push(...found): spreading 130k+ arguments overflows the stack.
          for (const side of conflict?.sides ?? [text])
            for (const pkg of await parse(side, file.path, warnOnce, context)) packages.push(pkg);
        } catch (error) {
          context.issue({
            severity: 'error',
            code: 'parse-failed',
            message: `${file.path}: not read: ${(error as Error).message}`,
            path: file.path,
          });
        }
        if (warnings > MAX_WARNINGS_PER_FILE)
          context.issue({
            severity: 'warning',
            code: 'parse-failed',
            message: `${file.path}: ${warnings - MAX_WARNINGS_PER_FILE} more problems like the above`,
            path: file.path,
          });
      }
      return packages;
    },
  };
}

/** Maps character offsets of one text to 1-based lines: line starts found once, then a binary search each. */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

/** What a JSON value is, for messages: `a string`, `an array`, `null`. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `packages["node_modules/x"].version`: a JSON path for messages (keys quoted, control characters escaped). */
export function jsonPath(...parts: (string | number)[]): string {
  return parts
    .map((part, index) =>
      typeof part === 'number'
        ? `[${part}]`
        : /^[A-Za-z_$][\w$-]*$/.test(part)
          ? `${index === 0 ? '' : '.'}${part}`
          : `[${JSON.stringify(part)}]`,
    )
    .join('');
}

const CONFLICT_START = /^<{7}(?: |$)/m;

/**
 * A lockfile committed in the middle of a merge, as its two sides: "ours" (before `=======`) and "theirs", each
 * with the text outside the conflicts, as yarn reads one. Lines left out become empty, so line numbers hold.
 * Undefined without a `<<<<<<<` marker.
 */
function conflictSides(text: string): { sides: [string, string]; line: number } | undefined {
  const start = CONFLICT_START.exec(text);
  if (start === null) return undefined;
  const ours: string[] = [];
  const theirs: string[] = [];
  let state: 'both' | 'ours' | 'base' | 'theirs' = 'both';
  for (const line of text.split('\n')) {
    const marker = /^(<{7}|\|{7}|={7}|>{7})(?: |$)/.exec(line)?.[1];
    if (marker !== undefined && (marker[0] === '<' || state !== 'both')) {
      state = marker[0] === '<' ? 'ours' : marker[0] === '|' ? 'base' : marker[0] === '=' ? 'theirs' : 'both';
      ours.push('');
      theirs.push('');
      continue;
    }
    ours.push(state === 'both' || state === 'ours' ? line : '');
    theirs.push(state === 'both' || state === 'theirs' ? line : '');
  }
  return { sides: [ours.join('\n'), theirs.join('\n')], line: text.slice(0, start.index).split('\n').length };
}
