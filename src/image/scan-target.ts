// One call from "what the user named" to an inventory (and, when asked, secret and configuration findings):
// the entry point the sbom, scan-image and scan-deps commands share.
import type { ArtifactFinding } from '../core/finding.ts';
import { imageConfigFindings } from './config-findings.ts';
import { inventoryDirectory, inventoryImage } from './inventory.ts';
import { type OpenTargetOptions, openTarget } from './open-target.ts';
import type { PackageInventory } from './package.ts';
import { readSbomFile } from './sbom/sbom-reader.ts';
import { baseLayerCount, SecretScanner } from './secrets/secret-scanner.ts';

export interface ScanTargetOptions extends OpenTargetOptions {
  /** Run the secret scanner over layer files or directory files. */
  secrets?: boolean;
  /** Skip the base image's layers in the secret scan (guessed from history). */
  skipBaseLayers?: boolean;
  /** Add image configuration findings (images only). */
  configFindings?: boolean;
  maxLayerBytes?: number;
}

export interface TargetScan {
  inventory: PackageInventory;
  /** Secret and image-configuration findings (empty unless asked for). */
  findings: ArtifactFinding[];
}

export async function scanTarget(target: string, options: ScanTargetOptions): Promise<TargetScan> {
  const opened = await openTarget(target, options);
  if (opened.kind === 'sbom') return { inventory: await readSbomFile(opened.file, target), findings: [] };
  const limits = options.maxLayerBytes === undefined ? {} : { maxLayerBytes: options.maxLayerBytes };
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  if (opened.kind === 'directory') {
    const scanner = options.secrets === true ? new SecretScanner({ target }) : undefined;
    const inventory = await inventoryDirectory(opened.root, target, {
      ...signal,
      ...(scanner === undefined ? {} : { visitor: scanner }),
    });
    return { inventory, findings: scanner?.findings ?? [] };
  }
  const source = opened.source;
  try {
    let scanner: SecretScanner | undefined;
    if (options.secrets === true) {
      const skip =
        options.skipBaseLayers === true ? source.config.diffIds.slice(0, baseLayerCount(source.config)) : [];
      scanner = new SecretScanner({ target, skipLayers: new Set(skip) });
    }
    const inventory = await inventoryImage(source, {
      ...signal,
      ...limits,
      ...(scanner === undefined ? {} : { visitor: scanner }),
    });
    const findings = [...(scanner?.findings ?? [])];
    if (options.configFindings === true && inventory.image !== undefined)
      findings.unshift(...imageConfigFindings(inventory.image, target));
    return { inventory, findings };
  } finally {
    await source.close();
  }
}
