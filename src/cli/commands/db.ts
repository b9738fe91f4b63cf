// `palisade db import|update|status`: the local OSV advisory database.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { maskUserinfo } from '../../cluster/connection.ts';
import { PalisadeError } from '../../core/errors.ts';
import { terminalSafe } from '../../outputs/terminal-text.ts';
import { AdvisoryDatabase, type DatabaseStatus } from '../../vuln/db/database.ts';
import { describeAge } from '../../vuln/db/freshness.ts';
import { type ImportStats, importOsv } from '../../vuln/db/import.ts';
import { databasePath } from '../../vuln/db/location.ts';
import { OSV_EXPORT_BASE, sourceName, updateEcosystem } from '../../vuln/db/update.ts';
import { parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';

export const DB_HELP = `Usage: palisade db import PATH... [--db PATH] [--source NAME]
       palisade db update [--ecosystem NAME]... [--mirror URL] [--ca-file PEM] [--force] [--db PATH]
       palisade db status [--db PATH] [--format table|json]

The local OSV advisory database used by scan-image, scan-deps and scan-sbom.

  import   load OSV records from a directory of JSON files, an ecosystem's all.zip as OSV publishes it,
           or one JSON file; records already stored with the same or a newer \`modified\` time are skipped
  update   download <mirror>/<ecosystem>/all.zip for each ecosystem (default: those updated before) and
           import it; an unchanged export (ETag/Last-Modified) is not downloaded again
  status   sources, advisory counts per ecosystem, and age

Options:
      --db PATH          database file (default: PALISADE_DB, else $XDG_CACHE_HOME/palisade/vuln.db or ~/.cache/palisade/vuln.db)
      --source NAME      name the imported source (default: the path)
      --ecosystem NAME   OSV ecosystem to update, e.g. Debian, Alpine, npm, PyPI, Go, Maven (repeatable)
      --mirror URL       export base URL (default: PALISADE_OSV_MIRROR, else ${OSV_EXPORT_BASE})
      --ca-file PEM      also trust this CA for the mirror (TLS is always verified)
      --force            download even when the export has not changed
      --format FORMAT    status output: table (default) or json
`;

const OPTIONS = {
  db: { type: 'string' },
  source: { type: 'string' },
  ecosystem: { type: 'string', multiple: true },
  mirror: { type: 'string' },
  'ca-file': { type: 'string' },
  force: { type: 'boolean', default: false },
  format: { type: 'string', default: 'table' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function describeStats(stats: ImportStats): string {
  return (
    `${stats.read} records read: ${stats.inserted} new, ${stats.updated} updated, ${stats.unchanged} unchanged` +
    `${stats.withdrawn > 0 ? ` (${stats.withdrawn} withdrawn)` : ''}${stats.invalid > 0 ? `, ${stats.invalid} invalid` : ''}` +
    `${stats.warnings > 0 ? `, ${stats.warnings} warning${stats.warnings === 1 ? '' : 's'}` : ''}`
  );
}

function writeIssues(io: CliIo, stats: ImportStats): void {
  // File and zip entry names, and messages quoting record fields, come from the data: never let them drive the terminal.
  for (const issue of stats.issues)
    io.stderr.write(`  ${terminalSafe(`${issue.severity}: ${issue.file}: ${issue.message}`)}\n`);
  // Warnings past their cap say so themselves; errors past theirs are counted here.
  const errors = stats.issues.filter((issue) => issue.severity === 'error').length;
  if (stats.invalid > errors) io.stderr.write(`  ... and ${stats.invalid - errors} more invalid\n`);
}

/** Source locations stored by older versions may hold a mirror's password: never shown. */
function maskedStatus(status: DatabaseStatus): DatabaseStatus {
  return {
    ...status,
    sources: status.sources.map((source) => ({ ...source, location: maskUserinfo(source.location) })),
  };
}

function renderStatus(status: DatabaseStatus, now: Date): string {
  const lines = [`Database: ${terminalSafe(status.path)}`];
  const age = status.updatedAt === undefined ? undefined : now.getTime() - Date.parse(status.updatedAt);
  lines.push(
    `Updated:  ${status.updatedAt ?? 'never'}${age === undefined ? '' : ` (${describeAge(age)} ago)`}`,
  );
  lines.push(
    `Advisories: ${status.advisories} (${status.withdrawn} withdrawn, not matched); packages: ${status.packages}`,
  );
  lines.push('', 'Sources:');
  if (status.sources.length === 0) lines.push('  none');
  for (const source of status.sources)
    lines.push(`  ${terminalSafe(`${source.name}  ${source.location}  updated ${source.updatedAt}`)}`);
  lines.push('', 'Advisories by ecosystem:');
  for (const entry of status.ecosystems)
    lines.push(`  ${terminalSafe(entry.ecosystem).padEnd(32)} ${entry.advisories}`);
  return `${lines.join('\n')}\n`;
}

export async function runDb(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'db');
  const [action, ...rest] = positionals;
  if (values.help || action === undefined || action === 'help') {
    io.stdout.write(DB_HELP);
    return values.help || action === 'help' ? EXIT.clean : EXIT.usage;
  }
  const path = databasePath({ db: values.db, env: io.env, cwd: io.cwd });
  if (action === 'import') {
    if (rest.length === 0)
      throw new PalisadeError(
        'usage',
        'db import: give a directory of OSV JSON files, an all.zip, or a JSON file',
      );
    const database = AdvisoryDatabase.open(path, { create: true });
    let invalid = 0;
    try {
      for (const input of rest) {
        const stats = await importOsv(database, resolve(io.cwd, input), {
          source: values.source ?? input,
          now: io.now(),
          signal: io.signal,
          location: input,
        });
        io.stdout.write(`${terminalSafe(input)}: ${describeStats(stats)}\n`);
        writeIssues(io, stats);
        invalid += stats.invalid;
      }
    } finally {
      database.close();
    }
    io.stdout.write(`Database: ${terminalSafe(path)}\n`);
    return invalid > 0 ? EXIT.runtime : EXIT.clean;
  }
  if (action === 'update') {
    if (rest.length > 0)
      throw new PalisadeError('usage', `db update takes no paths (got "${rest[0]}"); use --ecosystem`);
    const ca =
      values['ca-file'] === undefined
        ? undefined
        : await readFile(resolve(io.cwd, values['ca-file']), 'utf8').catch((error: Error) => {
            throw new PalisadeError('input-unreadable', `--ca-file ${values['ca-file']}: ${error.message}`, {
              cause: error,
            });
          });
    const database = AdvisoryDatabase.open(path, { create: true });
    try {
      const known = database
        .sources()
        .filter((source) => source.name.startsWith('osv:'))
        .map((source) => source.name.slice(4));
      const ecosystems = values.ecosystem ?? known;
      if (ecosystems.length === 0)
        throw new PalisadeError(
          'usage',
          'db update: name the ecosystems to download with --ecosystem (e.g. --ecosystem Debian --ecosystem npm)',
        );
      const base = values.mirror ?? io.env.PALISADE_OSV_MIRROR ?? OSV_EXPORT_BASE;
      let failed = 0;
      let invalid = 0;
      for (const ecosystem of ecosystems) {
        try {
          const outcome = await updateEcosystem(database, ecosystem, {
            base,
            ca,
            now: io.now(),
            signal: io.signal,
            force: values.force,
          });
          if (outcome.status === 'not-modified')
            io.stdout.write(`${terminalSafe(ecosystem)}: unchanged since the last update\n`);
          else if (outcome.stats) {
            io.stdout.write(
              `${terminalSafe(`${ecosystem}: ${outcome.bytes} bytes from ${outcome.url}`)}; ${describeStats(outcome.stats)}\n`,
            );
            writeIssues(io, outcome.stats);
            invalid += outcome.stats.invalid;
          }
        } catch (error) {
          if (io.signal?.aborted) throw error;
          failed++;
          io.stderr.write(
            `palisade db update: ${terminalSafe(`${ecosystem} (${sourceName(ecosystem)}): ${(error as Error).message}`)}\n`,
          );
        }
      }
      io.stdout.write(`Database: ${terminalSafe(path)}\n`);
      // Invalid records mean an incomplete import, as for `db import`.
      return failed > 0 || invalid > 0 ? EXIT.runtime : EXIT.clean;
    } finally {
      database.close();
    }
  }
  if (action === 'status') {
    if (values.format !== 'table' && values.format !== 'json')
      throw new PalisadeError('usage', `db status: --format must be table or json (got "${values.format}")`);
    const database = AdvisoryDatabase.open(path, { create: false });
    try {
      const status = maskedStatus(database.status());
      io.stdout.write(
        values.format === 'json' ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status, io.now()),
      );
      return EXIT.clean;
    } finally {
      database.close();
    }
  }
  throw new PalisadeError('usage', `db: unknown action "${action}": expected import, update or status`);
}
