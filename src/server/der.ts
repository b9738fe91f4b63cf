// Minimal DER (ITU-T X.690) encoding: exactly the types an X.509 certificate needs, definite lengths only.

export type Der = Buffer;

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Der {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export const sequence = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));
export const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat(items));
export const boolean = (value: boolean): Der => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
export const nullValue = (): Der => tlv(0x05, Buffer.alloc(0));
export const octetString = (content: Buffer): Der => tlv(0x04, content);
export const utf8String = (text: string): Der => tlv(0x0c, Buffer.from(text, 'utf8'));
/** BIT STRING with no unused bits (keys, signatures and whole-byte flags). */
export const bitString = (content: Buffer): Der => tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
/** `[n]` EXPLICIT, constructed. */
export const explicit = (tag: number, content: Der): Der => tlv(0xa0 | tag, content);
/** `[n]` IMPLICIT, primitive (GeneralName dNSName is [2], iPAddress is [7]). */
export const implicitPrimitive = (tag: number, content: Buffer): Der => tlv(0x80 | tag, content);

/** A non-negative INTEGER from big-endian bytes (a leading zero is added when the top bit is set). */
export function unsignedInteger(bytes: Buffer): Der {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const content = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return tlv(0x02, content.length === 0 ? Buffer.from([0]) : content);
}

export function smallInteger(value: number): Der {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff)
    throw new Error(`integer ${value} out of range`);
  return unsignedInteger(Buffer.from([value >> 8, value & 0xff]));
}

export function objectIdentifier(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  if (parts.length < 2 || parts.some((part) => !Number.isSafeInteger(part) || part < 0))
    throw new Error(`invalid object identifier ${dotted}`);
  const bytes: number[] = [(parts[0] as number) * 40 + (parts[1] as number)];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let rest = Math.floor(part / 128); rest > 0; rest = Math.floor(rest / 128))
      chunk.unshift((rest & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050, both in UTC with seconds. */
export function time(date: Date): Der {
  const iso = date.toISOString();
  const compact = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = date.getUTCFullYear();
  return year < 2050
    ? tlv(0x17, Buffer.from(compact.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(compact, 'ascii'));
}
