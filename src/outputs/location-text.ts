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
    case 'artifact': {
      const file =
        location.path === ''
          ? ''
          : `${location.path}${location.line === undefined ? '' : `:${location.line}`}`;
      const layer = location.layer === undefined ? '' : ` (layer ${shortDigest(location.layer)})`;
      return `${withPath(location.target, file)}${layer}`;
    }
  }
}

function withPath(where: string, path: string): string {
  return path === '' ? where : `${where} ${path}`;
}

/** `sha256:0123456789ab`: enough of a digest to recognise a layer. */
function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return colon === -1 ? digest.slice(0, 12) : digest.slice(0, colon + 13);
}

/** Where a load issue is: `file:line:column`, or the file alone when it concerns the whole input (line 0). */
export function issuePlace(issue: { file: string; line: number; column: number }): string {
  return issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
}
