// Go binaries: the build info the Go linker embeds (go version, main module, dependencies with versions and
// replacements), read from the .go.buildinfo section or, for non-ELF binaries, found by its magic.
import { goTagToSemver } from '../../vuln/version/go.ts';
import type { FileRecord } from '../layer-filesystem.ts';
import type { Package } from '../package.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { unownedFiles, wantsExecutable } from './analyzer.ts';
import { elfSections, isElf, readElfSection, sectionData } from './elf.ts';
import { languagePackage } from './language-package.ts';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const FLAG_INLINE_STRINGS = 0x2;
const MAX_SECTION = 64 * 1024 * 1024;

export interface GoBuildInfo {
  goVersion: string;
  mainPath?: string;
  mainVersion?: string;
  deps: { path: string; version: string; sum?: string }[];
}

/** Unsigned LEB128 as encoding/binary writes it; undefined when it runs past the end. */
function uvarint(data: Buffer, at: number): { value: number; next: number } | undefined {
  let value = 0;
  let shift = 0;
  for (let i = at; i < data.length && i < at + 10; i++) {
    const byte = data[i]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
    shift += 7;
  }
  return undefined;
}

function inlineString(data: Buffer, at: number): { text: string; next: number } | undefined {
  const length = uvarint(data, at);
  if (length === undefined || length.next + length.value > data.length) return undefined;
  return {
    text: data.subarray(length.next, length.next + length.value).toString('utf8'),
    next: length.next + length.value,
  };
}

/** The module info text: tab-separated path/mod/dep/=> lines between two 16-byte sentinels. */
export function parseModInfo(text: string, goVersion: string): GoBuildInfo {
  const body = text.length >= 33 && text[text.length - 17] === '\n' ? text.slice(16, -16) : text;
  const info: GoBuildInfo = { goVersion, deps: [] };
  for (const line of body.split('\n')) {
    const [kind, path, version, sum] = line.split('\t');
    if (kind === 'mod' && path !== undefined) {
      info.mainPath = path;
      if (version !== undefined) info.mainVersion = version;
    } else if (kind === 'dep' && path !== undefined && version !== undefined) {
      info.deps.push(sum === undefined || sum === '' ? { path, version } : { path, version, sum });
    } else if (kind === '=>' && path !== undefined && version !== undefined) {
      // A replacement applies to the dep just before it: the code really built is the replacement's.
      const last = info.deps.at(-1);
      if (last !== undefined)
        info.deps[info.deps.length - 1] =
          sum === undefined || sum === '' ? { path, version } : { path, version, sum };
    }
  }
  return info;
}

/** Build info of a Go binary, or undefined when it has none; 'old-format' for pre-1.18 pointer-based headers. */
export function readGoBuildInfo(data: Buffer): GoBuildInfo | 'old-format' | undefined {
  let start: number | undefined;
  const section = isElf(data) ? sectionData(data, elfSections(data), '.go.buildinfo') : undefined;
  if (section?.subarray(0, MAGIC.length).equals(MAGIC)) start = section.byteOffset - data.byteOffset;
  else {
    // Non-ELF (PE, Mach-O) or stripped section table: the header is 16-byte aligned in the data.
    for (let at = data.indexOf(MAGIC); at >= 0; at = data.indexOf(MAGIC, at + 1))
      if (at % 16 === 0) {
        start = at;
        break;
      }
  }
  if (start === undefined || start + 32 > data.length) return undefined;
  const flags = data[start + 15]!;
  if ((flags & FLAG_INLINE_STRINGS) === 0) return 'old-format';
  const version = inlineString(data, start + 32);
  if (version === undefined) return undefined;
  const modInfo = inlineString(data, version.next);
  return parseModInfo(modInfo?.text ?? '', version.text);
}

/** ELF: only the .go.buildinfo section is read. Other formats (PE, Mach-O, stripped tables): the whole file. */
async function goBuildInfoOf(
  context: AnalyzerContext,
  file: FileRecord,
): Promise<GoBuildInfo | 'old-format' | undefined> {
  const head = await context.view.readRange(file, 0, 4);
  if (isElf(head)) {
    const section = await readElfSection(
      (offset, length) => context.view.readRange(file, offset, length),
      '.go.buildinfo',
      MAX_SECTION,
    );
    if (section !== undefined) return readGoBuildInfo(section);
  }
  const data = await context.view.read(file);
  return data.indexOf(MAGIC) < 0 ? undefined : readGoBuildInfo(data);
}

export const goBinaryAnalyzer: PackageAnalyzer = {
  id: 'go-binary',
  kind: 'language',
  wants: wantsExecutable,
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const packages: Package[] = [];
    for (const file of unownedFiles(context, this)) {
      const info = await goBuildInfoOf(context, file);
      if (info === undefined) continue;
      if (info === 'old-format') {
        context.issue({
          severity: 'warning',
          code: 'unsupported-format',
          message: `${file.path}: Go binary built before Go 1.18: build info format not supported`,
          path: file.path,
          layer: file.layer,
        });
        continue;
      }
      const common = { path: file.path, layer: file.layer, foundBy: 'go-binary' };
      if (
        info.mainPath !== undefined &&
        info.mainVersion !== undefined &&
        info.mainVersion !== '(devel)' &&
        info.mainVersion !== ''
      )
        packages.push(
          languagePackage({
            ...common,
            type: 'golang',
            ...splitModule(info.mainPath),
            version: info.mainVersion,
            direct: true,
          }),
        );
      // A dependency replaced by a local directory, or a workspace module, has no version to name it by.
      for (const dep of info.deps.filter((candidate) => !isLocalModule(candidate)))
        packages.push(
          languagePackage({ ...common, type: 'golang', ...splitModule(dep.path), version: dep.version }),
        );
      // The SemVer Go's advisories use: go1.21rc2 is v1.21.0-rc.2, a pre-release, not the release.
      const goVersion = goTagToSemver(info.goVersion);
      if (goVersion !== undefined)
        packages.push(languagePackage({ ...common, type: 'golang', name: 'stdlib', version: goVersion }));
    }
    return packages;
  },
};

/**
 * cmd/go records a replacement by a local directory with the directory as its path and `(devel)` as its version
 * (load/pkg.go debugModFromModinfo), and a workspace module with `(devel)`; older or hand-made build info may
 * leave the version empty. A local path is one go.mod accepts as a directory: `./`, `../`, absolute, or a drive.
 */
function isLocalModule(dep: { path: string; version: string }): boolean {
  return (
    dep.version === '' ||
    dep.version === '(devel)' ||
    /^(?:\.\.?(?:[/\\]|$)|[/\\]|[A-Za-z]:[/\\])/.test(dep.path)
  );
}

/** purl golang: namespace is the module path up to the last element. */
export function splitModule(path: string): { namespace?: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { name: path } : { namespace: path.slice(0, slash), name: path.slice(slash + 1) };
}
