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
    throw new PalisadeError('usage', `${subcommandPrefix(command)}${usageMessage(error, options, command)}`, {
      cause: error,
    });
  }
  // `palisade scan "$DIR"` with DIR unset must not quietly scan the current directory (or name nothing).
  if (parsed.positionals.some((positional) => positional.trim() === ''))
    throw new PalisadeError(
      'usage',
      `${subcommandPrefix(command)}an empty argument was given (an unset shell variable?)`,
    );
  // Nor `-n "$NS"` quietly mean every namespace: an empty option value is refused the same way.
  for (const [name, value] of Object.entries(parsed.values as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    if (!EMPTY_ALLOWED.has(name) && values.some((item) => typeof item === 'string' && item.trim() === ''))
      throw new PalisadeError(
        'usage',
        `${subcommandPrefix(command)}--${name} was given an empty value (an unset shell variable?)`,
      );
  }
  return parsed;
}

/** Options whose empty value means something: `--api-group ''` is the core API group. */
const EMPTY_ALLOWED: ReadonlySet<string> = new Set(['api-group']);

/** The CLI already names the command (`palisade webhook: ...`): only a subcommand is worth repeating. */
function subcommandPrefix(command: string): string {
  const space = command.indexOf(' ');
  return space < 0 ? '' : `${command.slice(space + 1)}: `;
}

/**
 * parseArgs explains an unknown option with advice about positionals starting with `-`, which misleads far more
 * often than it helps: the usual cause is a typo, so the nearest known option is suggested instead.
 */
function usageMessage(error: unknown, options: OptionSpec, command: string): string {
  const message = (error as Error).message;
  const unknown = /^Unknown option '(-{1,2}[^']*)'/.exec(message)?.[1];
  if (unknown === undefined) return message;
  const name = unknown.replace(/^-+/, '');
  const nearest = Object.keys(options)
    .map((option) => ({ option, distance: editDistance(name, option) }))
    .filter(({ distance }) => distance <= Math.max(1, Math.floor(name.length / 3)))
    .sort((a, b) => a.distance - b.distance)[0]?.option;
  const hint = nearest === undefined ? '' : ` (did you mean --${nearest}?)`;
  return `unknown option ${unknown}${hint}; see palisade ${command} --help`;
}

/** Levenshtein distance, for option names (short strings). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] as number;
}
