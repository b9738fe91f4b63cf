// What a package analyzer is: the files it wants kept (decided from the header alone) and how it turns them
// into packages. One analyzer per ecosystem, listed in analyzers/index.ts.
import type { InventoryIssue } from '../inventory-issue.ts';
import type { FileRecord, FileView } from '../layer-filesystem.ts';
import type { OsInfo, Package } from '../package.ts';

export interface AnalyzerContext {
  view: FileView;
  os: OsInfo | undefined;
  /** Paths installed by OS packages; filled by the OS analyzers, which run first. */
  ownedByOs: Set<string>;
  issue(issue: InventoryIssue): void;
  /** Writes bytes to a file in the scan's own temporary directory (for readers that need a path, e.g. SQLite). */
  tempFile(data: Buffer): Promise<string>;
}

export interface PackageAnalyzer {
  id: string;
  /** OS analyzers run first and fill `ownedByOs`; lockfile readers run on directories only. */
  kind: 'os' | 'language' | 'lockfile';
  wants(path: string, mode: number, size: number): boolean;
  analyze(context: AnalyzerContext): Promise<Package[]>;
}

/** `wants` of the analyzers that read build data embedded in programs: executables over 1 KiB, not shared libraries. */
export function wantsExecutable(path: string, mode: number, size: number): boolean {
  return (mode & 0o111) !== 0 && size > 1024 && !path.endsWith('.so') && !/\.so\.\d/.test(path);
}

/** The files of a view this analyzer asked for, in path order. */
export function wantedFiles(view: FileView, analyzer: Pick<PackageAnalyzer, 'wants'>): FileRecord[] {
  return [...view.files()]
    .filter((file) => analyzer.wants(file.path, file.mode, file.size))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Debian-style paragraphs ("Key: value", continuation lines start with a space), split on blank lines. */
/** The wanted files no OS package owns: what language analyzers report (the OS package covers the rest). */
export function unownedFiles(
  context: AnalyzerContext,
  analyzer: Pick<PackageAnalyzer, 'wants'>,
): FileRecord[] {
  return wantedFiles(context.view, analyzer).filter((file) => !context.ownedByOs.has(file.path));
}

export function parseParagraphs(text: string): Record<string, string>[] {
  const paragraphs: Record<string, string>[] = [];
  let current: Record<string, string> = {};
  let lastKey: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (Object.keys(current).length > 0) paragraphs.push(current);
      current = {};
      lastKey = undefined;
      continue;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && lastKey !== undefined) {
      current[lastKey] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    lastKey = line.slice(0, colon);
    current[lastKey] = line.slice(colon + 1).trim();
  }
  if (Object.keys(current).length > 0) paragraphs.push(current);
  return paragraphs;
}
