// `db update`: fetch each ecosystem's OSV export (`<mirror>/<ecosystem>/all.zip`) and import it incrementally.
import { dirname, join } from 'node:path';
import { maskUserinfo } from '../../cluster/connection.ts';
import { createTempDir, removeTempDir } from '../../image/temp-files.ts';
import type { AdvisoryDatabase } from './database.ts';
import { download } from './download.ts';
import { type ImportStats, importOsv } from './import.ts';

/** OSV's public bucket; mirrors with the same layout work for air-gapped sites (--mirror, PALISADE_OSV_MIRROR). */
export const OSV_EXPORT_BASE = 'https://osv-vulnerabilities.storage.googleapis.com';

/** Large ecosystem exports (Debian, npm) are some hundreds of MiB; more than this is refused. */
const MAX_EXPORT_BYTES = 2 * 1024 * 1024 * 1024;

export interface UpdateOutcome {
  ecosystem: string;
  /** The export's URL as it may be shown and stored: user information masked. */
  url: string;
  status: 'not-modified' | 'imported';
  bytes?: number;
  stats?: ImportStats;
}

export function exportUrl(base: string, ecosystem: string): string {
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
}

export function sourceName(ecosystem: string): string {
  return `osv:${ecosystem}`;
}

export async function updateEcosystem(
  database: AdvisoryDatabase,
  ecosystem: string,
  options: {
    base: string;
    ca?: string | undefined;
    now: Date;
    signal?: AbortSignal | undefined;
    force: boolean;
  },
): Promise<UpdateOutcome> {
  // The URL with its credentials is used for the request only; what is shown, stored or named in issues is masked.
  const url = exportUrl(options.base, ecosystem);
  const shownUrl = maskUserinfo(url);
  const name = sourceName(ecosystem);
  const previous = database.source(name);
  // Registered for removal at exit: a second Ctrl-C exits at once, without the finally below running.
  const directory = createTempDir('.download-', dirname(database.path));
  const file = join(directory, 'all.zip');
  try {
    const result = await download(url, file, {
      maxBytes: MAX_EXPORT_BYTES,
      signal: options.signal,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      ...(options.force || previous?.etag === undefined ? {} : { etag: previous.etag }),
      ...(options.force || previous?.lastModified === undefined
        ? {}
        : { lastModified: previous.lastModified }),
    });
    if (result.status === 'not-modified') {
      // Unchanged upstream still counts as checked now: the data is as fresh as the source.
      if (previous) database.recordSource({ ...previous, updatedAt: options.now.toISOString() });
      return { ecosystem, url: shownUrl, status: 'not-modified' };
    }
    const stats = await importOsv(database, file, {
      source: name,
      now: options.now,
      signal: options.signal,
      location: shownUrl,
      // Issues name the export, not the temporary file it was downloaded to (deleted below).
      label: shownUrl,
    });
    const current = database.source(name);
    // With invalid records the validators are not kept: the next update downloads the export again and says so
    // again (exit 3), instead of "unchanged" over data known to be incomplete.
    if (current && stats.invalid === 0)
      database.recordSource({
        ...current,
        ...(result.etag === undefined ? {} : { etag: result.etag }),
        ...(result.lastModified === undefined ? {} : { lastModified: result.lastModified }),
      });
    return { ecosystem, url: shownUrl, status: 'imported', bytes: result.bytes, stats };
  } finally {
    await removeTempDir(directory);
  }
}
