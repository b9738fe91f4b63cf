// `palisade scan-image`: vulnerabilities of an image's packages (registry reference, docker save archive or OCI
// layout), plus the image-configuration and secret findings of its inventory.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PalisadeError } from '../../core/errors.ts';
import type { Finding } from '../../core/finding.ts';
import { imageConfigFindings } from '../../image/config-findings.ts';
import { inventoryImage } from '../../image/inventory.ts';
import { openTarget } from '../../image/open-target.ts';
import { defaultPlatform, parsePlatform } from '../../image/platform.ts';
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

const OPTIONS = {
  ...VULN_SCAN_OPTIONS,
  platform: { type: 'string' },
  'insecure-registry': { type: 'boolean', default: false },
  'registry-ca-file': { type: 'string' },
  'docker-config': { type: 'string' },
  'no-secrets': { type: 'boolean', default: false },
} as const;

export const SCAN_IMAGE_HELP = `Usage: palisade scan-image IMAGE [options]

IMAGE is a registry reference (registry/repository:tag or @sha256:...), a \`docker save\` archive (optionally
gzip/zstd-compressed) or an OCI image layout (directory or tar). Packages are matched against the local OSV
database on their exact installed version (distro packages by source package and release).

Image options:
      --platform OS/ARCH[/VARIANT]  platform to pick from a multi-platform image (default: this machine's)
      --insecure-registry           allow plain HTTP and unverified TLS for this registry
      --registry-ca-file PEM        also trust this CA for the registry
      --docker-config FILE          Docker config.json with registry credentials (default $DOCKER_CONFIG or ~/.docker)
      --no-secrets                  do not scan layer files for secrets

${VULN_SCAN_OPTIONS_HELP}`;

export async function runScanImage(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'scan-image');
  if (values.help) {
    io.stdout.write(SCAN_IMAGE_HELP);
    return EXIT.clean;
  }
  if (positionals.length !== 1)
    throw new PalisadeError('usage', 'scan-image: give exactly one image reference, archive or OCI layout');
  const settings = vulnScanSettings(values);
  const text = positionals[0]!;
  const caFile = values['registry-ca-file'];
  const ca =
    caFile === undefined
      ? undefined
      : await readFile(resolve(io.cwd, caFile), 'utf8').catch((error: Error) => {
          throw new PalisadeError('input-unreadable', `--registry-ca-file ${caFile}: ${error.message}`, {
            cause: error,
          });
        });
  const target = await openTarget(text, {
    cwd: io.cwd,
    platform: values.platform === undefined ? defaultPlatform() : parsePlatform(values.platform),
    insecure: values['insecure-registry'],
    env: io.env,
    ...(ca === undefined ? {} : { ca }),
    ...(values['docker-config'] === undefined
      ? {}
      : { dockerConfig: resolve(io.cwd, values['docker-config']) }),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if (target.kind !== 'image')
    throw new PalisadeError(
      'usage',
      `scan-image: ${text} is a ${target.kind === 'directory' ? 'directory (use scan-deps)' : 'SBOM (use scan-sbom)'}`,
    );
  try {
    const secrets = values['no-secrets'] ? undefined : new SecretScanner({ target: text });
    const inventory = await inventoryImage(target.source, {
      ...(io.signal ? { signal: io.signal } : {}),
      ...(secrets ? { visitor: secrets } : {}),
    });
    const extraFindings: Finding[] = [
      ...(inventory.image ? imageConfigFindings(inventory.image, text) : []),
      ...(secrets?.findings ?? []),
    ];
    const notices = inventoryNotices(inventory.issues);
    printInventoryIssues('scan-image', inventory.issues, io);
    if (inventory.os === undefined)
      notices.push({
        severity: 'info',
        message: `${text}: no operating system detected; only language packages were matched`,
      });
    const code = await finishVulnScan(
      values,
      settings,
      {
        target: text,
        targetKind: 'image',
        loadIssues: inventoryLoadIssues(text, inventory.issues),
        packages: inventory.packages.map(matchPackageFromInventory),
        extraFindings,
        notices,
      },
      io,
    );
    return inventoryIncomplete('scan-image', inventory.issues, io) ? EXIT.runtime : code;
  } finally {
    await target.source.close();
  }
}
