import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAdmissionPolicy } from '../admission/policy-config.ts';
import { PalisadeError } from '../core/errors.ts';
import { readRulesFile } from '../detect/rules/rules-file.ts';
import { parseConfig } from '../inputs/config-loader.ts';
import { builtinRules } from '../rules/index.ts';
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

  it('answers for compact block sequences that overflow the parser itself, and for a million brackets at once', () => {
    // `- - - … 1`: the CST parser recurses as it closes them; whether it overflows depends on the stack left, and
    // the column with it (the first compact indicator, or the first one past the limit).
    assert.equal(tooDeepYamlAt(`a:\n  ${'- '.repeat(20_000)}1\n  b: 1\n`)?.line, 2);
    assert.deepEqual(tooDeepYamlAt(`${'{"a":'.repeat(1_000_000)}1${'}'.repeat(1_000_000)}`), {
      line: 1,
      column: 50_001,
    });
  });
});

describe('YAML configuration files nested too deeply', () => {
  const deep = `a:\n  ${'- '.repeat(20_000)}1\n`;

  it('a .palisade.yaml (found in a scanned repository) is refused, not a stack overflow', () => {
    assert.throws(
      () => parseConfig(deep, 'repo/.palisade.yaml', builtinRules),
      (error: unknown) =>
        error instanceof PalisadeError &&
        /^invalid config file:\n {2}repo\/\.palisade\.yaml:2:\d+: nested deeper than 64 levels; not read$/.test(
          error.message,
        ),
    );
  });

  it('a Falco rules file is refused with its position', () => {
    const { problems } = readRulesFile(deep, 'rules.yaml');
    assert.deepEqual(
      problems.map(({ file, line, message }) => [file, line, message]),
      [['rules.yaml', 2, 'YAML: nested deeper than 64 levels; not read']],
    );
  });

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
