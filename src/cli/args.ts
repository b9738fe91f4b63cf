// Argument parsing on node:util parseArgs, turning its errors into usage errors.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { PalisadeError } from '../core/errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<T extends OptionSpec>(args: readonly string[], options: T, command: string) {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
  >;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new PalisadeError('usage', `${subcommandPrefix(command)}${(error as Error).message}`, {
      cause: error,
    });
  }
  // `palisade scan "$DIR"` with DIR unset must not quietly scan the current directory (or name nothing).
  if (parsed.positionals.some((positional) => positional.trim() === ''))
    throw new PalisadeError(
      'usage',
      `${subcommandPrefix(command)}an empty argument was given (an unset shell variable?)`,
    );
  return parsed;
}

/** The CLI already names the command (`palisade webhook: ...`): only a subcommand is worth repeating. */
function subcommandPrefix(command: string): string {
  const space = command.indexOf(' ');
  return space < 0 ? '' : `${command.slice(space + 1)}: `;
}
