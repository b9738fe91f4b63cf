// `palisade docs`: writes or checks docs/rules/*.md, generated from rule metadata.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PalisadeError } from '../../core/errors.ts';
import { builtinRules } from '../../rules/index.ts';
import { parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { renderRuleDoc, renderRuleIndex } from '../rule-doc.ts';

const OPTIONS = {
  write: { type: 'boolean', default: false },
  check: { type: 'boolean', default: false },
  dir: { type: 'string', default: 'docs/rules' },
} as const;

/** Every generated file by name. */
export function generateRuleDocs(): Map<string, string> {
  const files = new Map<string, string>([['README.md', renderRuleIndex(builtinRules)]]);
  for (const rule of builtinRules) files.set(`${rule.id}.md`, renderRuleDoc(rule));
  return files;
}

export async function runDocs(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'docs');
  if (positionals.length > 0 || values.write === values.check)
    throw new PalisadeError('usage', 'docs needs exactly one of --write or --check');
  const dir = resolve(io.cwd, values.dir);
  const wanted = generateRuleDocs();
  const existing = new Set((await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.md')));
  if (values.write) {
    await mkdir(dir, { recursive: true });
    for (const [name, text] of wanted) await writeFile(join(dir, name), text);
    for (const name of existing) if (!wanted.has(name)) await rm(join(dir, name));
    io.stdout.write(`wrote ${wanted.size} files to ${values.dir}\n`);
    return EXIT.clean;
  }
  const stale: string[] = [];
  for (const [name, text] of wanted) {
    const current = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (current !== text) stale.push(name);
  }
  for (const name of existing) if (!wanted.has(name)) stale.push(`${name} (no such rule)`);
  if (stale.length === 0) {
    io.stdout.write(`${wanted.size} rule docs are up to date\n`);
    return EXIT.clean;
  }
  io.stderr.write(`stale rule docs in ${values.dir} (run \`npm run docs\`): ${stale.join(', ')}\n`);
  return EXIT.findings;
}
