// Locations as people read them: `file:line:column` for files, the source and field path otherwise.
import type { Location } from '../core/source.ts';

export function formatLocation(location: Location): string {
  switch (location.type) {
    case 'file':
      return `${location.file}:${location.line}:${location.column}`;
    case 'cluster':
      return withPath(`cluster ${location.context}`, location.path);
    case 'admission':
      return withPath(`admission ${location.uid}`, location.path);
    case 'inline':
      return withPath('inline', location.path);
  }
}

function withPath(where: string, path: string): string {
  return path === '' ? where : `${where} ${path}`;
}
