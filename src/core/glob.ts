// Shell-style globs (`*`, `?`) for exception targets such as `namespace: team-*`.

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let regexp = cache.get(glob);
  if (!regexp) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.');
    regexp = new RegExp(`^${body}$`);
    cache.set(glob, regexp);
  }
  return regexp;
}

export function matchesGlob(glob: string, value: string): boolean {
  return globToRegExp(glob).test(value);
}
