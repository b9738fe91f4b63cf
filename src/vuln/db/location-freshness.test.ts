// Where the database lives and when it is too old to trust.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DatabaseStatus } from './database.ts';
import { checkFreshness, parseDuration } from './freshness.ts';
import { databasePath } from './location.ts';

test('database path: --db, then PALISADE_DB, then XDG_CACHE_HOME, then ~/.cache', () => {
  assert.equal(databasePath({ db: 'x.db', env: { PALISADE_DB: '/p.db' }, cwd: '/work' }), '/work/x.db');
  assert.equal(
    databasePath({ env: { PALISADE_DB: 'rel.db', XDG_CACHE_HOME: '/xdg' }, cwd: '/work' }),
    '/work/rel.db',
  );
  assert.equal(
    databasePath({ env: { XDG_CACHE_HOME: '/xdg', HOME: '/home/u' }, cwd: '/w' }),
    '/xdg/palisade/vuln.db',
  );
  // A relative XDG_CACHE_HOME is invalid per the XDG spec and ignored.
  assert.equal(
    databasePath({ env: { XDG_CACHE_HOME: 'rel', HOME: '/home/u' }, cwd: '/w' }),
    '/home/u/.cache/palisade/vuln.db',
  );
});

test('durations', () => {
  assert.equal(parseDuration('90m', 'x'), 90 * 60_000);
  assert.equal(parseDuration('36h', 'x'), 36 * 3_600_000);
  assert.equal(parseDuration('2w', 'x'), 14 * 86_400_000);
  assert.throws(() => parseDuration('7 days', '--max-age'), /--max-age: expected a duration/);
});

function status(updatedAt: string | undefined, sources = 1): DatabaseStatus {
  const base: DatabaseStatus = {
    path: '/db',
    schema: '1',
    advisories: 1,
    withdrawn: 0,
    packages: 1,
    ecosystems: [],
    sources: Array.from({ length: sources }, () => ({
      name: 's',
      location: 'l',
      updatedAt: updatedAt ?? '',
      advisories: 1,
    })),
  };
  if (updatedAt !== undefined) base.updatedAt = updatedAt;
  return base;
}

test('freshness: refused when older than the maximum age, unless offline; an empty database is always refused', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const week = 7 * 86_400_000;
  assert.doesNotThrow(() =>
    checkFreshness(status('2026-11-16T12:00:00Z'), { now, maxAgeMs: week, offline: false }),
  );
  assert.throws(
    () => checkFreshness(status('2026-11-14T12:00:00Z'), { now, maxAgeMs: week, offline: false }),
    /8d ago \(maximum age 7d\)/,
  );
  assert.doesNotThrow(() =>
    checkFreshness(status('2026-11-14T12:00:00Z'), { now, maxAgeMs: week, offline: true }),
  );
  assert.throws(
    () => checkFreshness(status(undefined, 0), { now, maxAgeMs: week, offline: true }),
    /holds no advisories/,
  );
});
