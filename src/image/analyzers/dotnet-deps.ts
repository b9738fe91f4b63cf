// .NET applications: *.deps.json next to the assemblies lists the NuGet packages the app runs with. The host
// loads, for each library, the assets its entry in the runtime target lists (runtime, native, runtimeTargets,
// resources): a package whose entry there lists none deploys nothing (a meta-package, or one the shared framework
// supersedes), so it is not reported. A self-contained app's bundled runtime is the `runtimepack.<name>` library,
// reported under the NuGet name (Microsoft.NETCore.App.Runtime.<rid>).
import type { Package } from '../package.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { unownedFiles } from './analyzer.ts';
import { isRecord, languagePackage, tryJson } from './language-package.ts';

const DEPS_JSON = /\.deps\.json$/;
const RUNTIME_PACK_PREFIX = 'runtimepack.';
const ASSET_KINDS = ['runtime', 'native', 'runtimeTargets', 'resources'];

/** The runtime target's libraries, or undefined when the file names none (then every package counts). */
function runtimeTargetLibraries(json: Record<string, unknown>): Record<string, unknown> | undefined {
  const name = isRecord(json.runtimeTarget) ? json.runtimeTarget.name : undefined;
  if (typeof name !== 'string' || !isRecord(json.targets)) return undefined;
  const target = json.targets[name];
  return isRecord(target) ? target : undefined;
}

function deploysAssets(entry: unknown): boolean {
  if (!isRecord(entry)) return true;
  return ASSET_KINDS.some((kind) => {
    const assets = entry[kind];
    return isRecord(assets) ? Object.keys(assets).length > 0 : Array.isArray(assets) && assets.length > 0;
  });
}

export const dotnetDepsAnalyzer: PackageAnalyzer = {
  id: 'dotnet-deps',
  kind: 'language',
  wants: (path, _mode, size) => DEPS_JSON.test(path) && size < 32 * 1024 * 1024,
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const packages: Package[] = [];
    // A manifest an OS package installed is that package's: not counted again.
    for (const file of unownedFiles(context, this)) {
      // The .NET host skips a UTF-8 byte order mark.
      const json = tryJson((await context.view.read(file)).toString('utf8').replace(/^\uFEFF/, ''));
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
      const target = runtimeTargetLibraries(json);
      for (const [key, library] of Object.entries(json.libraries)) {
        // NuGet packages and the bundled runtime: "project" entries are the application itself, "reference" are
        // plain assemblies.
        if (!isRecord(library) || (library.type !== 'package' && library.type !== 'runtimepack')) continue;
        const slash = key.lastIndexOf('/');
        if (slash <= 0) continue;
        if (target !== undefined && Object.hasOwn(target, key) && !deploysAssets(target[key])) continue;
        const name = key.slice(0, slash);
        packages.push(
          languagePackage({
            type: 'nuget',
            name:
              library.type === 'runtimepack' && name.startsWith(RUNTIME_PACK_PREFIX)
                ? name.slice(RUNTIME_PACK_PREFIX.length)
                : name,
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
