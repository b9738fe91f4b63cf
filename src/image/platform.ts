// Platforms (`os/arch[/variant]`) and choosing one manifest from an image index.
import { PalisadeError } from '../core/errors.ts';
import { isRecord } from '../core/kube-object.ts';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const ARCH_ALIASES: Record<string, string> = { x64: 'amd64', x86_64: 'amd64', aarch64: 'arm64', ia32: '386' };

export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^[a-z0-9._-]+$/.test(part)))
    throw new PalisadeError('usage', `invalid platform "${text}": expected os/arch or os/arch/variant`);
  const platform: Platform = { os: parts[0]!, architecture: ARCH_ALIASES[parts[1]!] ?? parts[1]! };
  if (parts[2] !== undefined) platform.variant = parts[2];
  return platform;
}

/** linux plus the architecture of this machine: what `docker pull` picks without --platform. */
export function defaultPlatform(): Platform {
  return { os: 'linux', architecture: ARCH_ALIASES[process.arch] ?? process.arch };
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** arm64 means v8 when the variant is not written, as containerd normalises it. */
function normalisedVariant(platform: Platform): string | undefined {
  if (platform.architecture === 'arm64' && (platform.variant === undefined || platform.variant === 'v8'))
    return 'v8';
  return platform.variant;
}

export function platformMatches(wanted: Platform, candidate: Platform): boolean {
  if (wanted.os !== candidate.os || wanted.architecture !== candidate.architecture) return false;
  if (wanted.variant === undefined && wanted.architecture !== 'arm64') return true;
  return normalisedVariant(wanted) === normalisedVariant(candidate);
}

export interface IndexEntry {
  digest: string;
  mediaType: string;
  size?: number;
  platform?: Platform;
  annotations: Record<string, string>;
}

/** Reads the `manifests` of an OCI index or Docker manifest list. */
export function indexEntries(index: Record<string, unknown>, where: string): IndexEntry[] {
  if (!Array.isArray(index.manifests))
    throw new PalisadeError('input-unreadable', `${where}: index has no manifests`);
  return index.manifests.map((item, position) => {
    if (!isRecord(item) || typeof item.digest !== 'string')
      throw new PalisadeError('input-unreadable', `${where}: manifests[${position}] has no digest`);
    const entry: IndexEntry = {
      digest: item.digest,
      mediaType: typeof item.mediaType === 'string' ? item.mediaType : '',
      annotations: {},
    };
    if (typeof item.size === 'number') entry.size = item.size;
    if (isRecord(item.annotations))
      for (const [key, value] of Object.entries(item.annotations))
        if (typeof value === 'string') entry.annotations[key] = value;
    if (
      isRecord(item.platform) &&
      typeof item.platform.os === 'string' &&
      typeof item.platform.architecture === 'string'
    ) {
      entry.platform = { os: item.platform.os, architecture: item.platform.architecture };
      if (typeof item.platform.variant === 'string') entry.platform.variant = item.platform.variant;
    }
    return entry;
  });
}

const MAX_LISTED_PLATFORMS = 20;
const MAX_PLATFORM_NAME = 60;

/** Picks the manifest for a platform; attestation entries (unknown/unknown) never match. */
export function selectPlatform(entries: IndexEntry[], wanted: Platform, where: string): IndexEntry {
  const match = entries.find(
    (entry) => entry.platform !== undefined && platformMatches(wanted, entry.platform),
  );
  if (match !== undefined) return match;
  const platforms = entries.flatMap((entry) =>
    entry.platform === undefined || entry.platform.os === 'unknown' ? [] : [formatPlatform(entry.platform)],
  );
  // A hostile index may list thousands of platforms with long names: the message stays one short line.
  const shown = platforms
    .slice(0, MAX_LISTED_PLATFORMS)
    .map((name) => (name.length > MAX_PLATFORM_NAME ? `${name.slice(0, MAX_PLATFORM_NAME)}…` : name));
  const more = platforms.length - shown.length;
  const available = `${shown.join(', ')}${more > 0 ? `, +${more} more` : ''}`;
  throw new PalisadeError(
    'input-not-found',
    `${where}: no image for platform ${formatPlatform(wanted)} (available: ${available || 'none'})`,
  );
}
