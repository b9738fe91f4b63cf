import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PalisadeError } from '../core/errors.ts';
import { builtinRules } from '../rules/index.ts';
import { parseAdmissionPolicy } from './policy-config.ts';
import { MAX_YAML_NESTING, tooDeepYamlAt } from './yaml-depth.ts';

const flow = (depth: number) => `x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
const block = (depth: number) =>
  `${Array.from({ length: depth }, (_, level) => `${'  '.repeat(level)}k${level}:`).join('\n')} end\n`;

describe('tooDeepYamlAt', () => {
  it('accepts nesting up to the limit and points at the first collection past it', () => {
    // `x:` is one level, so the flow sequences add the rest.
    assert.equal(tooDeepYamlAt(flow(MAX_YAML_NESTING - 1)), undefined);
    assert.deepEqual(tooDeepYamlAt(flow(MAX_YAML_NESTING)), { line: 1, column: 4 + MAX_YAML_NESTING - 1 });
    assert.equal(tooDeepYamlAt(block(MAX_YAML_NESTING)), undefined);
    assert.equal(tooDeepYamlAt(block(MAX_YAML_NESTING + 1))?.line, MAX_YAML_NESTING + 1);
  });

  it('walks a document nested 100,000 levels without overflowing the stack', () => {
    assert.equal(tooDeepYamlAt(flow(100_000))?.line, 1);
  });
});

describe('YAML configuration files nested too deeply', () => {
  it('are refused with the file and position, not a stack overflow', () => {
    const text = `apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\nexemptions:\n  usernames: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    assert.throws(
      () => parseAdmissionPolicy(text, 'deep-policy.yaml', builtinRules),
      (error: unknown) =>
        error instanceof PalisadeError &&
        /deep-policy\.yaml:4:\d+: nested deeper than 64 levels; not read/.test(error.message),
    );
  });
});
