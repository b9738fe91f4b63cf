// The part of an OSV record (https://ossf.github.io/osv-schema/) that matching needs, checked at the edge.
// Long free text (details) is dropped: it is not needed to match and would triple the database.
import { isRecord } from '../../core/kube-object.ts';
import { normalisedPythonName } from '../../image/purl.ts';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  events: OsvEvent[];
  /**
   * The position of an event that could not be read and may have been an introduction
   * (`affected[0].ranges[1].events[2]`), or of a range without any introduction (`affected[0].ranges[1]`): the
   * matcher then never calls a version outside the rest of the range simply not affected.
   */
  unreadable?: string;
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges: OsvRange[];
  versions: string[];
  severity: OsvSeverity[];
  /** `ecosystem_specific.severity` / `database_specific.severity` ratings (Ubuntu priorities, GHSA levels). */
  rating?: string;
}

export interface OsvRecord {
  id: string;
  modified: string;
  withdrawn?: string;
  aliases: string[];
  summary?: string;
  severity: OsvSeverity[];
  affected: OsvAffected[];
  references: string[];
  /** `database_specific.severity` of the record (GHSA: CRITICAL/HIGH/MODERATE/LOW). */
  rating?: string;
}

/** `warnings`: parts of a record that was kept but is not as the schema writes it, with their position. */
export type OsvParseResult =
  | { ok: true; record: OsvRecord; warnings: string[] }
  | { ok: false; reason: string };

const MAX_ID = 256;
const MAX_LIST = 100_000;
const MAX_REFERENCES = 20;

function strings(value: unknown, max = MAX_LIST): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string').slice(0, max);
}

function severities(value: unknown): OsvSeverity[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isRecord)
    .filter((item) => typeof item.type === 'string' && typeof item.score === 'string')
    .map((item) => ({ type: item.type as string, score: item.score as string }));
}

function rating(...holders: unknown[]): string | undefined {
  for (const holder of holders) {
    if (!isRecord(holder)) continue;
    const severity = holder.severity;
    if (typeof severity === 'string' && severity.length <= 32) return severity;
  }
  return undefined;
}

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
const MAX_EVENT_VERSION = 256;
/** Per record: a feed of broken records must not become a list of millions of lines. */
const MAX_WARNINGS = 10;

interface EventReading {
  /** The event, or what is kept of a malformed one. */
  kept: OsvEvent[];
  /** Why the event is malformed; undefined when it is as the schema writes it. */
  problem?: string;
  /** A malformed event that may have been an introduction and could not be read as one. */
  lostIntroduction?: boolean;
}

/**
 * One event: exactly one of the four keys, with a string (other keys are allowed, as in the schema). Of a
 * malformed event only what cannot narrow the range is kept, so a package never looks safer than its record
 * says: a readable `introduced` stays; a fix or last_affected is dropped (the interval then ends later); a limit
 * becomes "*", because dropping one of several limits would lower the bound. An event whose kind cannot be told
 * may have been an introduction: the range is marked (OsvRange.unreadable).
 */
function readEvent(value: unknown): EventReading {
  if (!isRecord(value)) return { kept: [], problem: 'is not an object', lostIntroduction: true };
  const keys = EVENT_KEYS.filter((key) => Object.hasOwn(value, key));
  const text = (key: (typeof EVENT_KEYS)[number]): string | undefined => {
    const version = value[key];
    return typeof version === 'string' && version.length <= MAX_EVENT_VERSION ? version : undefined;
  };
  let problem: string;
  if (keys.length === 0) {
    const others = Object.keys(value)
      .slice(0, 3)
      .map((key) => key.slice(0, 40));
    problem = `has none of ${EVENT_KEYS.join(', ')}${others.length > 0 ? ` (has ${others.join(', ')})` : ''}`;
  } else if (keys.length > 1) problem = `has ${keys.join(' and ')} (an event holds one)`;
  else {
    const key = keys[0]!;
    const version = text(key);
    if (version !== undefined) return { kept: [{ [key]: version }] };
    problem =
      typeof value[key] === 'string'
        ? `${key} is longer than ${MAX_EVENT_VERSION} characters`
        : `${key} is not a string`;
  }
  const kept: OsvEvent[] = [];
  const introduced = keys.includes('introduced') ? text('introduced') : undefined;
  if (introduced !== undefined) kept.push({ introduced });
  if (keys.includes('limit')) kept.push({ limit: '*' });
  const lostIntroduction = keys.length === 0 || (keys.includes('introduced') && introduced === undefined);
  return { kept, problem, lostIntroduction };
}

function affected(
  value: unknown,
  position: string,
  warn: (message: string) => void,
): OsvAffected | undefined {
  if (!isRecord(value)) return undefined;
  const result: OsvAffected = {
    ranges: [],
    versions: strings(value.versions),
    severity: severities(value.severity),
  };
  const pkg = value.package;
  if (isRecord(pkg) && typeof pkg.ecosystem === 'string' && typeof pkg.name === 'string') {
    result.package = { ecosystem: pkg.ecosystem, name: pkg.name };
    if (typeof pkg.purl === 'string') result.package.purl = pkg.purl;
  }
  if (Array.isArray(value.ranges)) {
    for (const [rangeIndex, range] of value.ranges.entries()) {
      if (!isRecord(range) || typeof range.type !== 'string' || !Array.isArray(range.events)) continue;
      const osvRange: OsvRange = { type: range.type, events: [] };
      for (const [eventIndex, item] of range.events.entries()) {
        const { kept, problem, lostIntroduction } = readEvent(item);
        osvRange.events.push(...kept);
        if (problem === undefined) continue;
        const where = `${position}.ranges[${rangeIndex}].events[${eventIndex}]`;
        warn(`${where} ${problem}`);
        if (lostIntroduction) osvRange.unreadable ??= where;
      }
      // The schema requires an introduction in every range; without one the range affects nothing as written,
      // which is not read as a verdict: a version outside every other range gets a scan notice.
      if (
        !osvRange.events.some((event) => event.introduced !== undefined) &&
        osvRange.unreadable === undefined
      ) {
        const where = `${position}.ranges[${rangeIndex}]`;
        warn(`${where} has no introduced event (the OSV schema requires one)`);
        osvRange.unreadable = where;
      }
      result.ranges.push(osvRange);
    }
  }
  const specificRating = rating(value.ecosystem_specific, value.database_specific);
  if (specificRating !== undefined) result.rating = specificRating;
  return result;
}

/** Checks one parsed JSON value as an OSV record; a reason, not an exception, when it is not one. */
export function parseOsvRecord(value: unknown): OsvParseResult {
  if (!isRecord(value)) return { ok: false, reason: 'not a JSON object' };
  const { id, modified } = value;
  if (
    typeof id !== 'string' ||
    id === '' ||
    id.length > MAX_ID ||
    [...id].some((char) => char.charCodeAt(0) <= 0x20)
  )
    return { ok: false, reason: 'missing or invalid "id"' };
  if (typeof modified !== 'string' || Number.isNaN(Date.parse(modified)))
    return { ok: false, reason: `${id}: missing or invalid "modified" timestamp` };
  if (value.affected !== undefined && !Array.isArray(value.affected))
    return { ok: false, reason: `${id}: "affected" is not an array` };
  const warnings: string[] = [];
  let unlisted = 0;
  const warn = (message: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(`${id}: ${message}`);
    else unlisted++;
  };
  const record: OsvRecord = {
    id,
    modified,
    aliases: strings(value.aliases, 1000).filter((alias) => alias.length <= MAX_ID),
    severity: severities(value.severity),
    affected: ((value.affected as unknown[] | undefined) ?? [])
      .map((item, index) => affected(item, `affected[${index}]`, warn))
      .filter((a): a is OsvAffected => a !== undefined),
    references: (Array.isArray(value.references) ? value.references : [])
      .filter(isRecord)
      .map((reference) => reference.url)
      .filter((url): url is string => typeof url === 'string' && url.length <= 2048)
      .slice(0, MAX_REFERENCES),
  };
  if (typeof value.withdrawn === 'string') record.withdrawn = value.withdrawn;
  if (typeof value.summary === 'string') record.summary = value.summary.slice(0, 500);
  const recordRating = rating(value.database_specific);
  if (recordRating !== undefined) record.rating = recordRating;
  if (unlisted > 0) warnings.push(`${id}: ${unlisted} more malformed events`);
  return { ok: true, record, warnings };
}

/** Orders two RFC 3339 timestamps exactly, sub-millisecond digits included (OSV writes microseconds). */
export function compareTimestamps(left: string, right: string): number {
  const key = (text: string): string => {
    const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/i.exec(text.trim());
    if (match) return `${match[1]}.${(match[2] ?? '').padEnd(9, '0').slice(0, 9)}`;
    const parsed = Date.parse(text);
    return `${new Date(Number.isNaN(parsed) ? 0 : parsed).toISOString().slice(0, 19)}.${String(parsed % 1000)
      .padStart(3, '0')
      .padEnd(9, '0')}`;
  };
  const a = key(left);
  const b = key(right);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Name as stored and looked up: PyPI names are case- and separator-insensitive (PEP 503); others are exact. */
export function normalizePackageName(baseEcosystem: string, name: string): string {
  if (baseEcosystem === 'PyPI') return normalisedPythonName(name);
  // NuGet package ids and Composer package names are case-insensitive.
  if (baseEcosystem === 'NuGet' || baseEcosystem === 'Packagist') return name.toLowerCase();
  return name;
}
