// Installed Ruby gems: specifications/*.gemspec as RubyGems writes them (s.name = "x".freeze, ...).
import type { Package } from '../package.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { unownedFiles } from './analyzer.ts';
import { languagePackage } from './language-package.ts';

const GEMSPEC = /(?:^|\/)specifications\/[^/]+\.gemspec$/;

function stringField(text: string, field: string): string | undefined {
  const match = new RegExp(`\\.${field}\\s*=\\s*["']([^"']+)["']`).exec(text);
  return match?.[1];
}

function versionField(text: string): string | undefined {
  return (
    stringField(text, 'version') ?? /\.version\s*=\s*Gem::Version\.new\(\s*["']([^"']+)["']/.exec(text)?.[1]
  );
}

function licenses(text: string): string[] {
  const list = /\.licenses\s*=\s*\[([^\]]*)\]/.exec(text)?.[1];
  if (list !== undefined) return [...list.matchAll(/["']([^"']+)["']/g)].map((match) => match[1]!);
  const single = stringField(text, 'license');
  return single === undefined ? [] : [single];
}

export const rubyGemspecsAnalyzer: PackageAnalyzer = {
  id: 'ruby-gemspecs',
  kind: 'language',
  wants: (path, _mode, size) => GEMSPEC.test(path) && size < 1024 * 1024,
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const packages: Package[] = [];
    for (const file of unownedFiles(context, this)) {
      const text = (await context.view.read(file)).toString('utf8');
      const name = stringField(text, 'name');
      const version = versionField(text);
      if (name === undefined || version === undefined) {
        context.issue({
          severity: 'warning',
          code: 'parse-failed',
          message: `${file.path}: no name or version`,
          path: file.path,
          layer: file.layer,
        });
        continue;
      }
      packages.push(
        languagePackage({
          type: 'gem',
          name,
          version,
          path: file.path,
          layer: file.layer,
          licenses: licenses(text),
          foundBy: 'ruby-gemspecs',
        }),
      );
    }
    return packages;
  },
};
