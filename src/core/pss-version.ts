// Pod Security Standards policy versions: `v1.0` … `v1.37`, plus `latest`. Checks change at fixed versions.
import { PalisadeError } from './errors.ts';

export const LATEST_PSS_MINOR = 37;
export const LATEST_PSS_VERSION = `v1.${LATEST_PSS_MINOR}`;

export interface PssVersion {
  /** Minor version of Kubernetes 1.x whose policy applies. */
  minor: number;
  label: string;
}

/** Parses `v1.25`, `1.25` or `latest`. Versions newer than the latest known are refused rather than guessed at. */
export function parsePssVersion(text: string): PssVersion {
  if (text === 'latest') return { minor: LATEST_PSS_MINOR, label: 'latest' };
  const match = /^v?1\.(\d{1,3})$/.exec(text.trim());
  if (!match)
    throw new PalisadeError(
      'usage',
      `invalid Pod Security Standards version "${text}": expected v1.N or latest`,
    );
  const minor = Number(match[1]);
  if (minor > LATEST_PSS_MINOR)
    throw new PalisadeError(
      'usage',
      `Pod Security Standards version ${text} is newer than the latest known (${LATEST_PSS_VERSION})`,
    );
  return { minor, label: `v1.${minor}` };
}

export function atLeast(version: PssVersion, minor: number): boolean {
  return version.minor >= minor;
}
