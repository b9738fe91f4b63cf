// The VDR as the vulnerability tests produce it: rendered from findings with fixed tool metadata, or written by
// `scan-sbom --format cyclonedx` for the fixture SBOM with the given VEX documents.
import { join } from 'node:path';
import type { VulnerabilityFinding } from '../../src/core/finding.ts';
import { renderVdr } from '../../src/vuln/vdr.ts';
import { runPalisade } from '../cli/cli-harness.ts';
import { FIXTURES } from './fixture-db.ts';

/** renderVdr's text for `findings` about a directory named `target`. */
export function testVdrText(findings: VulnerabilityFinding[], target = 'dir'): string {
  return renderVdr({
    toolVersion: '0.0.0-test',
    timestamp: '2026-11-22T12:00:00Z',
    target,
    targetKind: 'directory',
    packages: [],
    findings,
  });
}

/** `scan-sbom` of the fixture SBOM (test/fixtures/vuln/sbom/app.cdx.json) as a VDR; VEX paths are under FIXTURES. */
export function scanFixtureSbomVdr(db: string, vex: readonly string[] = []) {
  return runPalisade(
    [
      'scan-sbom',
      join('sbom', 'app.cdx.json'),
      '--db',
      db,
      '--format',
      'cyclonedx',
      ...vex.flatMap((file) => ['--vex', file]),
    ],
    { cwd: FIXTURES },
  );
}
