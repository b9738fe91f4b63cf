// npm names are case-sensitive (purl npm type definition; OSV names `JSONStream`, not `jsonstream`): a package with
// capitals keeps its advisories from the lockfile, through Palisade's own SBOM, and through an SBOM whose purl
// lowercased the name, as the purl spec asked before 2024.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runPalisade } from '../cli/cli-harness.ts';

let directory = '';
let db = '';

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'palisade-npm-case-'));
  mkdirSync(join(directory, 'osv'));
  mkdirSync(join(directory, 'project'));
  writeFileSync(
    join(directory, 'osv', 'T-JSONSTREAM.json'),
    JSON.stringify({
      schema_version: '1.6.0',
      id: 'T-JSONSTREAM',
      modified: '2024-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'JSONStream' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.1' }] }],
        },
      ],
    }),
  );
  writeFileSync(
    join(directory, 'project', 'package-lock.json'),
    JSON.stringify({
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { JSONStream: '1' } },
        'node_modules/JSONStream': { version: '1.0.0' },
      },
    }),
  );
  db = join(directory, 'vuln.db');
  const imported = await runPalisade(['db', 'import', join(directory, 'osv'), '--db', db]);
  assert.equal(imported.code, 0, imported.stderr);
});
after(() => rmSync(directory, { recursive: true, force: true }));

async function advisories(command: string, target: string): Promise<string[]> {
  const run = await runPalisade([command, target, '--db', db, '--offline', '--format', 'json']);
  assert.ok(run.stdout !== '', `${command} ${target}: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as {
    findings: { advisory: { id: string }; package: { name: string } }[];
  };
  return report.findings.map((finding) => `${finding.advisory.id} ${finding.package.name}`);
}

test('a capitalised npm package keeps its purl spelling and its advisory through the SBOM round trip', async () => {
  assert.deepEqual(await advisories('scan-deps', join(directory, 'project')), ['T-JSONSTREAM JSONStream']);
  const sbom = join(directory, 'bom.cdx.json');
  const written = await runPalisade(['sbom', join(directory, 'project'), '-o', sbom]);
  assert.equal(written.code, 0, written.stderr);
  assert.match(readFileSync(sbom, 'utf8'), /"purl": "pkg:npm\/JSONStream@1\.0\.0"/);
  assert.deepEqual(await advisories('scan-sbom', sbom), ['T-JSONSTREAM JSONStream']);
});

test('an SBOM whose purl lowercased the name is matched under the name the component declares', async () => {
  const lowered = join(directory, 'lowered.cdx.json');
  writeFileSync(
    lowered,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      components: [
        { type: 'library', name: 'JSONStream', version: '1.0.0', purl: 'pkg:npm/jsonstream@1.0.0' },
        // A different name is never taken from the component: the purl decides.
        { type: 'library', name: 'other', version: '1.0.0', purl: 'pkg:npm/jsonstream2@1.0.0' },
      ],
    }),
  );
  assert.deepEqual(await advisories('scan-sbom', lowered), ['T-JSONSTREAM JSONStream']);
  const spdx = join(directory, 'lowered.spdx.json');
  writeFileSync(
    spdx,
    JSON.stringify({
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'app',
      packages: [
        {
          SPDXID: 'SPDXRef-1',
          name: 'JSONStream',
          versionInfo: '1.0.0',
          externalRefs: [
            {
              referenceCategory: 'PACKAGE-MANAGER',
              referenceType: 'purl',
              referenceLocator: 'pkg:npm/jsonstream@1.0.0',
            },
          ],
        },
      ],
    }),
  );
  assert.deepEqual(await advisories('scan-sbom', spdx), ['T-JSONSTREAM JSONStream']);
});
