// Whether one version is inside an OSV `affected` entry: SEMVER and ECOSYSTEM ranges (introduced, fixed,
// last_affected, limit) and the explicit `versions` list, evaluated with the exact comparator. Each range is read
// once into intervals and then asked about any number of versions by binary search: the fix search asks about
// every fixed version of a record, and real records carry thousands of events.
import type { OsvAffected, OsvEvent, OsvRange } from '../db/osv-record.ts';
import type { VersionScheme } from '../version/index.ts';
import { semverScheme } from '../version/index.ts';

export type RangeVerdict =
  /** `doubt`: a range had an event that may have been an introduction and could not be read (OsvRange.unreadable). */
  | { affected: false; doubt?: string }
  | { affected: true; fixedVersion?: string }
  /** A range could not be evaluated exactly (a version the scheme refuses): reported, never guessed. */
  | { affected: 'unknown'; reason: string };

/**
 * A place on a range: a version, or one of the two special event values, which the schema gives their meaning by
 * the event's kind (`introduced: "0"`, `limit: "*"`), never by the text alone: a `fixed: "0"` or an installed
 * version "0" is the version 0.
 */
type Point = string | typeof BELOW_ALL | typeof ABOVE_ALL;
const BELOW_ALL = Symbol('introduced "0": below every version');
const ABOVE_ALL = Symbol('limit "*": above every version');

type Compare = (left: Point, right: Point) => number;

/** Affected from `start` up to `end` (included for last_affected, excluded for fixed), or every version above. */
interface Interval {
  start: Point;
  end?: { version: string; included: boolean };
}

/** One range read in version order. */
interface RangeReading {
  compare: Compare;
  /** Starts strictly increase and each interval ends at or before the next one starts; none is empty. */
  intervals: Interval[];
  /** The highest limit; undefined when there is none or one is "*". */
  limit?: string;
  /** Fixed versions in version order. */
  fixes: string[];
}

/** Throws when the scheme refuses a version of the range: the range is then not evaluated. */
function readRange(range: OsvRange, scheme: VersionScheme): RangeReading {
  // Any other "0" is the version 0, which strict SemVer writes 0.0.0 (as osv-scanner reads it).
  const version = (text: string): string => (text === '0' && scheme === semverScheme ? '0.0.0' : text);
  const eventPoint = (event: OsvEvent): Point => {
    if (event.introduced !== undefined) return event.introduced === '0' ? BELOW_ALL : event.introduced;
    if (event.limit !== undefined) return event.limit === '*' ? ABOVE_ALL : version(event.limit);
    return version(event.fixed ?? event.last_affected ?? '');
  };
  const compare: Compare = (a, b) =>
    a === b
      ? 0
      : a === BELOW_ALL || b === ABOVE_ALL
        ? -1
        : b === BELOW_ALL || a === ABOVE_ALL
          ? 1
          : scheme.compare(a, b);
  const events = [...range.events].sort((a, b) => compare(eventPoint(a), eventPoint(b)));
  // The events as intervals, read in version order. Events at one version are taken together: where an interval
  // is open, a fix or last_affected there ends it and an introduction there starts the next ([1.0, 2.0) then
  // [2.0, 2.1) leaves 2.0 affected, in any event order); where none is open, an introduction with a fix there is
  // an empty interval, and with last_affected that version alone (never a range left open for every later one).
  const intervals: Interval[] = [];
  let open: Point | undefined;
  for (let index = 0; index < events.length; ) {
    const at = eventPoint(events[index]!);
    let introduces = false;
    let lastAffected: string | undefined;
    let fixed: string | undefined;
    for (; index < events.length && compare(eventPoint(events[index]!), at) === 0; index++) {
      const event = events[index]!;
      if (event.introduced !== undefined) introduces = true;
      if (event.last_affected !== undefined) lastAffected ??= version(event.last_affected);
      if (event.fixed !== undefined) fixed ??= version(event.fixed);
    }
    const end: Interval['end'] =
      lastAffected !== undefined
        ? { version: lastAffected, included: true }
        : fixed !== undefined
          ? { version: fixed, included: false }
          : undefined;
    if (open !== undefined) {
      if (end === undefined) continue;
      intervals.push({ start: open, end });
      open = introduces ? at : undefined;
    } else if (introduces) {
      if (end === undefined) open = at;
      else if (end.included) intervals.push({ start: at, end });
    }
  }
  if (open !== undefined) intervals.push({ start: open });
  const limits = events.filter((event) => event.limit !== undefined);
  const last = limits.at(-1)?.limit;
  const highest =
    limits.some((event) => event.limit === '*') || last === undefined ? undefined : version(last);
  const fixes = events.flatMap((event) => (event.fixed === undefined ? [] : [version(event.fixed)]));
  return { compare, intervals, fixes, ...(highest === undefined ? {} : { limit: highest }) };
}

/** The number of leading items for which `below` holds; `below` must hold for a prefix only. */
function countBelow<T>(items: readonly T[], below: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (below(items[middle]!)) low = middle + 1;
    else high = middle;
  }
  return low;
}

function rangeVerdict(version: string, reading: RangeReading): RangeVerdict {
  const { compare, intervals } = reading;
  // Only the last interval starting at or below the version can hold it: an earlier one ends at or before the
  // next one starts, and that one is not empty.
  const interval = intervals[countBelow(intervals, (item) => compare(version, item.start) >= 0) - 1];
  const end = interval?.end;
  const inside =
    interval !== undefined &&
    (end === undefined ||
      (end.included ? compare(version, end.version) <= 0 : compare(version, end.version) < 0));
  if (!inside || (reading.limit !== undefined && compare(version, reading.limit) >= 0))
    return { affected: false };
  // The fix to upgrade to is the first fixed version above the installed one.
  const fixed = reading.fixes[countBelow(reading.fixes, (fix) => compare(fix, version) <= 0)];
  return fixed === undefined ? { affected: true } : { affected: true, fixedVersion: fixed };
}

/**
 * An `affected` entry read for repeated questions: each range is read at most once per scheme, then every version
 * asked costs a binary search per range.
 */
export function readAffected(
  affected: OsvAffected,
  ecosystemScheme: VersionScheme,
): (version: string) => RangeVerdict {
  const ranges = affected.ranges
    .filter((range) => range.type === 'SEMVER' || range.type === 'ECOSYSTEM')
    .map((range) => ({ range, readings: new Map<VersionScheme, RangeReading | Error>() }));
  const reading = (entry: (typeof ranges)[number], scheme: VersionScheme): RangeReading => {
    let read = entry.readings.get(scheme);
    if (read === undefined) {
      try {
        read = readRange(entry.range, scheme);
      } catch (error) {
        read = error as Error;
      }
      entry.readings.set(scheme, read);
    }
    if (read instanceof Error) throw read;
    return read;
  };
  return (version) => {
    let unknown: string | undefined;
    let doubt: string | undefined;
    let fixedVersion: string | undefined;
    let hit = false;
    for (const entry of ranges) {
      // A SEMVER range is read with the ecosystem's own parser when SemVer refuses the version, as osv-scanner
      // does: Go's `stdlib` is `v1.20` or `go1.20.5`, never strict SemVer.
      const scheme =
        entry.range.type === 'SEMVER' &&
        (semverScheme.validate(version) === undefined || ecosystemScheme.validate(version) !== undefined)
          ? semverScheme
          : ecosystemScheme;
      let verdict: RangeVerdict;
      try {
        verdict = rangeVerdict(version, reading(entry, scheme));
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
      } else if (entry.range.unreadable !== undefined)
        doubt ??= `${entry.range.unreadable}: an introduction may be missing or unreadable`;
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
    return doubt === undefined ? { affected: false } : { affected: false, doubt };
  };
}

export function evaluateAffected(
  version: string,
  affected: OsvAffected,
  ecosystemScheme: VersionScheme,
): RangeVerdict {
  return readAffected(affected, ecosystemScheme)(version);
}

function safeCompare(scheme: VersionScheme, left: string, right: string): number | undefined {
  try {
    return scheme.compare(left, right);
  } catch {
    return undefined;
  }
}
