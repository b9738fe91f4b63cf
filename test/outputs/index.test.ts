import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PalisadeError } from '../../src/core/errors.ts';
import { OUTPUT_FORMATS, renderReport } from '../../src/outputs/index.ts';
import { basicReport } from './fixture.ts';

describe('output registry', () => {
  it('renders every registered format', () => {
    assert.deepEqual([...OUTPUT_FORMATS], ['table', 'json', 'sarif', 'junit']);
    for (const format of OUTPUT_FORMATS)
      assert.ok(renderReport(format, basicReport(), { showSuppressed: false, color: false }).endsWith('\n'));
  });

  it('refuses an unknown format with a usage error that lists the known ones', () => {
    assert.throws(
      () => renderReport('yaml', basicReport(), { showSuppressed: false, color: false }),
      (error: unknown) =>
        error instanceof PalisadeError &&
        error.code === 'usage' &&
        error.message === 'unknown output format "yaml": expected one of table, json, sarif, junit',
    );
  });
});
