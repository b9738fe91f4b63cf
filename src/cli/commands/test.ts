// `palisade test <dir|file>...`: runs every palisade-test.yaml found, prints a table or JUnit, and exits 1 on any
// mismatch between expected and actual admission results.
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { IMAGE_REGISTRY_RULE_ID } from '../../admission/image-registry-rule.ts';
import {
  isInsideDirectory,
  loadPolicyTest,
  POLICY_TEST_FILE,
  type PolicyTest,
} from '../../admission/policy-test-file.ts';
import { renderTestJunit, renderTestTable } from '../../admission/policy-test-report.ts';
import {
  compilePolicyTest,
  loadTestResources,
  runPolicyTestFile,
  type TestCaseResult,
  type TestResources,
} from '../../admission/policy-test-runner.ts';
import { PalisadeError } from '../../core/errors.ts';
import { terminalSafe, terminalSafeLines } from '../../outputs/terminal-text.ts';
import { builtinRules } from '../../rules/index.ts';
import { parseCommandArgs } from '../args.ts';
import { writeCommandOutput } from '../command-output.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';

const USAGE = `Usage: palisade test <DIR|FILE>... [--format table|junit] [-o FILE]

Runs every ${POLICY_TEST_FILE} under the given directories (or the given files) through the admission decision
and compares each rule's result per resource (pass, fail, warn, audit, skip) and the mutated objects with what the
test expects. Exit codes: 0 all as expected, 1 a mismatch, 2 a usage or test-file error, 3 a directory or file
given that cannot be read.
`;

const OPTIONS = {
  format: { type: 'string', short: 'f', default: 'table' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
/** Directory levels searched below each given directory; a deeper directory is reported, not searched. */
const MAX_TEST_DIRECTORY_DEPTH = 32;

/** What discovery found: test files (each once, by real path) and what it refused or could not search. */
interface Discovery {
  files: string[];
  problems: string[];
  seenFiles: Set<string>;
  seenDirectories: Set<string>;
}

/** One directory given on the command line: as given (for reports) and with symbolic links resolved. */
interface SearchRoot {
  given: string;
  real: string;
}

/** The path to report for a real path inside the root: under the directory as the user named it. */
function shownPath(root: SearchRoot, real: string): string {
  return join(root.given, relative(root.real, real));
}

function addTestFile(found: Discovery, shown: string, real: string): void {
  if (found.seenFiles.has(real)) return;
  found.seenFiles.add(real);
  found.files.push(shown);
}

/**
 * Every palisade-test.yaml under `path` (or `path` itself when it is a file, followed if it is a link: it was
 * named). Below it, symbolic links to files and directories inside the given directory are followed, each real
 * directory and file visited once (so link cycles end); links that lead outside it are refused, as the files a
 * test names are, and directories deeper than MAX_TEST_DIRECTORY_DEPTH are reported: nothing is skipped silently.
 */
async function findTestFiles(path: string, found: Discovery): Promise<void> {
  const info = await stat(path);
  const real = await realpath(path);
  if (info.isFile()) addTestFile(found, path, real);
  else if (info.isDirectory()) await searchDirectory({ given: path, real }, real, found);
  else found.problems.push(`${path}: not a regular file or a directory`);
}

async function searchDirectory(root: SearchRoot, directory: string, found: Discovery): Promise<void> {
  if (found.seenDirectories.has(directory)) return;
  found.seenDirectories.add(directory);
  const depth = directory === root.real ? 0 : relative(root.real, directory).split(sep).length;
  if (depth > MAX_TEST_DIRECTORY_DEPTH) {
    found.problems.push(
      `${shownPath(root, directory)}: more than ${MAX_TEST_DIRECTORY_DEPTH} directory levels below ${root.given}; not searched (give a deeper directory to search it)`,
    );
    return;
  }
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const child = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) await searchDirectory(root, child, found);
    } else if (entry.isFile()) {
      if (entry.name === POLICY_TEST_FILE) addTestFile(found, shownPath(root, child), child);
    } else if (entry.isSymbolicLink()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) await followLink(root, child, entry.name, found);
    } else if (entry.name === POLICY_TEST_FILE)
      found.problems.push(`${shownPath(root, child)}: not a regular file`);
  }
}

async function followLink(root: SearchRoot, link: string, name: string, found: Discovery): Promise<void> {
  const shown = shownPath(root, link);
  const target = await realpath(link).catch(() => undefined);
  if (target === undefined) {
    // A dangling link may have been a directory of tests or not; one named as a test certainly was a test.
    if (name === POLICY_TEST_FILE) found.problems.push(`${shown}: a symbolic link to nothing (broken link)`);
    return;
  }
  const info = await lstat(target);
  if (!info.isDirectory() && name !== POLICY_TEST_FILE) return;
  if (!isInsideDirectory(root.real, target)) {
    found.problems.push(
      `${shown}: refused: a symbolic link to ${target}, outside ${root.given}; a test tree is searched only inside itself`,
    );
    return;
  }
  if (info.isDirectory()) await searchDirectory(root, target, found);
  else if (info.isFile()) addTestFile(found, shownPath(root, target), target);
  else found.problems.push(`${shown}: a symbolic link to ${target}, which is not a regular file`);
}

export async function runPolicyTest(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'test');
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.clean;
  }
  if (positionals.length === 0)
    throw new PalisadeError('usage', `give directories holding ${POLICY_TEST_FILE} files`);
  if (values.format !== 'table' && values.format !== 'junit')
    throw new PalisadeError('usage', `unknown format "${values.format}": expected table or junit`);
  const found: Discovery = { files: [], problems: [], seenFiles: new Set(), seenDirectories: new Set() };
  for (const input of positionals) {
    const path = resolve(io.cwd, input);
    try {
      await findTestFiles(path, found);
    } catch (error) {
      throw new PalisadeError(
        'input-not-found',
        `cannot read ${terminalSafe(input)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  // Built-in rules, and the rule a policy's images.allowedRegistries becomes.
  const knownRuleIds = new Set([
    ...builtinRules.flatMap((rule) => [rule.id, ...(rule.aliases ?? [])]),
    IMAGE_REGISTRY_RULE_ID,
  ]);
  // Every test file and its policy are read before any test runs, and all their mistakes reported together.
  const problems = found.problems.map(terminalSafe);
  const loaded: {
    test: PolicyTest;
    policy: ReturnType<typeof compilePolicyTest>;
    resources: TestResources;
  }[] = [];
  for (const file of found.files) {
    try {
      const test = await loadPolicyTest(file, knownRuleIds);
      const policy = compilePolicyTest(test, builtinRules);
      loaded.push({ test, policy, resources: await loadTestResources(test) });
    } catch (error) {
      if (!(error instanceof PalisadeError) || error.code !== 'config-invalid') throw error;
      problems.push(terminalSafeLines(error.message));
    }
  }
  if (problems.length > 0) throw new PalisadeError('config-invalid', problems.join('\n'));
  if (found.files.length === 0)
    throw new PalisadeError('usage', `no ${POLICY_TEST_FILE} under ${terminalSafe(positionals.join(', '))}`);
  const results: TestCaseResult[] = [];
  for (const { test, policy, resources } of loaded) {
    // Paths relative to where the command runs, so that reports read the same on every machine.
    for (const result of await runPolicyTestFile(test, builtinRules, io.now(), policy, resources))
      results.push({ ...result, file: relative(io.cwd, result.file) || result.file });
  }
  const text = values.format === 'junit' ? renderTestJunit(results) : renderTestTable(results);
  await writeCommandOutput(io, values.output, text);
  return results.every((result) => result.passed) ? EXIT.clean : EXIT.findings;
}
