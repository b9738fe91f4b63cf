// The CycloneDX and SPDX writers emit well-formed JSON (I-JSON, RFC 7493): a lone UTF-16 surrogate from a hostile
// lockfile becomes U+FFFD instead of a `\udXXX` escape that jq and other strict parsers refuse.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runPalisade } from '../cli/cli-harness.ts';
import { skipWithoutShared } from '../shared-corpus.ts';
import { cycloneDxValidator, spdxValidator } from './sbom-schemas.ts';
import { tempDir } from './temp-dir.ts';

// biome-ignore lint/suspicious/noExplicitAny: SBOM documents are inspected loosely in assertions
type LooseJson = any;

const skip = skipWithoutShared('corpus', 'schemas');
const LONE_SURROGATE_ESCAPE = /\\ud[89a-f][0-9a-f]{2}/i;

async function hostileProject(dir: string): Promise<void> {
  // JSON.stringify writes each lone surrogate as an escape, as a hostile lockfile would hold it.
  const lock = JSON.stringify({
    name: 'root',
    lockfileVersion: 3,
    packages: {
      '': { name: 'root' },
      'node_modules/x\udfff': { version: '1.0.0\ud800', license: 'MIT\udc00' },
      'node_modules/ok': { version: '1.0.0', license: 'MIT', description: 'pair \ud83d\ude00 kept' },
    },
  });
  assert.match(lock, LONE_SURROGATE_ESCAPE);
  await writeFile(join(dir, 'package-lock.json'), lock);
}

describe('SBOM writers on lone surrogates', () => {
  it('CycloneDX has no lone-surrogate escape and still validates', { skip }, async (t) => {
    const dir = await tempDir(t);
    await hostileProject(dir);
    const run = await runPalisade(['sbom', '.', '--format', 'cyclonedx'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, LONE_SURROGATE_ESCAPE);
    const bom: LooseJson = JSON.parse(run.stdout);
    const validate = cycloneDxValidator();
    assert.equal(validate(bom), true, JSON.stringify(validate.errors));
    const x = bom.components.find((component: { name: string }) => component.name === 'x\ufffd');
    assert.ok(x, 'the package is kept, its name with U+FFFD');
    assert.equal(x.version, '1.0.0\ufffd');
    assert.equal(JSON.stringify(x.licenses).includes('MIT\ufffd'), true, JSON.stringify(x.licenses));
  });

  it('SPDX has no lone-surrogate escape and still validates', { skip }, async (t) => {
    const dir = await tempDir(t);
    await hostileProject(dir);
    const run = await runPalisade(['sbom', '.', '--format', 'spdx'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, LONE_SURROGATE_ESCAPE);
    const spdx: LooseJson = JSON.parse(run.stdout);
    const validate = spdxValidator();
    assert.equal(validate(spdx), true, JSON.stringify(validate.errors));
    const x = spdx.packages.find((pkg: { name: string }) => pkg.name === 'x\ufffd');
    assert.ok(x, 'the package is kept, its name with U+FFFD');
    assert.equal(x.versionInfo, '1.0.0\ufffd');
    const texts = spdx.hasExtractedLicensingInfos.map(
      (info: { extractedText: string }) => info.extractedText,
    );
    assert.ok(texts.includes('MIT\ufffd'), JSON.stringify(texts));
  });
});
