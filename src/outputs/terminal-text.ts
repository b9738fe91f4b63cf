// biome-ignore-all lint/suspicious/noControlCharactersInRegex: these regexes exist to find control characters
// User-controlled strings (names, messages, file paths) must never drive the terminal: control characters
// (ANSI escapes, carriage returns, newlines) and bidirectional overrides are shown as visible escapes instead.

// C0 and C1 controls, DEL, bidi marks and overrides (Trojan Source), Unicode line separators, and lone
// surrogates (which cannot be encoded, so they would silently turn into U+FFFD).
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One-line, inert text: `\x1b[31m` in a message is printed as those characters, not as a colour. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escapeCharacter);
}

/** Multi-line text (an error listing problems one per line) with each line made inert; the line breaks stay. */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}

export function escapeCharacter(character: string): string {
  const named = NAMED[character];
  if (named !== undefined) return named;
  const code = character.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}
