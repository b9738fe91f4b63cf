// Whether one version is inside an OSV `affected` entry: SEMVER and ECOSYSTEM ranges (introduced, fixed,
// last_affected, limit) and the explicit `versions` list, evaluated with the exact comparator.
import type { OsvAffected, OsvEvent, OsvRange } from '../db/osv-record.ts';
import type { VersionScheme } from '../version/index.ts';
import { semverScheme } from '../version/index.ts';

export type RangeVerdict =
  | { affected: false }
  | { affected: true; fixedVersion?: string }
  /** A range could not be evaluated exactly (a version the scheme refuses): reported, never guessed. */
  | { affected: 'unknown'; reason: string };

function eventVersion(event: OsvEvent): string {
  return event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? '';
}

function evaluateRange(version: string, range: OsvRange, scheme: VersionScheme): RangeVerdict {
  // "0" is below every version and a limit of "*" above every one.
  const compare = (a: string, b: string): number =>
    a === b ? 0 : a === '0' || b === '*' ? -1 : b === '0' || a === '*' ? 1 : scheme.compare(a, b);
  const events = [...range.events].sort((a, b) => compare(eventVersion(a), eventVersion(b)));
  // The events as intervals, read in version order. Events at one version are taken together: where an interval
  // is open, a fix or last_affected there ends it and an introduction there starts the next ([1.0, 2.0) then
  // [2.0, 2.1) leaves 2.0 affected, in any event order); where none is open, an introduction with a fix there is
  // an empty interval, and with last_affected that version alone (never a range left open for every later one).
  const atOrAbove = (bound: string): boolean => compare(version, bound) >= 0;
  const inside = (start: string, end: OsvEvent): boolean =>
    atOrAbove(start) &&
    (end.last_affected !== undefined ? compare(version, end.last_affected) <= 0 : !atOrAbove(end.fixed!));
  let affected = false;
  let open: string | undefined;
  for (let index = 0; index < events.length; ) {
    const at = eventVersion(events[index]!);
    const group: OsvEvent[] = [];
    while (index < events.length && compare(eventVersion(events[index]!), at) === 0)
      group.push(events[index++]!);
    const introduces = group.some((event) => event.introduced !== undefined);
    const end =
      group.find((event) => event.last_affected !== undefined) ??
      group.find((event) => event.fixed !== undefined);
    if (open !== undefined) {
      if (end === undefined) continue;
      if (inside(open, end)) affected = true;
      open = introduces ? at : undefined;
    } else if (introduces) {
      if (end === undefined) open = at;
      else if (inside(at, end)) affected = true;
    }
  }
  if (open !== undefined && atOrAbove(open)) affected = true;
  const limits = events.filter((event) => event.limit !== undefined);
  if (
    affected &&
    limits.length > 0 &&
    !limits.some((event) => event.limit === '*' || compare(version, event.limit!) < 0)
  )
    affected = false;
  if (!affected) return { affected: false };
  // The fix to upgrade to is the first fixed version above the installed one.
  const fixed = events.find((event) => event.fixed !== undefined && compare(event.fixed, version) > 0)?.fixed;
  return fixed === undefined ? { affected: true } : { affected: true, fixedVersion: fixed };
}

export function evaluateAffected(
  version: string,
  affected: OsvAffected,
  ecosystemScheme: VersionScheme,
): RangeVerdict {
  let unknown: string | undefined;
  let fixedVersion: string | undefined;
  let hit = false;
  for (const range of affected.ranges) {
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
    // A SEMVER range is read with the ecosystem's own parser when SemVer refuses the version, as osv-scanner
    // does: Go's `stdlib` is `v1.20` or `go1.20.5`, never strict SemVer.
    const scheme =
      range.type === 'SEMVER' &&
      (semverScheme.validate(version) === undefined || ecosystemScheme.validate(version) !== undefined)
        ? semverScheme
        : ecosystemScheme;
    let verdict: RangeVerdict;
    try {
      verdict = evaluateRange(version, range, scheme);
    } catch (error) {
      unknown = (error as Error).message;
      continue;
    }
    if (verdict.affected === true) {
      hit = true;
      if (
        verdict.fixedVersion !== undefined &&
        (fixedVersion === undefined || (safeCompare(scheme, verdict.fixedVersion, fixedVersion) ?? 0) > 0)
      )
        fixedVersion = verdict.fixedVersion;
    }
  }
  if (!hit) {
    for (const listed of affected.versions) {
      if (listed === version || safeCompare(ecosystemScheme, listed, version) === 0) {
        hit = true;
        break;
      }
    }
  }
  if (hit) return fixedVersion === undefined ? { affected: true } : { affected: true, fixedVersion };
  if (unknown !== undefined) return { affected: 'unknown', reason: unknown };
  return { affected: false };
}

function safeCompare(scheme: VersionScheme, left: string, right: string): number | undefined {
  try {
    return scheme.compare(left, right);
  } catch {
    return undefined;
  }
}
