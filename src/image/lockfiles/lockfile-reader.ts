// Shared shape of the lockfile readers: a file name to match, a parser from text to packages.
import type { AnalyzerContext, PackageAnalyzer } from '../analyzers/analyzer.ts';
import { wantedFiles } from '../analyzers/analyzer.ts';
import type { Package } from '../package.ts';

/** Lockfiles inside installed dependencies (node_modules, vendor) describe those, not the project. */
const INSIDE_DEPENDENCIES = /(?:^|\/)(?:node_modules|vendor|\.venv|site-packages)\//;

export function lockfileReader(
  id: string,
  fileNames: readonly string[],
  parse: (text: string, path: string, context: AnalyzerContext) => Package[] | Promise<Package[]>,
): PackageAnalyzer {
  const names = new Set(fileNames);
  return {
    id,
    kind: 'lockfile',
    wants: (path, _mode, size) =>
      names.has(path.slice(path.lastIndexOf('/') + 1)) &&
      !INSIDE_DEPENDENCIES.test(path) &&
      size < 64 * 1024 * 1024,
    async analyze(context) {
      const packages: Package[] = [];
      for (const file of wantedFiles(context.view, this)) {
        try {
          packages.push(
            ...(await parse((await context.view.read(file)).toString('utf8'), file.path, context)),
          );
        } catch (error) {
          context.issue({
            severity: 'warning',
            code: 'parse-failed',
            message: `${file.path}: ${(error as Error).message}`,
            path: file.path,
          });
        }
      }
      return packages;
    },
  };
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
