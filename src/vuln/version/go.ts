// Go module versions: `v`-prefixed SemVer, `+incompatible` ignored for order, pseudo-versions are pre-releases.

import { parsedScheme, type VersionScheme } from './scheme.ts';
import { compareParsedSemver, parseSemver, type SemVer } from './semver.ts';

/** Go's own standard library and toolchain use `go1.21.3`-style versions; OSV writes them as SemVer. */
function parseGo(text: string): SemVer | string {
  let value = text.trim();
  if (value.startsWith('go')) value = value.slice(2);
  if (value.startsWith('v')) value = value.slice(1);
  // Go accepts shortened toolchain versions (1.21) and old ones without a patch (go1.9): pad them.
  if (/^[0-9]+(\.[0-9]+)?$/.test(value))
    value = value.split('.').length === 1 ? `${value}.0.0` : `${value}.0`;
  // Go's toolchain pre-releases (1.21rc2) become SemVer pre-releases.
  value = value.replace(
    /^([0-9]+\.[0-9]+(?:\.[0-9]+)?)(rc|beta|alpha)([0-9]+)$/,
    (_all, base: string, kind, n) => {
      const full = base.split('.').length === 2 ? `${base}.0` : base;
      return `${full}-${kind}.${n}`;
    },
  );
  const parsed = parseSemver(value);
  if (typeof parsed === 'string') return parsed;
  // `+incompatible` marks a v2+ module without go.mod; it is build metadata and does not affect order.
  return parsed;
}

export const goScheme: VersionScheme = parsedScheme('go', parseGo, compareParsedSemver);

/** Go release tags as golang.org/x/vuln reads them: `go` major.minor, an optional patch, a beta/rc/-pre number. */
const GO_TAG = /^go([0-9]+\.[0-9]+)(\.[0-9]+)?(?:(beta|rc|-pre)([0-9]+))?$/;

/**
 * The SemVer OSV uses for a Go toolchain version, as govulncheck derives it (`go1.21rc2` -> `v1.21.0-rc.2`,
 * `go1.21` -> `v1.21.0`, `go1` -> `v1.0.0`); undefined when the text is no release tag (`devel go1.22-abc`).
 * Only the first word counts: `go1.21.0 X:boringcrypto` is `v1.21.0`.
 */
export function goTagToSemver(text: string): string | undefined {
  const tag = text.trim().split(/\s+/)[0] ?? '';
  if (tag === 'go1') return 'v1.0.0';
  const match = GO_TAG.exec(tag);
  // There never was a go1.0 tag: Go 1.0 was tagged go1.
  if (!match || tag === 'go1.0') return undefined;
  const [, majorMinor, patch = '.0', kind, number] = match;
  const prerelease = kind === undefined ? '' : `-${kind.replace(/^-/, '')}.${number}`;
  return `v${majorMinor}${patch}${prerelease}`;
}
