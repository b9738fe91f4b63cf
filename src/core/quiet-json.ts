// JSON parse errors that never quote the input: lockfiles and SBOMs may hold credentials in URLs, and an
// AdmissionReview may hold Secret data. Decoding the bytes (byte-order marks, UTF-16) is decode-text.ts.

/**
 * JSON.parse with an error message that keeps V8's reason and position but never the quoted source snippet
 * V8 adds to some messages (`"…" is not valid JSON`): lockfiles and SBOMs may hold credentials in URLs.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new Error(jsonErrorMessage(error.message), { cause: error });
  }
}

export function jsonErrorMessage(message: string): string {
  let reason = message;
  if (message.endsWith(' is not valid JSON')) {
    // The snippet starts at the first double quote (V8 may cut it: `"...abc"...`). The one unexpected character
    // V8 names before it, in single quotes, may itself be a double quote.
    const token = /^Unexpected token '[\s\S]', /.exec(message);
    const quote = message.indexOf('"', token === null ? 0 : token[0].length);
    reason = (quote === -1 ? '' : message.slice(0, quote)).replace(/,? ?$/, '');
  }
  return `invalid JSON: ${reason.trim() === '' ? 'not valid JSON' : reason}`;
}
