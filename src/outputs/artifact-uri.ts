// File paths as SARIF artifact URIs: relative references with forward slashes and percent-encoded segments,
// so `my dir/a#1.yaml` stays one path; absolute paths become `file:` URIs, which is the only way to say them.

/**
 * `platform` is injectable for tests. A drive letter means a Windows absolute path on Windows, or anywhere when the
 * path is written the Windows way (`C:\w.yaml`); on POSIX `C:/w.yaml` is a relative path under a directory named
 * `C:`, and its `:` is percent-encoded (as every segment is) so it is not read as a URI scheme (RFC 3986 §4.2).
 */
export function toArtifactUri(file: string, platform: NodeJS.Platform = process.platform): string {
  const drive = (platform === 'win32' ? /^([A-Za-z]):[\\/]/ : /^([A-Za-z]):\\/).exec(file);
  // A backslash separates only on Windows (or in a Windows-style path); on POSIX it is part of a name (`a\b.yaml`),
  // kept as %5C.
  const path = platform === 'win32' || drive ? file.replace(/\\/g, '/') : file;
  if (drive) return `file:///${drive[1]}:/${encodeSegments(path.slice(3))}`;
  // A UNC path names its host: file://server/share/x.yaml (RFC 8089 Appendix E.3).
  const unc = platform === 'win32' ? /^\/\/([^/]+)\/(.*)$/.exec(path) : null;
  if (unc) return `file://${encodeURIComponent(unc[1] as string)}/${encodeSegments(unc[2] as string)}`;
  if (path.startsWith('/')) return `file:///${encodeSegments(path.replace(/^\/+/, ''))}`;
  return encodeSegments(path.replace(/^(?:\.\/)+/, ''));
}

function encodeSegments(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(wellFormed(segment)))
    .join('/');
}

/** Lone UTF-16 surrogates (which encodeURIComponent refuses) as U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
