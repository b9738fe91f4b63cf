// The package inventory: the public model that SBOM writers and the vulnerability matcher consume.
import type { ImageConfig } from './image-config.ts';
import type { InventoryIssue } from './inventory-issue.ts';

/** Package URL types we produce (https://github.com/package-url/purl-spec). */
export type PackageType =
  | 'deb'
  | 'apk'
  | 'rpm'
  | 'npm'
  | 'pypi'
  | 'golang'
  | 'maven'
  | 'gem'
  | 'composer'
  | 'nuget'
  | 'cargo';

export interface PackageLocation {
  /** Path inside the image, or relative to the scanned directory, of the file that declared the package. */
  path: string;
  /** diff_id of the layer that added the package (images only). */
  layer?: string;
  line?: number;
}

export interface PackageHash {
  algorithm: 'SHA-1' | 'SHA-256' | 'SHA-512' | 'MD5';
  /** Lowercase hex. */
  value: string;
}

export interface Package {
  type: PackageType;
  /** purl namespace: Maven groupId, npm scope (with @), Go module path prefix, distro for OS packages. */
  namespace?: string;
  name: string;
  /** Exact installed or locked version (OS packages: with epoch, rpm: `[epoch:]version-release`). */
  version: string;
  /** OSV ecosystem the version is compared in: `Debian:12`, `Alpine:v3.19`, `npm`, `PyPI`, `Go`, ... */
  ecosystem: string;
  purl: string;
  /** Source package (dpkg Source, apk origin, rpm source RPM), when it differs or is known. */
  sourceName?: string;
  sourceVersion?: string;
  arch?: string;
  /** License names or SPDX ids as the package declares them. */
  licenses: string[];
  hashes: PackageHash[];
  locations: PackageLocation[];
  /** Analyzer or lockfile reader that found it. */
  foundBy: string;
  /** Development-only dependency (lockfiles that say so). */
  dev?: boolean;
  /** Direct dependency of the project (lockfiles that say so). */
  direct?: boolean;
}

export interface OsInfo {
  /** `debian`, `ubuntu`, `alpine`, `rhel`, `centos`, `rocky`, `almalinux`, `fedora`, `amzn`, `ol`, `opensuse`, `sles`, `wolfi`, `chainguard`, ... (os-release ID). */
  family: string;
  name: string;
  /** VERSION_ID, refined by the distro's own release file when it is more precise. */
  version: string;
  codename?: string;
}

export interface ImageInfo {
  reference?: string;
  manifestDigest?: string;
  configDigest: string;
  platform: string;
  layers: { diffId: string; digest?: string; size?: number; createdBy?: string }[];
  config: ImageConfig;
  annotations: Record<string, string>;
}

export interface PackageInventory {
  /** What was scanned, as the user named it. */
  target: string;
  kind: 'image' | 'directory' | 'sbom';
  os?: OsInfo;
  image?: ImageInfo;
  packages: Package[];
  issues: InventoryIssue[];
}
