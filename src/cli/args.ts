// Argument parsing on node:util parseArgs, turning its errors into usage errors.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { PalisadeError } from '../core/errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<T extends OptionSpec>(args: readonly string[], options: T, command: string) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new PalisadeError('usage', `${command}: ${(error as Error).message}`, { cause: error });
  }
}
