// Random access to a tar file on disk (docker save archives, OCI layouts packed as tar): one pass over the
// headers, seeking past bodies, then each member is read by offset. Member names are normalised and names
// that leave the archive root are refused.
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { PalisadeError } from '../core/errors.ts';
import { type BlobReader, fileRangeReader } from './image-source.ts';
import { normaliseLayerPath } from './layer-path.ts';
import { BLOCK, checksumMatches, cString, fail, numeric, parsePax, TYPES } from './tar-header.ts';

export interface TarMember {
  name: string;
  offset: number;
  size: number;
}

const MAX_META = 1024 * 1024;
const MAX_MEMBERS = 100_000;

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

export class TarIndex {
  readonly #members = new Map<string, TarMember>();
  readonly #links = new Map<string, string>();

  readonly file: string;
  readonly where: string;

  private constructor(file: string, where: string) {
    this.file = file;
    this.where = where;
  }

  static async build(file: string, where: string = file): Promise<TarIndex> {
    const index = new TarIndex(file, where);
    const handle = await open(file, 'r');
    try {
      const { size: fileSize } = await handle.stat();
      let position = 0;
      let pax = new Map<string, string>();
      let longName: string | undefined;
      let longLink: string | undefined;
      for (;;) {
        const block = await readExactly(handle, position, BLOCK);
        if (block.length === 0) break;
        if (block.length < BLOCK) fail(where, position, 'file ends inside a header (truncated)');
        if (block.every((byte) => byte === 0)) break;
        if (!checksumMatches(block, numeric(block, 148, 8, where, position)))
          fail(where, position, 'header checksum mismatch (not a tar archive, or corrupt)');
        const flag = String.fromCharCode(block[156]!);
        let size = numeric(block, 124, 12, where, position);
        const paxSize = pax.get('size');
        if (paxSize !== undefined) size = Number(paxSize);
        if (!Number.isSafeInteger(size) || size < 0) fail(where, position, 'bad entry size');
        const bodyOffset = position + BLOCK;
        const padded = Math.ceil(size / BLOCK) * BLOCK;
        if (bodyOffset + size > fileSize)
          fail(where, position, 'entry runs past the end of the file (truncated)');
        position = bodyOffset + padded;
        if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
          if (size > MAX_META) fail(where, position, 'metadata record too large');
          const body = await readExactly(handle, bodyOffset, size);
          if (flag === 'x') pax = parsePax(body, where, bodyOffset);
          else if (flag === 'L') longName = cString(body, 0, body.length);
          else if (flag === 'K') longLink = cString(body, 0, body.length);
          continue;
        }
        const type = TYPES[flag];
        const prefix =
          block.subarray(257, 263).toString('latin1') === 'ustar\0' ? cString(block, 345, 155) : '';
        let name = cString(block, 0, 100);
        if (prefix !== '') name = `${prefix}/${name}`;
        name = pax.get('path') ?? longName ?? name;
        const linkName = pax.get('linkpath') ?? longLink ?? cString(block, 157, 100);
        pax = new Map();
        longName = undefined;
        longLink = undefined;
        const normalised = normaliseLayerPath(name);
        if (!normalised.ok)
          throw new PalisadeError('input-unreadable', `${where}: member "${name}": ${normalised.reason}`);
        if (type === 'file')
          index.#members.set(normalised.path, { name: normalised.path, offset: bodyOffset, size });
        else if (type === 'symlink' || type === 'hardlink') {
          // docker save (old layout) links duplicate layers to the first copy.
          const target = normaliseLayerPath(
            type === 'symlink' && !linkName.startsWith('/') ? `${normalised.path}/../${linkName}` : linkName,
          );
          if (!target.ok)
            throw new PalisadeError(
              'input-unreadable',
              `${where}: link "${name}" -> "${linkName}": ${target.reason}`,
            );
          index.#links.set(normalised.path, target.path);
        }
        if (index.#members.size + index.#links.size > MAX_MEMBERS)
          throw new PalisadeError('input-unreadable', `${where}: more than ${MAX_MEMBERS} members`);
      }
    } finally {
      await handle.close();
    }
    return index;
  }

  has(name: string): boolean {
    return this.member(name) !== undefined;
  }

  member(name: string): TarMember | undefined {
    let current = name;
    for (let hops = 0; hops < 8; hops++) {
      const member = this.#members.get(current);
      if (member !== undefined) return member;
      const next = this.#links.get(current);
      if (next === undefined) return undefined;
      current = next;
    }
    return undefined;
  }

  #require(name: string): TarMember {
    const normalised = normaliseLayerPath(name);
    const member = normalised.ok ? this.member(normalised.path) : undefined;
    if (member === undefined)
      throw new PalisadeError('input-unreadable', `${this.where}: member "${name}" is missing`);
    return member;
  }

  async read(name: string, limit: number): Promise<Buffer> {
    const member = this.#require(name);
    if (member.size > limit)
      throw new PalisadeError(
        'input-unreadable',
        `${this.where}: "${name}" is ${member.size} bytes, over ${limit}`,
      );
    const handle = await open(this.file, 'r');
    try {
      return await readExactly(handle, member.offset, member.size);
    } finally {
      await handle.close();
    }
  }

  /** The member's bytes read into the caller's buffers (see BlobReader). */
  async openReader(name: string): Promise<{ reader: BlobReader; size: number }> {
    const member = this.#require(name);
    const reader = fileRangeReader(await open(this.file, 'r'), member.offset, member.size, true);
    return { reader, size: member.size };
  }

  open(name: string): { stream: Readable; size: number } {
    const member = this.#require(name);
    const stream =
      member.size === 0
        ? Readable.from([])
        : createReadStream(this.file, {
            start: member.offset,
            end: member.offset + member.size - 1,
            highWaterMark: 1024 * 1024,
          });
    return { stream, size: member.size };
  }
}
