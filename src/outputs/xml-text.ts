// biome-ignore-all lint/suspicious/noControlCharactersInRegex: these regexes exist to find control characters
// XML 1.0 escaping. Characters XML 1.0 forbids (most C0 controls, U+FFFE/U+FFFF, lone surrogates) cannot
// even be written as character references, so they are replaced: controls by a visible `\xNN`, the rest by
// U+FFFD. DEL, C1 controls and bidi overrides are allowed but would reach CI pages raw, so they are shown too.
import { escapeCharacter } from './terminal-text.ts';

const SHOWN_ESCAPED =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NON_CHARACTERS =
  /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text content; a carriage return becomes a reference, since parsers would otherwise read it as a newline. */
export function escapeXmlText(text: string): string {
  return text
    .replace(SHOWN_ESCAPED, escapeCharacter)
    .replace(NON_CHARACTERS, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Double-quoted attributes; tab and newline become references, since parsers would read them as spaces. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
