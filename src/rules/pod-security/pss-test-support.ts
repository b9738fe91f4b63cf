// Table-driven test support for the pod-security rules (imported by the *.test.ts files only).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Inventory } from '../../core/inventory.ts';
import { formatPath, type KubeObject } from '../../core/kube-object.ts';
import { parsePssVersion } from '../../core/pss-version.ts';
import type { Rule, RuleContext, Violation } from '../../core/rule.ts';

/** A Pod with the given spec and metadata; fields are not validated, as user input is not. */
export function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'test', ...metadata }, spec };
}

/** One container named `name` with the given extra fields. */
export function container(name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, image: 'registry.example.com/app:1', ...fields };
}

export function contextFor(object: KubeObject, version = 'latest'): RuleContext {
  return { inventory: Inventory.of([object]), pssVersion: parsePssVersion(version) };
}

export function runRule(rule: Rule, object: KubeObject, version = 'latest'): readonly Violation[] {
  return rule.check(object, contextFor(object, version));
}

export interface RuleCase {
  name: string;
  object: KubeObject;
  /** Policy versions to evaluate at; `latest` when omitted. */
  versions?: readonly string[];
  /** `pass`, `fail`, or the exact number of violations. */
  expect: 'pass' | 'fail' | number;
  /** Expected violation paths (formatted, e.g. `spec.containers[0].securityContext.privileged`), in order. */
  paths?: readonly string[];
  /** Expected container names of the violations, in order (`undefined` for pod-level ones). */
  containers?: readonly (string | undefined)[];
  /** Substrings every message must contain, in order of violations. */
  messages?: readonly string[];
}

export function ruleTable(rule: Rule, cases: readonly RuleCase[]): void {
  for (const entry of cases)
    for (const version of entry.versions ?? ['latest'])
      test(`${rule.id}: ${entry.name} @ ${version}`, () => {
        const found = runRule(rule, entry.object, version);
        if (entry.expect === 'pass') assert.deepEqual(found, []);
        else if (entry.expect === 'fail') assert.ok(found.length > 0, 'expected at least one violation');
        else assert.equal(found.length, entry.expect, JSON.stringify(found));
        if (entry.paths)
          assert.deepEqual(
            found.map((violation) => formatPath(violation.path)),
            entry.paths,
          );
        if (entry.containers)
          assert.deepEqual(
            found.map((violation) => violation.container),
            entry.containers,
          );
        if (entry.messages)
          entry.messages.forEach((message, index) => {
            assert.ok(
              found[index]?.message.includes(message),
              `"${found[index]?.message}" lacks "${message}"`,
            );
          });
      });
}
