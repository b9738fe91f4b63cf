// fnmatch-style globs (`*`, `?`, `[abc]`, `[!abc]`) compiled to anchored regular expressions.

export function globToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else if (char === '[') {
      const close = pattern.indexOf(']', index + 2);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(index + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      source += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      index = close;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
}

/** Falco's pmatch: the value is one of the paths or lies under one of them. */
export function pathPrefixMatch(value: string, paths: readonly string[]): boolean {
  for (const path of paths) {
    if (value === path) return true;
    const prefix = path.endsWith('/') ? path : `${path}/`;
    if (value.startsWith(prefix)) return true;
  }
  return false;
}
