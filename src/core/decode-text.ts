// Bytes of an input file to text. Editors on Windows write byte-order marks and UTF-16: those are decoded, not
// misread as syntax errors or silently garbled; UTF-32 and bytes that are not text are refused with a reason.
import { isUtf8 } from 'node:buffer';

export interface DecodedText {
  text: string;
  /** Set when the bytes were not valid in their encoding (bad sequences became U+FFFD). */
  warning?: string;
}

/** Decodes by byte-order mark: UTF-8 (mark dropped), UTF-16 LE/BE; UTF-8 otherwise. Throws on UTF-32. */
export function decodeInput(bytes: Uint8Array): DecodedText {
  const [b0, b1, b2, b3] = bytes;
  if (
    (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) ||
    (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)
  )
    throw new Error('UTF-32 text (byte-order mark) is not supported: save it as UTF-8');
  if (b0 === 0xff && b1 === 0xfe) return decodeUtf16(bytes.subarray(2), 'utf-16le');
  if (b0 === 0xfe && b1 === 0xff) return decodeUtf16(bytes.subarray(2), 'utf-16be');
  const body = b0 === 0xef && b1 === 0xbb && b2 === 0xbf ? bytes.subarray(3) : bytes;
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
  if (isUtf8(body)) return { text };
  const offset = firstInvalidUtf8(body);
  return {
    text,
    warning: `not valid UTF-8 (first bad byte 0x${body[offset]?.toString(16).padStart(2, '0') ?? '??'} at line ${lineOfByte(body, offset)}, byte offset ${offset + body.byteOffset - bytes.byteOffset}); bad bytes were read as U+FFFD`,
  };
}

function decodeUtf16(body: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedText {
  const label = encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(body);
  // The decoder turns unpaired surrogates and an odd last byte into U+FFFD, so that one character tells it all.
  if (!text.includes('\ufffd')) return { text };
  return {
    text,
    warning: `not valid ${label} (odd length or unpaired surrogates); bad units were read as U+FFFD`,
  };
}

/** 1-based line of a byte offset (counting LF bytes before it). */
function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (-1 when all are valid). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const extra =
      lead >= 0xc2 && lead <= 0xdf
        ? 1
        : lead >= 0xe0 && lead <= 0xef
          ? 2
          : lead >= 0xf0 && lead <= 0xf4
            ? 3
            : 0;
    if (extra === 0 || i + extra >= bytes.length) return i;
    let code = lead & (0x7f >> (extra + 1));
    for (let k = 1; k <= extra; k++) {
      const next = bytes[i + k]!;
      if ((next & 0xc0) !== 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    const min = extra === 1 ? 0x80 : extra === 2 ? 0x800 : 0x10000;
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += extra + 1;
  }
  return -1;
}

/**
 * Why bytes without a byte-order mark are not text at all: a NUL byte, which no YAML or JSON file holds. UTF-16
 * written without a mark (every other byte NUL) is named as such. Undefined for text.
 */
export function binaryContent(bytes: Uint8Array): string | undefined {
  const [b0, b1] = bytes;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) return undefined;
  const nul = bytes.indexOf(0);
  if (nul < 0) return undefined;
  const sample = bytes.subarray(0, Math.min(bytes.length, 256));
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? even++ : odd++;
  if (Math.max(even, odd) >= sample.length / 4 && Math.min(even, odd) === 0)
    return 'UTF-16 text without a byte-order mark: save it as UTF-8 (or UTF-16 with a byte-order mark)';
  return `binary data, not text (a NUL byte at offset ${nul})`;
}
