// .NET applications: *.deps.json next to the assemblies lists the NuGet packages the app runs with.
import type { Package } from '../package.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { wantedFiles } from './analyzer.ts';
import { isRecord, languagePackage, tryJson } from './language-package.ts';

const DEPS_JSON = /\.deps\.json$/;

export const dotnetDepsAnalyzer: PackageAnalyzer = {
  id: 'dotnet-deps',
  kind: 'language',
  wants: (path, _mode, size) => DEPS_JSON.test(path) && size < 32 * 1024 * 1024,
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const packages: Package[] = [];
    for (const file of wantedFiles(context.view, this)) {
      const json = tryJson(await context.view.read(file));
      if (!isRecord(json) || !isRecord(json.libraries)) {
        context.issue({
          severity: 'warning',
          code: 'parse-failed',
          message: `${file.path}: no "libraries" object`,
          path: file.path,
          layer: file.layer,
        });
        continue;
      }
      for (const [key, library] of Object.entries(json.libraries)) {
        // Only NuGet packages: "project" entries are the application itself, "reference" are plain assemblies.
        if (!isRecord(library) || library.type !== 'package') continue;
        const slash = key.lastIndexOf('/');
        if (slash <= 0) continue;
        packages.push(
          languagePackage({
            type: 'nuget',
            name: key.slice(0, slash),
            version: key.slice(slash + 1),
            path: file.path,
            layer: file.layer,
            foundBy: 'dotnet-deps',
          }),
        );
      }
    }
    return packages;
  },
};
