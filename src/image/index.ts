// Public API of the image and repository inventory (consumed by src/vuln and the CLI). Stable names only;
// internals (tar reader, layer file system, analyzers) are not exported from here.

export { imageConfigFindings } from './config-findings.ts';
export type { HistoryEntry, ImageConfig } from './image-config.ts';
export { formatImageRef, type ImageRef, parseImageRef } from './image-ref.ts';
export type { ImageSource, LayerSource } from './image-source.ts';
export { type InventoryOptions, inventoryDirectory, inventoryImage, mergePackages } from './inventory.ts';
export type { InventoryIssue, InventoryIssueCode } from './inventory-issue.ts';
export { type OpenTargetOptions, openTarget, type Target } from './open-target.ts';
export type {
  ImageInfo,
  OsInfo,
  Package,
  PackageHash,
  PackageInventory,
  PackageLocation,
  PackageType,
} from './package.ts';
export { defaultPlatform, formatPlatform, type Platform, parsePlatform } from './platform.ts';
export { formatPurl, type PurlParts, parsePurl } from './purl.ts';
export { openRegistryImage, type RegistryOptions } from './registry-client.ts';
export { renderCycloneDx, type SbomWriteOptions } from './sbom/cyclonedx-writer.ts';
export { detectSbomFormat, readSbom, type SbomFormat } from './sbom/sbom-reader.ts';
export { renderSpdx } from './sbom/spdx-writer.ts';
export { type ScanTargetOptions, scanTarget, type TargetScan } from './scan-target.ts';
export {
  baseLayerCount,
  findSecrets,
  SecretScanner,
  type SecretScanOptions,
} from './secrets/secret-scanner.ts';
