// A database imported from the OSV fixtures into a temporary directory, for tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdvisoryDatabase } from '../../src/vuln/db/database.ts';
import { importOsv } from '../../src/vuln/db/import.ts';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'vuln');

export async function fixtureDatabase(): Promise<{
  db: AdvisoryDatabase;
  path: string;
  cleanup: () => void;
}> {
  const directory = mkdtempSync(join(tmpdir(), 'palisade-vuln-'));
  const path = join(directory, 'vuln.db');
  const db = AdvisoryDatabase.open(path, { create: true });
  await importOsv(db, join(FIXTURES, 'osv'), { source: 'fixtures', now: new Date('2026-11-22T11:00:00Z') });
  return {
    db,
    path,
    cleanup: () => {
      db.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
