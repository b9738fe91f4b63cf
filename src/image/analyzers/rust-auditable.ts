// Rust binaries built with `cargo auditable`: the .dep-v0 ELF section holds zlib-compressed JSON listing
// every crate compiled in.
import { inflateSync } from 'node:zlib';
import type { Package } from '../package.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { unownedFiles, wantsExecutable } from './analyzer.ts';
import { elfSections, isElf, readElfSection, sectionData } from './elf.ts';
import { isRecord, languagePackage, tryJson } from './language-package.ts';

const SECTION = '.dep-v0';
const MAX_JSON = 16 * 1024 * 1024;

export interface AuditableCrate {
  name: string;
  version: string;
  source: string;
  kind: string;
  root: boolean;
}

export function readAuditableData(data: Buffer): AuditableCrate[] | undefined {
  if (!isElf(data)) return undefined;
  const section = sectionData(data, elfSections(data), SECTION);
  return section === undefined ? undefined : parseAuditableSection(section);
}

export function parseAuditableSection(section: Buffer): AuditableCrate[] | undefined {
  const json = tryJson(inflateSync(section, { maxOutputLength: MAX_JSON }));
  if (!isRecord(json) || !Array.isArray(json.packages)) return undefined;
  return json.packages.flatMap((item) =>
    isRecord(item) && typeof item.name === 'string' && typeof item.version === 'string'
      ? [
          {
            name: item.name,
            version: item.version,
            source: typeof item.source === 'string' ? item.source : 'crates.io',
            kind: typeof item.kind === 'string' ? item.kind : 'runtime',
            root: item.root === true,
          },
        ]
      : [],
  );
}

export const rustAuditableAnalyzer: PackageAnalyzer = {
  id: 'rust-auditable',
  kind: 'language',
  wants: wantsExecutable,
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const packages: Package[] = [];
    for (const file of unownedFiles(context, this)) {
      let crates: AuditableCrate[] | undefined;
      try {
        const section = await readElfSection(
          (offset, length) => context.view.readRange(file, offset, length),
          SECTION,
          MAX_JSON,
        );
        if (section === undefined) continue;
        crates = parseAuditableSection(section);
      } catch (error) {
        context.issue({
          severity: 'warning',
          code: 'parse-failed',
          message: `${file.path}: cargo-auditable data unreadable (${(error as Error).message})`,
          path: file.path,
          layer: file.layer,
        });
        continue;
      }
      for (const crate of crates ?? []) {
        // The binary's own crate and build-only dependencies are not code that runs.
        if (crate.root || crate.kind === 'build') continue;
        packages.push(
          languagePackage({
            type: 'cargo',
            name: crate.name,
            version: crate.version,
            path: file.path,
            layer: file.layer,
            foundBy: 'rust-auditable',
          }),
        );
      }
    }
    return packages;
  },
};
