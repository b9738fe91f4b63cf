// `palisade scan-deps`: vulnerabilities of a repository's dependencies (lockfiles and installed packages found
// in the directory), plus the secrets its files hold.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PalisadeError } from '../../core/errors.ts';
import { inventoryDirectory } from '../../image/inventory.ts';
import { SecretScanner } from '../../image/secrets/secret-scanner.ts';
import { matchPackageFromInventory } from '../../vuln/match/from-inventory.ts';
import { parseCommandArgs } from '../args.ts';
import {
  inventoryIncomplete,
  inventoryLoadIssues,
  inventoryNotices,
  printInventoryIssues,
} from '../inventory-issues.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { finishVulnScan, VULN_SCAN_OPTIONS, VULN_SCAN_OPTIONS_HELP, vulnScanSettings } from './scan-sbom.ts';

const OPTIONS = { ...VULN_SCAN_OPTIONS, 'no-secrets': { type: 'boolean', default: false } } as const;

export const SCAN_DEPS_HELP = `Usage: palisade scan-deps DIR [options]

Reads the dependencies a directory declares or installs (package-lock.json, yarn.lock, pnpm-lock.yaml,
requirements/poetry/uv/Pipfile locks, go.mod, Cargo.lock, Gemfile.lock, composer.lock, packages.lock.json, pom.xml,
gradle.lockfile, node_modules, site-packages, ...) and matches their exact versions against the local OSV
database.

      --no-secrets        do not scan files for secrets

${VULN_SCAN_OPTIONS_HELP}`;

export async function runScanDeps(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'scan-deps');
  if (values.help) {
    io.stdout.write(SCAN_DEPS_HELP);
    return EXIT.clean;
  }
  if (positionals.length !== 1) throw new PalisadeError('usage', 'scan-deps: give exactly one directory');
  const settings = vulnScanSettings(values);
  const text = positionals[0]!;
  const root = resolve(io.cwd, text);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory())
    throw new PalisadeError('input-not-found', `scan-deps: ${text} is not a directory`);
  const secrets = values['no-secrets'] ? undefined : new SecretScanner({ target: text });
  const inventory = await inventoryDirectory(root, text, {
    ...(io.signal ? { signal: io.signal } : {}),
    ...(secrets ? { visitor: secrets } : {}),
  });
  const notices = inventoryNotices(inventory.issues);
  printInventoryIssues('scan-deps', inventory.issues, io);
  const code = await finishVulnScan(
    values,
    settings,
    {
      target: text,
      targetKind: 'directory',
      loadIssues: inventoryLoadIssues(text, inventory.issues),
      packages: inventory.packages.map(matchPackageFromInventory),
      extraFindings: secrets?.findings ?? [],
      notices,
    },
    io,
  );
  return inventoryIncomplete('scan-deps', inventory.issues, io) ? EXIT.runtime : code;
}
