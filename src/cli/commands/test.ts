// `palisade test <dir|file>...`: runs every palisade-test.yaml found, prints a table or JUnit, and exits 1 on any
// mismatch between expected and actual admission results.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { IMAGE_REGISTRY_RULE_ID } from '../../admission/image-registry-rule.ts';
import { loadPolicyTest, POLICY_TEST_FILE } from '../../admission/policy-test-file.ts';
import { renderTestJunit, renderTestTable } from '../../admission/policy-test-report.ts';
import { runPolicyTestFile, type TestCaseResult } from '../../admission/policy-test-runner.ts';
import { PalisadeError } from '../../core/errors.ts';
import { builtinRules } from '../../rules/index.ts';
import { parseCommandArgs } from '../args.ts';
import { writeCommandOutput } from '../command-output.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';

const USAGE = `Usage: palisade test <DIR|FILE>... [--format table|junit] [-o FILE]

Runs every ${POLICY_TEST_FILE} under the given directories (or the given files) through the admission decision
and compares each rule's result per resource (pass, fail, warn, audit, skip) and the mutated objects with what the
test expects. Exit codes: 0 all as expected, 1 a mismatch, 2 a usage or test-file error.
`;

const OPTIONS = {
  format: { type: 'string', short: 'f', default: 'table' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

async function findTestFiles(path: string, out: string[], depth = 0): Promise<void> {
  if (depth > 32) return;
  const info = await stat(path);
  if (info.isFile()) {
    out.push(path);
    return;
  }
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name))
      await findTestFiles(child, out, depth + 1);
    else if (entry.isFile() && entry.name === POLICY_TEST_FILE) out.push(child);
  }
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
  const files: string[] = [];
  for (const input of positionals) {
    const path = resolve(io.cwd, input);
    try {
      await findTestFiles(path, files);
    } catch (error) {
      throw new PalisadeError('input-not-found', `cannot read ${input}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  if (files.length === 0)
    throw new PalisadeError('usage', `no ${POLICY_TEST_FILE} under ${positionals.join(', ')}`);
  const results: TestCaseResult[] = [];
  // Built-in rules, and the rule a policy's images.allowedRegistries becomes.
  const knownRuleIds = new Set([
    ...builtinRules.flatMap((rule) => [rule.id, ...(rule.aliases ?? [])]),
    IMAGE_REGISTRY_RULE_ID,
  ]);
  for (const file of files) {
    const test = await loadPolicyTest(file, knownRuleIds);
    // Paths relative to where the command runs, so that reports read the same on every machine.
    for (const result of await runPolicyTestFile(test, builtinRules, io.now()))
      results.push({ ...result, file: relative(io.cwd, result.file) || result.file });
  }
  const text = values.format === 'junit' ? renderTestJunit(results) : renderTestTable(results);
  await writeCommandOutput(io, values.output, text);
  return results.every((result) => result.passed) ? EXIT.clean : EXIT.findings;
}
