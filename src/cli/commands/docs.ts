// `palisade docs`: writes or checks docs/rules/*.md, generated from rule metadata.
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PalisadeError } from '../../core/errors.ts';
import { makeDirectory } from '../../core/make-directory.ts';
import { builtinRules } from '../../rules/index.ts';
import { parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { GENERATED_MARKER, renderRuleDoc, renderRuleIndex } from '../rule-doc.ts';

const OPTIONS = {
  write: { type: 'boolean', default: false },
  check: { type: 'boolean', default: false },
  dir: { type: 'string', default: 'docs/rules' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const DOCS_HELP = `Usage: palisade docs --write|--check [--dir DIR]

Generates one Markdown page per rule, and a README.md index, from the rule metadata.

Options:
      --write      write the pages to DIR, and remove pages Palisade generated for rules that no longer exist;
                   files Palisade did not generate are never overwritten or removed
      --check      exit 1 when a page in DIR is missing or differs from the rule metadata
      --dir DIR    where the pages are (default docs/rules)
  -h, --help       this help
`;

/** The last line of every page Palisade generates begins so (see rule-doc.ts); files without it are the user's. */
/** Names a generated page can have: README.md or a rule id (lower-case kebab-case) with .md. */
const GENERATED_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*\.md$/;

/** Every generated file by name. */
export function generateRuleDocs(): Map<string, string> {
  const files = new Map<string, string>([['README.md', renderRuleIndex(builtinRules)]]);
  for (const rule of builtinRules) files.set(`${rule.id}.md`, renderRuleDoc(rule));
  return files;
}

/** Whether a file's text is a page Palisade generated: its last non-blank line is the generated marker. */
function isGeneratedDoc(text: string): boolean {
  const lines = text.trimEnd().split('\n');
  return (lines[lines.length - 1] ?? '').startsWith(GENERATED_MARKER);
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The directory's .md file names; none when it does not exist. A path that is not a directory is a usage error. */
async function listDocs(dir: string, shown: string): Promise<string[] | undefined> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new PalisadeError('usage', `--dir ${shown} is not a directory`);
  } catch (error) {
    if (error instanceof PalisadeError) throw error;
    const code = errnoCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR')
      throw new PalisadeError('usage', `--dir ${shown} is not a directory (a parent of it is a file)`);
    throw new PalisadeError('input-unreadable', `cannot read --dir ${shown}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return (await readdir(dir)).filter((name) => name.endsWith('.md'));
}

/** The file's text; undefined when absent; null when it exists but cannot be read as a file (a directory...). */
async function readExisting(path: string): Promise<string | undefined | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    return errnoCode(error) === 'ENOENT' ? undefined : null;
  }
}

export async function runDocs(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'docs');
  if (values.help) {
    io.stdout.write(DOCS_HELP);
    return EXIT.clean;
  }
  if (positionals.length > 0 || values.write === values.check)
    throw new PalisadeError('usage', 'docs needs exactly one of --write or --check');
  const dir = resolve(io.cwd, values.dir);
  const wanted = generateRuleDocs();
  const listed = await listDocs(dir, values.dir);
  // Pages Palisade generated earlier for rules that no longer exist; every other file is left alone.
  const leftover: string[] = [];
  for (const name of listed ?? []) {
    if (wanted.has(name) || !GENERATED_NAME.test(name)) continue;
    const text = await readExisting(join(dir, name));
    if (typeof text === 'string' && isGeneratedDoc(text)) leftover.push(name);
  }
  const current = new Map<string, string | undefined | null>();
  for (const name of wanted.keys())
    current.set(name, listed === undefined ? undefined : await readExisting(join(dir, name)));

  if (values.write) {
    const conflicts = [...current]
      .filter(([, text]) => text === null || (typeof text === 'string' && !isGeneratedDoc(text)))
      .map(([name]) => name);
    if (conflicts.length > 0)
      throw new PalisadeError(
        'output-unwritable',
        `not writing to ${values.dir}: ${conflicts.join(', ')} already ${conflicts.length === 1 ? 'exists' : 'exist'} and ${conflicts.length === 1 ? 'was' : 'were'} not generated by palisade; move ${conflicts.length === 1 ? 'it' : 'them'} away or choose another --dir`,
      );
    makeDirectory(dir);
    for (const [name, text] of wanted) await writeFile(join(dir, name), text);
    for (const name of leftover) await rm(join(dir, name));
    const removed = leftover.length > 0 ? `, removed ${leftover.length} for rules that no longer exist` : '';
    io.stdout.write(`wrote ${wanted.size} files to ${values.dir}${removed}\n`);
    return EXIT.clean;
  }
  const stale: string[] = [];
  for (const [name, text] of wanted) {
    const found = current.get(name);
    if (found === text) continue;
    stale.push(
      typeof found === 'string' && !isGeneratedDoc(found) ? `${name} (not generated by palisade)` : name,
    );
  }
  for (const name of leftover) stale.push(`${name} (no such rule)`);
  if (stale.length === 0) {
    io.stdout.write(`${wanted.size} rule docs are up to date\n`);
    return EXIT.clean;
  }
  io.stderr.write(`stale rule docs in ${values.dir} (run \`npm run docs\`): ${stale.join(', ')}\n`);
  return EXIT.findings;
}
