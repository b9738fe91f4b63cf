// Reads `--vex` files: OpenVEX or CycloneDX VEX, told apart by their content.
import { resolve } from 'node:path';
import { PalisadeError } from '../../core/errors.ts';
import { readRegularFile } from '../../core/regular-file.ts';
import { isCycloneDxVex, readCycloneDxVex } from './cyclonedx-vex.ts';
import { isOpenVex, readOpenVex } from './openvex.ts';
import type { VexStatement } from './statement.ts';

const MAX_VEX_BYTES = 64 * 1024 * 1024;

export async function loadVex(
  files: readonly string[],
  cwd: string,
): Promise<{ statements: VexStatement[]; problems: string[] }> {
  const statements: VexStatement[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const path = resolve(cwd, file);
    let document: unknown;
    try {
      document = JSON.parse((await readRegularFile(path, MAX_VEX_BYTES)).toString('utf8'));
    } catch (error) {
      throw new PalisadeError('input-unreadable', `--vex ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const read = isOpenVex(document)
      ? readOpenVex(document, file)
      : isCycloneDxVex(document)
        ? readCycloneDxVex(document, file)
        : undefined;
    if (!read)
      throw new PalisadeError(
        'input-unreadable',
        `--vex ${file}: neither an OpenVEX document nor a CycloneDX BOM with vulnerabilities`,
      );
    // Loops, not push(...list): spreading 130k+ arguments overflows the stack.
    for (const statement of read.statements) statements.push(statement);
    for (const problem of read.problems) problems.push(problem);
  }
  return { statements, problems };
}
