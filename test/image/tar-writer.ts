// A small tar writer for tests: ustar headers, pax records for long names, and hooks to write the malformed
// headers hostile-input tests need.

export interface TarSpec {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'hardlink' | 'char' | 'fifo' | 'sparse';
  content?: string | Buffer;
  mode?: number;
  linkName?: string;
  /** Size written in the header, when it should differ from the content (hostile tests). */
  declaredSize?: number;
}

const FLAGS = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  char: '3',
  directory: '5',
  fifo: '6',
  sparse: 'S',
} as const;

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function header(name: string, spec: TarSpec, size: number, flag: string): Buffer {
  const block = Buffer.alloc(512);
  block.write(name.slice(0, 100), 0, 'utf8');
  block.write(octal(spec.mode ?? (spec.type === 'directory' ? 0o755 : 0o644), 8), 100, 'latin1');
  block.write(octal(0, 8), 108, 'latin1');
  block.write(octal(0, 8), 116, 'latin1');
  block.write(octal(size, 12), 124, 'latin1');
  block.write(octal(0, 12), 136, 'latin1');
  block.write('        ', 148, 'latin1');
  block.write(flag, 156, 'latin1');
  block.write((spec.linkName ?? '').slice(0, 100), 157, 'utf8');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7), 148, 'latin1');
  return block;
}

function pad(data: Buffer): Buffer {
  const rest = data.length % 512;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rest)]);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
  return `${length}${body}`;
}

export function tarBytes(entries: readonly TarSpec[], options: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const spec of entries) {
    const content =
      typeof spec.content === 'string' ? Buffer.from(spec.content) : (spec.content ?? Buffer.alloc(0));
    const records: string[] = [];
    if (Buffer.byteLength(spec.name) > 100) records.push(paxRecord('path', spec.name));
    if (Buffer.byteLength(spec.linkName ?? '') > 100) records.push(paxRecord('linkpath', spec.linkName!));
    if (records.length > 0) {
      const pax = Buffer.from(records.join(''));
      parts.push(header('PaxHeader', { name: 'PaxHeader' }, pax.length, 'x'), pad(pax));
    }
    const type = spec.type ?? 'file';
    parts.push(
      header(spec.name, spec, spec.declaredSize ?? (type === 'file' ? content.length : 0), FLAGS[type]),
    );
    if (type === 'file') parts.push(pad(content));
  }
  if (options.end !== false) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
