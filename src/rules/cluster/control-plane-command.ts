// Finds the words a control-plane component is started with in a container: its own command, the image's
// entrypoint, or behind a wrapper (kOps's go-runner, `sh -c "kube-apiserver ..."`).
import type { FieldPath } from '../../core/kube-object.ts';

export interface Word {
  text: string;
  /** The command or args element the word is in. */
  path: FieldPath;
}

export type ComponentArgv =
  | { found: 'argv'; words: Word[] }
  /** The container is the component (by image or name) but its flags cannot be read from the command. */
  | { found: 'opaque'; reason: string }
  | { found: 'none' };

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);
/** Where a shell command line ends or redirects: the words after it are not the component's. */
const SHELL_END = /^(;|&&|\|\||\||&|\d*>.*|<.*)$/;

export function basename(text: string): string {
  return text.slice(text.lastIndexOf('/') + 1);
}

/** Splits a shell script into words on whitespace, honouring single and double quotes (no escapes or expansions). */
function shellWords(script: string): string[] | undefined {
  const words: string[] = [];
  let current: string | undefined;
  let quote: '"' | "'" | undefined;
  for (const char of script) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else current = (current ?? '') + char;
    } else if (char === '"' || char === "'") {
      quote = char;
      current ??= '';
    } else if (/\s/.test(char)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else current = (current ?? '') + char;
  }
  if (quote !== undefined) return undefined;
  if (current !== undefined) words.push(current);
  return words;
}

function afterProgram(words: readonly Word[], component: string): Word[] | undefined {
  const at = words.findIndex((word) => !word.text.startsWith('-') && basename(word.text) === component);
  return at === -1 ? undefined : words.slice(at + 1);
}

/**
 * The words after the component's program. `command` and `args` are the container's lists; `isComponent` says whether
 * its image or name names the component (then an unreadable command is reported as opaque instead of ignored).
 */
export function componentArgv(
  component: string,
  command: readonly string[],
  args: readonly string[],
  base: FieldPath,
  isComponent: boolean,
): ComponentArgv {
  const words: Word[] = [
    ...command.map((text, at) => ({ text, path: [...base, 'command', at] })),
    ...args.map((text, at) => ({ text, path: [...base, 'args', at] })),
  ];
  const program = command[0] === undefined ? undefined : basename(command[0]);
  // Without a command the image's entrypoint runs (the caller checked that the image is the component's).
  if (program === undefined) return { found: 'argv', words };
  if (program === component) return { found: 'argv', words: words.slice(1) };
  if (SHELLS.has(program)) {
    const dashC = words.findIndex((word, at) => at > 0 && /^-[a-z]*c[a-z]*$/.test(word.text));
    const script = dashC === -1 ? undefined : words[dashC + 1];
    const split = script === undefined ? undefined : shellWords(script.text);
    const rest =
      split &&
      afterProgram(
        split.map((text) => ({ text, path: script?.path ?? base })),
        component,
      );
    if (rest) {
      const end = rest.findIndex((word) => SHELL_END.test(word.text));
      const flags = end === -1 ? rest : rest.slice(0, end);
      if (flags.some((word) => /[$`\\]/.test(word.text)))
        return { found: 'opaque', reason: 'its shell command line uses variables or escapes' };
      return { found: 'argv', words: flags };
    }
  } else {
    // A supervisor such as go-runner: the component's program is one of its arguments.
    const rest = afterProgram(words.slice(1), component);
    if (rest) return { found: 'argv', words: rest };
  }
  return isComponent
    ? {
        found: 'opaque',
        reason: `its command (${command.join(' ').slice(0, 80)}) does not show how ${component} is started`,
      }
    : { found: 'none' };
}
