// How old the database is, and whether a scan may use it: a stale database gives a false sense of safety.
import { PalisadeError } from '../../core/errors.ts';
import type { DatabaseStatus } from './database.ts';

/** Default maximum age: OSV exports change daily; a week-old database misses recent advisories. */
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** `90m`, `36h`, `7d`, `2w`: a duration in milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^([0-9]+)(m|h|d|w)$/.exec(text.trim());
  if (!match)
    throw new PalisadeError('usage', `${flag}: expected a duration such as 36h, 7d or 2w, got "${text}"`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[match[2] as 'm' | 'h' | 'd' | 'w'];
  return Number(match[1]) * unit;
}

export function describeAge(ms: number): string {
  const hours = ms / 3_600_000;
  return hours < 48 ? `${Math.max(0, Math.floor(hours))}h` : `${Math.floor(hours / 24)}d`;
}

/** Throws unless the database is fresh enough or the user said to work offline. */
export function checkFreshness(
  status: DatabaseStatus,
  options: { now: Date; maxAgeMs: number; offline: boolean },
): void {
  if (status.sources.length === 0)
    throw new PalisadeError(
      'input-unreadable',
      `${status.path} holds no advisories: run \`palisade db import\` or \`palisade db update\``,
    );
  if (options.offline) return;
  const updated = Date.parse(status.updatedAt ?? '');
  const age = options.now.getTime() - updated;
  if (Number.isNaN(updated) || age > options.maxAgeMs)
    throw new PalisadeError(
      'input-unreadable',
      `vulnerability database ${status.path} was last updated ${Number.isNaN(updated) ? 'at an unknown time' : `${describeAge(age)} ago`} ` +
        `(maximum age ${describeAge(options.maxAgeMs)}): run \`palisade db update\`, or pass --offline to scan with it anyway`,
    );
}
