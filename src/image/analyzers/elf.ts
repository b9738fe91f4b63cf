// Just enough ELF to find a section by name (Go build info, cargo-auditable dependency data), with every
// offset bounds-checked.

export interface ElfSection {
  name: string;
  offset: number;
  size: number;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function isElf(data: Uint8Array): boolean {
  return ELF_MAGIC.every((byte, i) => data[i] === byte);
}

/** Section headers of an ELF file, or undefined when the file is not a well-formed ELF. */
export function elfSections(data: Buffer): ElfSection[] | undefined {
  if (data.length < 64 || !isElf(data)) return undefined;
  const is64 = data[4] === 2;
  const little = data[5] === 1;
  const u16 = (at: number): number => (little ? data.readUInt16LE(at) : data.readUInt16BE(at));
  const u32 = (at: number): number => (little ? data.readUInt32LE(at) : data.readUInt32BE(at));
  const word = (at: number): number => {
    if (!is64) return u32(at);
    const value = little ? data.readBigUInt64LE(at) : data.readBigUInt64BE(at);
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(value);
  };
  const shoff = word(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const shstrndx = u16(is64 ? 0x3e : 0x32);
  if (
    shoff <= 0 ||
    shentsize < (is64 ? 64 : 40) ||
    shoff + shnum * shentsize > data.length ||
    shstrndx >= shnum
  )
    return undefined;
  const raw = Array.from({ length: shnum }, (_, i) => {
    const at = shoff + i * shentsize;
    return {
      nameOffset: u32(at),
      type: u32(at + 4),
      offset: word(at + (is64 ? 0x18 : 0x10)),
      size: word(at + (is64 ? 0x20 : 0x14)),
    };
  });
  const strings = raw[shstrndx]!;
  if (strings.offset < 0 || strings.offset + strings.size > data.length) return undefined;
  const table = data.subarray(strings.offset, strings.offset + strings.size);
  const sections: ElfSection[] = [];
  for (const section of raw) {
    const end = table.indexOf(0, section.nameOffset);
    if (section.nameOffset >= table.length || end < 0) continue;
    // SHT_NOBITS (8) sections occupy no file bytes.
    if (
      section.type === 8 ||
      section.offset < 0 ||
      section.size < 0 ||
      section.offset + section.size > data.length
    )
      continue;
    sections.push({
      name: table.subarray(section.nameOffset, end).toString('latin1'),
      offset: section.offset,
      size: section.size,
    });
  }
  return sections;
}

export function sectionData(
  data: Buffer,
  sections: ElfSection[] | undefined,
  name: string,
): Buffer | undefined {
  const section = sections?.find((candidate) => candidate.name === name);
  return section === undefined ? undefined : data.subarray(section.offset, section.offset + section.size);
}

/**
 * Reads one section of an ELF file through ranged reads (header, section table, names, then the section), so a
 * large binary is not read whole. `undefined` when the file is not ELF or has no such section.
 */
export async function readElfSection(
  read: (offset: number, length: number) => Promise<Buffer>,
  name: string,
  maxSection: number,
): Promise<Buffer | undefined> {
  const header = await read(0, 64);
  if (header.length < 64 || !isElf(header)) return undefined;
  const is64 = header[4] === 2;
  const little = header[5] === 1;
  const u16 = (data: Buffer, at: number): number => (little ? data.readUInt16LE(at) : data.readUInt16BE(at));
  const u32 = (data: Buffer, at: number): number => (little ? data.readUInt32LE(at) : data.readUInt32BE(at));
  const word = (data: Buffer, at: number): number => {
    if (!is64) return u32(data, at);
    const value = little ? data.readBigUInt64LE(at) : data.readBigUInt64BE(at);
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(value);
  };
  const shoff = word(header, is64 ? 0x28 : 0x20);
  const shentsize = u16(header, is64 ? 0x3a : 0x2e);
  const shnum = u16(header, is64 ? 0x3c : 0x30);
  const shstrndx = u16(header, is64 ? 0x3e : 0x32);
  if (shoff <= 0 || shentsize < (is64 ? 64 : 40) || shstrndx >= shnum) return undefined;
  const table = await read(shoff, shnum * shentsize);
  if (table.length < shnum * shentsize) return undefined;
  const entry = (i: number) => {
    const at = i * shentsize;
    return {
      nameOffset: u32(table, at),
      type: u32(table, at + 4),
      offset: word(table, at + (is64 ? 0x18 : 0x10)),
      size: word(table, at + (is64 ? 0x20 : 0x14)),
    };
  };
  const strings = entry(shstrndx);
  if (strings.offset < 0 || strings.size < 0 || strings.size > 16 * 1024 * 1024) return undefined;
  const names = await read(strings.offset, strings.size);
  const wanted = Buffer.from(`${name}\0`, 'latin1');
  for (let i = 0; i < shnum; i++) {
    const section = entry(i);
    if (section.type === 8 || section.offset < 0 || section.size < 0 || section.size > maxSection) continue;
    if (names.subarray(section.nameOffset, section.nameOffset + wanted.length).equals(wanted))
      return read(section.offset, section.size);
  }
  return undefined;
}
