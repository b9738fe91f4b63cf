// The local advisory database on node:sqlite: OSV records indexed by ecosystem and package name, with the
// sources they came from and when, so a scan can tell how fresh its data is.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { PalisadeError } from '../../core/errors.ts';
import { makeDirectory } from '../../core/make-directory.ts';
import { baseEcosystem } from '../version/index.ts';
import { compareTimestamps, normalizePackageName, type OsvRecord } from './osv-record.ts';

// 2: NuGet and Packagist names are stored lower-cased (case-insensitive, as the registries treat them).
// 3: what is safe to keep of malformed range events is stored (OsvRange.unreadable); 2 dropped them, and an
// unchanged record is never rewritten by a re-import.
const SCHEMA_VERSION = '3';

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

export interface SourceInfo {
  name: string;
  location: string;
  updatedAt: string;
  advisories: number;
  etag?: string;
  lastModified?: string;
}

export interface DatabaseStatus {
  path: string;
  schema: string;
  advisories: number;
  withdrawn: number;
  packages: number;
  ecosystems: Array<{ ecosystem: string; advisories: number }>;
  sources: SourceInfo[];
  /** Last import or update of any source: the age a scan checks. */
  updatedAt?: string;
}

interface Statements {
  getModified: StatementSync;
  upsertAdvisory: StatementSync;
  deleteAffected: StatementSync;
  insertAffected: StatementSync;
  byPackage: StatementSync;
  nextEcosystem: StatementSync;
}

export class AdvisoryDatabase {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements: Statements;
  readonly #cache = new Map<string, OsvRecord>();

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
    this.#statements = {
      getModified: db.prepare('SELECT modified FROM advisories WHERE id = ?'),
      upsertAdvisory: db.prepare(
        'INSERT INTO advisories (id, modified, withdrawn, source, record) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT(id) DO UPDATE SET modified = excluded.modified, withdrawn = excluded.withdrawn, source = excluded.source, record = excluded.record',
      ),
      deleteAffected: db.prepare('DELETE FROM affected WHERE advisory_id = ?'),
      insertAffected: db.prepare(
        'INSERT INTO affected (advisory_id, base, ecosystem, name) VALUES (?, ?, ?, ?)',
      ),
      byPackage: db.prepare(
        'SELECT DISTINCT a.id AS id, a.record AS record FROM affected f JOIN advisories a ON a.id = f.advisory_id WHERE f.base = ? AND f.name = ? AND a.withdrawn = 0',
      ),
      // The next ecosystem of a base after a given one: one index seek each, where DISTINCT would read every row of
      // the base (115 ms for 400,000). Withdrawn advisories count too, which needs no join.
      nextEcosystem: db.prepare(
        'SELECT ecosystem FROM affected WHERE base = ? AND ecosystem > ? ORDER BY ecosystem LIMIT 1',
      ),
    };
  }

  /** Opens (and with `create`, creates) the database; a missing one without `create` is a clear error. */
  static open(path: string, options: { create: boolean }): AdvisoryDatabase {
    if (!existsSync(path)) {
      if (!options.create)
        throw new PalisadeError(
          'input-not-found',
          `no vulnerability database at ${path}: run \`palisade db import <dir|all.zip>\` or \`palisade db update\` first`,
        );
      makeDirectory(dirname(path));
    }
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path);
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;');
      db.exec(`
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS sources (name TEXT PRIMARY KEY, location TEXT NOT NULL, updated_at TEXT NOT NULL,
          advisories INTEGER NOT NULL, etag TEXT, last_modified TEXT);
        CREATE TABLE IF NOT EXISTS advisories (id TEXT PRIMARY KEY, modified TEXT NOT NULL, withdrawn INTEGER NOT NULL,
          source TEXT NOT NULL, record TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS affected (advisory_id TEXT NOT NULL, base TEXT NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS affected_by_package ON affected (base, name);
        CREATE INDEX IF NOT EXISTS affected_by_advisory ON affected (advisory_id);
        CREATE INDEX IF NOT EXISTS affected_by_ecosystem ON affected (base, ecosystem);
      `);
    } catch (error) {
      throw new PalisadeError(
        'input-unreadable',
        `${path}: not a usable SQLite database: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const schema = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as
      | { value: string }
      | undefined;
    if (schema === undefined)
      db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
    else if (schema.value !== SCHEMA_VERSION) {
      db.close();
      throw new PalisadeError(
        'input-unreadable',
        `${path}: database schema ${schema.value} is not the supported ${SCHEMA_VERSION}; delete it and import again`,
      );
    }
    return new AdvisoryDatabase(path, db);
  }

  transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Stores a record unless the stored copy is as new or newer (`modified`), which makes re-imports incremental. */
  upsert(record: OsvRecord, source: string): UpsertOutcome {
    const existing = this.#statements.getModified.get(record.id) as { modified: string } | undefined;
    if (existing && compareTimestamps(existing.modified, record.modified) >= 0) return 'unchanged';
    this.#statements.upsertAdvisory.run(
      record.id,
      record.modified,
      record.withdrawn ? 1 : 0,
      source,
      JSON.stringify(record),
    );
    if (existing) this.#statements.deleteAffected.run(record.id);
    const seen = new Set<string>();
    for (const entry of record.affected) {
      if (!entry.package) continue;
      const base = baseEcosystem(entry.package.ecosystem);
      const name = normalizePackageName(base, entry.package.name);
      const key = `${entry.package.ecosystem}\u0000${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.#statements.insertAffected.run(record.id, base, entry.package.ecosystem, name);
    }
    this.#cache.delete(record.id);
    return existing ? 'updated' : 'inserted';
  }

  recordSource(source: SourceInfo): void {
    this.#db
      .prepare(
        'INSERT INTO sources (name, location, updated_at, advisories, etag, last_modified) VALUES (?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT(name) DO UPDATE SET location = excluded.location, updated_at = excluded.updated_at, ' +
          'advisories = excluded.advisories, etag = excluded.etag, last_modified = excluded.last_modified',
      )
      .run(
        source.name,
        source.location,
        source.updatedAt,
        source.advisories,
        source.etag ?? null,
        source.lastModified ?? null,
      );
  }

  source(name: string): SourceInfo | undefined {
    return this.sources().find((source) => source.name === name);
  }

  sources(): SourceInfo[] {
    const rows = this.#db.prepare('SELECT * FROM sources ORDER BY name').all() as Array<
      Record<string, string | number | null>
    >;
    return rows.map((row) => {
      const info: SourceInfo = {
        name: String(row.name),
        location: String(row.location),
        updatedAt: String(row.updated_at),
        advisories: Number(row.advisories),
      };
      if (row.etag !== null && row.etag !== undefined) info.etag = String(row.etag);
      if (row.last_modified !== null && row.last_modified !== undefined)
        info.lastModified = String(row.last_modified);
      return info;
    });
  }

  /** Advisories (withdrawn ones excluded) naming this package in this base ecosystem. */
  findByPackage(base: string, name: string): OsvRecord[] {
    const rows = this.#statements.byPackage.all(base, normalizePackageName(base, name)) as Array<{
      id: string;
      record: string;
    }>;
    return rows.map((row) => {
      let record = this.#cache.get(row.id);
      if (!record) {
        record = JSON.parse(row.record) as OsvRecord;
        this.#cache.set(row.id, record);
      }
      return record;
    });
  }

  /** The ecosystems, as the advisories write them, named under this base ecosystem. */
  ecosystemsOf(base: string): string[] {
    const ecosystems: string[] = [];
    let after = '';
    for (;;) {
      const row = this.#statements.nextEcosystem.get(base, after) as { ecosystem: string } | undefined;
      if (row === undefined) return ecosystems;
      ecosystems.push(row.ecosystem);
      after = row.ecosystem;
    }
  }

  status(): DatabaseStatus {
    const count = (sql: string): number => Number((this.#db.prepare(sql).get() as { n: number }).n);
    const sources = this.sources();
    const updatedAt = sources
      .map((source) => source.updatedAt)
      .sort()
      .at(-1);
    const status: DatabaseStatus = {
      path: this.path,
      schema: SCHEMA_VERSION,
      advisories: count('SELECT COUNT(*) AS n FROM advisories WHERE withdrawn = 0'),
      withdrawn: count('SELECT COUNT(*) AS n FROM advisories WHERE withdrawn = 1'),
      packages: count('SELECT COUNT(*) AS n FROM (SELECT DISTINCT base, name FROM affected)'),
      ecosystems: (
        this.#db
          .prepare(
            'SELECT f.ecosystem AS ecosystem, COUNT(DISTINCT f.advisory_id) AS n FROM affected f JOIN advisories a ON a.id = f.advisory_id ' +
              'WHERE a.withdrawn = 0 GROUP BY f.ecosystem ORDER BY f.ecosystem',
          )
          .all() as Array<{ ecosystem: string; n: number }>
      ).map((row) => ({ ecosystem: row.ecosystem, advisories: Number(row.n) })),
      sources,
    };
    if (updatedAt !== undefined) status.updatedAt = updatedAt;
    return status;
  }

  close(): void {
    this.#db.close();
  }
}
