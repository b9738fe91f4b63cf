// Pieces of the tar header format shared by the streaming reader and the seeking indexer.
import { PalisadeError } from '../core/errors.ts';
import type { TarEntryType } from './tar-reader.ts';

export const BLOCK = 512;

export function fail(where: string, offset: number, message: string): never {
  throw new PalisadeError('input-unreadable', `${where}: tar entry at byte ${offset}: ${message}`);
}

export function cString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul < 0 ? length : nul).toString('utf8');
}

/** Numeric field: octal text, or base-256 (GNU) when the high bit of the first byte is set. */
export function numeric(block: Buffer, start: number, length: number, where: string, offset: number): number {
  const field = block.subarray(start, start + length);
  if ((field[0]! & 0x80) !== 0) {
    if ((field[0]! & 0x40) !== 0) fail(where, offset, 'negative base-256 number');
    let value = field[0]! & 0x3f;
    for (let i = 1; i < field.length; i++) {
      value = value * 256 + field[i]!;
      if (value > Number.MAX_SAFE_INTEGER) fail(where, offset, 'number too large');
    }
    return value;
  }
  const text = field
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) fail(where, offset, `malformed numeric field "${text.slice(0, 20)}"`);
  return Number.parseInt(text, 8);
}

export function checksumMatches(block: Buffer, stored: number): boolean {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** pax extended header records: "<len> <key>=<value>\n". */
export function parsePax(data: Buffer, where: string, offset: number): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    if (data[at] === 0) break;
    const space = data.indexOf(0x20, at);
    if (space < 0) fail(where, offset, 'malformed pax record');
    const length = Number.parseInt(data.subarray(at, space).toString('latin1'), 10);
    if (!Number.isInteger(length) || length <= space - at || at + length > data.length)
      fail(where, offset, 'malformed pax record length');
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals < 0) fail(where, offset, 'pax record without "="');
    records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

export const TYPES: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'directory',
  '6': 'fifo',
};
