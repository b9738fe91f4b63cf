// The subset of TOML that Cargo.lock and poetry.lock use: [[array]] and [table] headers with `key = "string"`
// (and simple values). Multi-line arrays and inline tables are skipped, not misread.

export interface TomlTable {
  header: string;
  values: Map<string, string>;
  line: number;
}

export function readTomlTables(text: string): TomlTable[] {
  const tables: TomlTable[] = [];
  let current: TomlTable = { header: '', values: new Map(), line: 1 };
  let depth = 0;
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (depth > 0) {
      depth += (line.match(/\[/g)?.length ?? 0) - (line.match(/\]/g)?.length ?? 0);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(line);
    if (header !== null) {
      tables.push(current);
      current = { header: header[1]!, values: new Map(), line: index + 1 };
      continue;
    }
    const pair = /^([A-Za-z0-9_.-]+|"[^"]*")\s*=\s*(.*)$/.exec(line);
    if (pair === null) continue;
    const key = pair[1]!.replace(/^"|"$/g, '');
    const value = pair[2]!.trim();
    const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(value) ?? /^'([^']*)'/.exec(value);
    if (quoted !== null) current.values.set(key, quoted[1]!.replace(/\\(.)/g, '$1'));
    else if (value.startsWith('[')) {
      depth = (value.match(/\[/g)?.length ?? 0) - (value.match(/\]/g)?.length ?? 0);
    } else if (!value.startsWith('{')) current.values.set(key, value);
  }
  tables.push(current);
  return tables.filter((table) => table.header !== '' || table.values.size > 0);
}
