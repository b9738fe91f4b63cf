// `palisade sbom`: the package inventory of an image, archive, OCI layout, directory or existing SBOM, written
// as CycloneDX 1.6 or SPDX 2.3 JSON.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PalisadeError } from '../../core/errors.ts';
import {
  defaultPlatform,
  parsePlatform,
  renderCycloneDx,
  renderSpdx,
  scanTarget,
} from '../../image/index.ts';
import { terminalSafe } from '../../outputs/terminal-text.ts';
import { parseCommandArgs } from '../args.ts';
import { writeCommandOutput } from '../command-output.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { PALISADE_VERSION } from '../version.ts';

const OPTIONS = {
  format: { type: 'string', short: 'f', default: 'cyclonedx' },
  output: { type: 'string', short: 'o' },
  platform: { type: 'string' },
  'insecure-registry': { type: 'boolean', default: false },
  'registry-ca-file': { type: 'string' },
  'docker-config': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const SBOM_HELP = `Usage: palisade sbom <image-ref|archive.tar|oci-layout|dir|sbom.json> [options]

Lists the packages in an image (pulled from a registry, a docker save archive, or an OCI layout directory or tar;
add :tag to pick one image of several), in a directory (lockfiles and installed packages), or in an existing
CycloneDX/SPDX JSON SBOM, and writes an SBOM.

Options:
  -f, --format FORMAT        cyclonedx (default, CycloneDX 1.6 JSON) or spdx (SPDX 2.3 JSON)
  -o, --output FILE          write the SBOM to FILE instead of stdout
      --platform OS/ARCH     platform to pick from a multi-platform image (default linux/<this machine>)
      --insecure-registry    allow an unverified TLS certificate or plain HTTP for the registry
      --registry-ca-file PEM also trust the CA certificates in PEM for the registry
      --docker-config FILE   Docker config.json with registry credentials (default $DOCKER_CONFIG or ~/.docker)
  -h, --help                 this help
`;

const FORMATS = ['cyclonedx', 'spdx'] as const;

export async function runSbom(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'sbom');
  if (values.help) {
    io.stdout.write(SBOM_HELP);
    return EXIT.clean;
  }
  if (positionals.length !== 1)
    throw new PalisadeError(
      'usage',
      `sbom: give exactly one image, archive, layout, directory or SBOM (got ${positionals.length})`,
    );
  const format = values.format;
  if (!(FORMATS as readonly string[]).includes(format))
    throw new PalisadeError(
      'usage',
      `sbom: unknown format "${format}": expected one of ${FORMATS.join(', ')}`,
    );
  const platform = values.platform === undefined ? defaultPlatform() : parsePlatform(values.platform);
  let ca: string | undefined;
  if (values['registry-ca-file'] !== undefined)
    try {
      ca = await readFile(resolve(io.cwd, values['registry-ca-file']), 'utf8');
    } catch (error) {
      throw new PalisadeError(
        'input-not-found',
        `sbom: cannot read --registry-ca-file ${values['registry-ca-file']}: ${(error as Error).message}`,
      );
    }
  const { inventory } = await scanTarget(positionals[0]!, {
    cwd: io.cwd,
    platform,
    insecure: values['insecure-registry'],
    env: io.env,
    ...(ca === undefined ? {} : { ca }),
    ...(values['docker-config'] === undefined
      ? {}
      : { dockerConfig: resolve(io.cwd, values['docker-config']) }),
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  });
  const writeOptions = { now: io.now(), toolVersion: PALISADE_VERSION };
  const text =
    format === 'spdx' ? renderSpdx(inventory, writeOptions) : renderCycloneDx(inventory, writeOptions);
  await writeCommandOutput(io, values.output, text);
  // Messages carry file and component names from the input: escaped, so they cannot drive the terminal.
  for (const issue of inventory.issues)
    if (issue.severity !== 'info')
      io.stderr.write(
        `palisade sbom: ${issue.severity}: ${terminalSafe(issue.message)}${issue.path !== undefined && !issue.message.includes(issue.path) ? ` (${terminalSafe(issue.path)})` : ''}\n`,
      );
  if (inventory.issues.some((issue) => issue.severity === 'error')) {
    io.stderr.write('palisade sbom: the SBOM may be incomplete (see the errors above)\n');
    return EXIT.runtime;
  }
  return EXIT.clean;
}
