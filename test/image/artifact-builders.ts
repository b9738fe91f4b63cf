// Builders for the binary artifacts analyzers read: ZIP/JAR archives, and ELF files carrying a Go build info
// section or a cargo-auditable section (what the Go linker and cargo-auditable write).
import { deflateSync } from 'node:zlib';
import { writeZip } from '../../src/image/zip-writer.ts';

export function zipBytes(
  entries: readonly { name: string; content: string | Buffer; deflate?: boolean; declaredSize?: number }[],
): Buffer {
  return writeZip(
    entries.map((entry) => ({
      name: entry.name,
      data: entry.content,
      method: entry.deflate === true ? ('deflate' as const) : ('store' as const),
      ...(entry.declaredSize === undefined ? {} : { declaredSize: entry.declaredSize }),
    })),
  );
}

/** A 64-bit little-endian ELF with the given sections (and .shstrtab), enough for section lookups. */
export function elfWithSections(sections: readonly { name: string; data: Buffer }[]): Buffer {
  const names = Buffer.concat([
    Buffer.from('\0'),
    ...sections.map((s) => Buffer.from(`${s.name}\0`)),
    Buffer.from('.shstrtab\0'),
  ]);
  const header = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(header);
  header.writeUInt16LE(2, 16);
  header.writeUInt16LE(0x3e, 18);
  const bodies: Buffer[] = [];
  const table: Buffer[] = [Buffer.alloc(64)];
  let offset = 64;
  let nameOffset = 1;
  for (const section of [...sections, { name: '.shstrtab', data: names }]) {
    const entry = Buffer.alloc(64);
    entry.writeUInt32LE(nameOffset, 0);
    entry.writeUInt32LE(section.name === '.shstrtab' ? 3 : 1, 4);
    entry.writeBigUInt64LE(BigInt(offset), 24);
    entry.writeBigUInt64LE(BigInt(section.data.length), 32);
    table.push(entry);
    bodies.push(section.data);
    offset += section.data.length;
    nameOffset += section.name.length + 1;
  }
  header.writeBigUInt64LE(BigInt(offset), 0x28);
  header.writeUInt16LE(64, 0x3a);
  header.writeUInt16LE(table.length, 0x3c);
  header.writeUInt16LE(table.length - 1, 0x3e);
  return Buffer.concat([header, ...bodies, ...table]);
}

function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** The .go.buildinfo section as Go 1.18+ writes it: header, then varint-prefixed version and module info. */
export function goBuildInfoSection(goVersion: string, modInfoLines: readonly string[]): Buffer {
  const header = Buffer.alloc(32);
  Buffer.from('\xff Go buildinf:', 'latin1').copy(header);
  header[14] = 8;
  header[15] = 2;
  const sentinel = Buffer.alloc(16, 0x30);
  const modInfo = Buffer.concat([sentinel, Buffer.from(`${modInfoLines.join('\n')}\n`), sentinel]);
  const version = Buffer.from(goVersion);
  return Buffer.concat([header, uvarint(version.length), version, uvarint(modInfo.length), modInfo]);
}

export function goBinary(goVersion: string, modInfoLines: readonly string[]): Buffer {
  return elfWithSections([
    { name: '.text', data: Buffer.alloc(2048, 0x90) },
    { name: '.go.buildinfo', data: goBuildInfoSection(goVersion, modInfoLines) },
  ]);
}

export function rustAuditableBinary(packages: readonly Record<string, unknown>[]): Buffer {
  return elfWithSections([
    { name: '.text', data: Buffer.alloc(2048, 0x90) },
    { name: '.dep-v0', data: deflateSync(JSON.stringify({ packages })) },
  ]);
}
