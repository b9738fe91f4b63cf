// Loads Falco rules files (in order) into one compiled ruleset, with every problem located.
import { resolve } from 'node:path';
import { PalisadeError } from '../../core/errors.ts';
import { readRegularFile } from '../../core/regular-file.ts';
import { compileRuleset } from './compile-ruleset.ts';
import type { CompiledRuleset } from './compiled-rule.ts';
import { formatProblem, type RuleLoadProblem } from './load-problem.ts';
import { readRulesFile } from './rules-file.ts';
import { RulesetBuilder } from './ruleset-builder.ts';

export interface RulesText {
  text: string;
  file: string;
}

export interface RulesLoadResult {
  ruleset: CompiledRuleset;
  problems: RuleLoadProblem[];
}

export function loadRulesTexts(
  texts: readonly RulesText[],
  matching: 'first' | 'all' = 'first',
): RulesLoadResult {
  const builder = new RulesetBuilder();
  const problems: RuleLoadProblem[] = [];
  for (const { text, file } of texts) {
    const read = readRulesFile(text, file);
    problems.push(...read.problems);
    builder.add(read.items);
  }
  problems.push(...builder.problems);
  const compiled = compileRuleset(builder, matching);
  problems.push(...compiled.problems);
  return { ruleset: compiled.ruleset, problems };
}

/** A rules file's text; the parser reports one over 16 MiB with its position, this read stops at 64 MiB. */
export async function readRulesText(path: string): Promise<string> {
  return (await readRegularFile(path, 64 * 1024 * 1024)).toString('utf8');
}

/** Reads and compiles rules files; throws a PalisadeError listing every error (warnings are returned). */
export async function loadRulesFiles(
  paths: readonly string[],
  cwd: string,
  matching: 'first' | 'all' = 'first',
): Promise<RulesLoadResult> {
  const texts: RulesText[] = [];
  for (const path of paths) {
    try {
      texts.push({ text: await readRulesText(resolve(cwd, path)), file: path });
    } catch (error) {
      throw new PalisadeError(
        'input-not-found',
        `cannot read rules file ${path}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  const result = loadRulesTexts(texts, matching);
  const errors = result.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0)
    throw new PalisadeError('config-invalid', `invalid rules:\n${errors.map(formatProblem).join('\n')}`);
  return result;
}
