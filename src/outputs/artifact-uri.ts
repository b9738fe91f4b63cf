// File paths as SARIF artifact URIs: relative references with forward slashes and percent-encoded segments,
// so `my dir/a#1.yaml` stays one path; absolute paths become `file:` URIs, which is the only way to say them.

export function toArtifactUri(file: string): string {
  const path = file.replace(/\\/g, '/');
  const drive = /^([A-Za-z]):\//.exec(path);
  if (drive) return `file:///${drive[1]}:/${encodeSegments(path.slice(3))}`;
  if (path.startsWith('/')) return `file:///${encodeSegments(path.replace(/^\/+/, ''))}`;
  return encodeSegments(path.replace(/^(?:\.\/)+/, ''));
}

function encodeSegments(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
