// JSON text without lone UTF-16 surrogates. JSON.stringify writes one as a `\udXXX` escape: legal JSON, but RFC 8259
// §8.2 leaves its meaning to the parser and I-JSON (RFC 7493) forbids it, so strict consumers refuse the whole
// report. A name taken from a manifest can hold one; it becomes U+FFFD, as the JUnit and SARIF URI writers do.

// An escape `\ud800`..`\udfff` not itself escaped (an even run of backslashes before it). JSON.stringify escapes
// only lone surrogates: a well-formed pair is written as the character itself.
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/gi;

export function wellFormedJson(text: string): string {
  return text.includes('\\ud') || text.includes('\\uD')
    ? text.replace(LONE_SURROGATE_ESCAPE, '$1\\ufffd')
    : text;
}
