// Installed Ruby gems: specifications/*.gemspec and the default gems' specifications/default/*.gemspec, as
// RubyGems writes them with Gem::Specification#to_ruby: `s.name = "x".freeze` today, `s.name = %q{x}` before
// RubyGems 1.8/2.0. Only the string literals RubyGems writes are read; nothing is evaluated.
import type { Package } from '../package.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { unownedFiles } from './analyzer.ts';
import { languagePackage } from './language-package.ts';

const GEMSPEC = /(?:^|\/)specifications\/(?:default\/)?[^/]+\.gemspec$/;
const CLOSING: Record<string, string> = { '{': '}', '(': ')', '[': ']', '<': '>' };
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', s: ' ', e: '\x1b', '0': '\0' };
/** After `\u`: `{hex}` (one code point here) or four hex digits; sticky, so nothing is copied per escape. */
const UNICODE_ESCAPE = /\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4})/y;

/** A Ruby string literal at `start` ("...", '...', %q{...}, %Q(...), %{...}) and where it ends. */
function rubyString(text: string, start: number): { value: string; end: number } | undefined {
  let position = start;
  let open = text[position];
  let interpolating = open === '"';
  if (open === '%') {
    const kind = text[position + 1];
    if (kind === 'q' || kind === 'Q') {
      interpolating = kind === 'Q';
      position += 2;
    } else {
      interpolating = true;
      position += 1;
    }
    open = text[position];
    if (open === undefined || /[\w\s]/.test(open)) return undefined;
  } else if (open !== '"' && open !== "'") return undefined;
  const close = CLOSING[open] ?? open;
  let depth = 0;
  let value = '';
  for (let index = position + 1; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\\') {
      const next = text[index + 1];
      if (next === undefined) return undefined;
      index++;
      if (!interpolating) value += next === close || next === open || next === '\\' ? next : `\\${next}`;
      else if (next === 'u') {
        UNICODE_ESCAPE.lastIndex = index + 1;
        const hexEscape = UNICODE_ESCAPE.exec(text);
        const codePoint = Number.parseInt(hexEscape?.[1] ?? hexEscape?.[2] ?? '', 16);
        if (hexEscape === null || !(codePoint <= 0x10ffff)) return undefined;
        value += String.fromCodePoint(codePoint);
        index += hexEscape[0].length;
      } else value += ESCAPES[next] ?? next;
      continue;
    }
    if (char === open && close !== open) depth++;
    else if (char === close) {
      if (depth === 0) return { value, end: index + 1 };
      depth--;
    }
    value += char;
  }
  return undefined;
}

/** The literal after `<var>.<field> =` at the start of a line, `.freeze` or not; `Gem::Version.new(...)` too. */
function assigned(text: string, field: string): { value: string; end: number } | undefined {
  const match = new RegExp(`^[ \\t]*[A-Za-z_]\\w*\\.${field}[ \\t]*=[ \\t]*`, 'm').exec(text);
  if (match === null) return undefined;
  const start = match.index + match[0].length;
  if (field === 'version') {
    const wrapped = /^Gem::Version\.new\([ \t]*/.exec(text.slice(start));
    if (wrapped !== null) return rubyString(text, start + wrapped[0].length);
  }
  return rubyString(text, start);
}

/** `s.licenses = ["MIT".freeze, "Ruby".freeze]`, or a single string (RubyGems keeps `Array(value)`); else `s.license`. */
function licenses(text: string): string[] {
  const match = /^[ \t]*[A-Za-z_]\w*\.licenses[ \t]*=[ \t]*/m.exec(text);
  if (match !== null) {
    let position = match.index + match[0].length;
    if (text[position] !== '[') {
      const single = rubyString(text, position);
      return single === undefined ? [] : [single.value];
    }
    const values: string[] = [];
    position++;
    for (;;) {
      while (/[ \t,]/.test(text[position] ?? '')) position++;
      const literal = rubyString(text, position);
      if (literal === undefined) break;
      values.push(literal.value);
      position = literal.end;
      if (text.startsWith('.freeze', position)) position += '.freeze'.length;
    }
    return values;
  }
  const single = assigned(text, 'license');
  return single === undefined ? [] : [single.value];
}

export const rubyGemspecsAnalyzer: PackageAnalyzer = {
  id: 'ruby-gemspecs',
  kind: 'language',
  wants: (path, _mode, size) => GEMSPEC.test(path) && size < 1024 * 1024,
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const packages: Package[] = [];
    for (const file of unownedFiles(context, this)) {
      const text = (await context.view.read(file)).toString('utf8');
      const name = assigned(text, 'name')?.value.trim();
      const version = assigned(text, 'version')?.value.trim();
      if (name === undefined || version === undefined || name === '' || version === '') {
        context.issue({
          severity: 'warning',
          code: 'parse-failed',
          message: `${file.path}: no name or version`,
          path: file.path,
          layer: file.layer,
        });
        continue;
      }
      packages.push(
        languagePackage({
          type: 'gem',
          name,
          version,
          path: file.path,
          layer: file.layer,
          licenses: licenses(text),
          foundBy: 'ruby-gemspecs',
        }),
      );
    }
    return packages;
  },
};
