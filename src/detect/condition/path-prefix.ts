// Falco's `pmatch`: a path matches when one of the listed paths is a prefix of it, component by component.
// Paths split on `/` with empty components dropped (so `/var/`, `//var` and `var` are all `/var`), `/var`
// matches `/var` and `/var/run` but not `/varx`, `/` matches every path, and a listed component holding a glob
// character (`*`, `?`, `[`) matches one component as a glob (libsinsp's path_prefix_search).
import { compileGlob } from './glob.ts';

type ComponentMatcher = (component: string) => boolean;

function components(path: string): string[] {
  return path.split('/').filter((component) => component !== '');
}

function componentMatcher(component: string): ComponentMatcher {
  if (!/[?*[]/.test(component)) return (value) => value === component;
  return compileGlob(component, false);
}

/** A matcher for a pmatch list, compiled once per condition. */
export function compilePathPrefixes(paths: readonly string[]): (value: string) => boolean {
  const prefixes = paths.map((path) => components(path).map(componentMatcher));
  return (value) => {
    const parts = components(value);
    return prefixes.some(
      (prefix) =>
        prefix.length <= parts.length && prefix.every((matches, index) => matches(parts[index] as string)),
    );
  };
}
