// Names inside layers normalised to clean relative paths; anything that would leave the image root is refused.

export type NormalisedPath = { ok: true; path: string } | { ok: false; reason: string };

/** `./usr//bin/../lib/` → `usr/lib`; absolute names become relative; `..` escaping the root is refused. */
export function normaliseLayerPath(name: string): NormalisedPath {
  if (name.includes('\0')) return { ok: false, reason: 'name contains a NUL byte' };
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return { ok: false, reason: 'path escapes the image root with ".."' };
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return { ok: true, path: parts.join('/') };
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a symlink target to the directory holding the link, clamping `..` at the root (as chroot does). */
export function resolveLinkTarget(linkPath: string, target: string): string {
  const base = target.startsWith('/') ? [] : parentOf(linkPath).split('/').filter(Boolean);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') base.pop();
    else base.push(part);
  }
  return base.join('/');
}
