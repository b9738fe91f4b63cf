// One generic test over the whole registry: ids, examples, fixes, framework controls. Adding a rule needs no new test
// for these properties; rule files test their own edge cases beside themselves.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluateObjects } from '../core/engine.ts';
import { Inventory } from '../core/inventory.ts';
import { applyPatch } from '../core/json-patch.ts';
import type { KubeObject } from '../core/kube-object.ts';
import { parsePssVersion } from '../core/pss-version.ts';
import type { Rule, RuleContext } from '../core/rule.ts';
import { findFramework } from '../frameworks/index.ts';
import { builtinRules } from './index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const latest = parsePssVersion('latest');
const findingsOf = (rule: Rule, object: KubeObject) =>
  evaluateObjects([object], { rules: [rule], pssVersion: latest }).findings.length;

test('every rule file is registered and its id equals its file name', async () => {
  const registered = new Set(builtinRules);
  for (const domain of await readdir(here, { withFileTypes: true })) {
    if (!domain.isDirectory()) continue;
    for (const file of await readdir(join(here, domain.name))) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file === 'index.ts') continue;
      const module = (await import(join(here, domain.name, file))) as { default?: Rule };
      const rule = module.default;
      if (rule === undefined || typeof rule.check !== 'function') continue; // a helper, not a rule
      assert.equal(rule.id, basename(file, '.ts'), `${domain.name}/${file}`);
      assert.equal(rule.domain, domain.name, `${rule.id}: domain must match its folder`);
      assert.ok(registered.has(rule), `${rule.id} is not in the registry`);
    }
  }
});

for (const rule of builtinRules) {
  test(`${rule.id}: examples and fix`, () => {
    // An example of a kind the rule never looks at passes trivially and shows nothing.
    for (const example of [...rule.examples.pass, ...rule.examples.fail])
      assert.ok(
        rule.kinds.includes(example.kind),
        `example ${example.kind}/${example.metadata.name} is not a kind the rule checks`,
      );
    for (const [index, example] of rule.examples.pass.entries())
      assert.equal(findingsOf(rule, example), 0, `pass example ${index} must give no finding`);
    for (const [index, example] of rule.examples.fail.entries()) {
      assert.ok(findingsOf(rule, example) > 0, `fail example ${index} must give a finding`);
      if (!rule.fix) continue;
      const context: RuleContext = { inventory: Inventory.of([example]), pssVersion: latest };
      const fixed = applyPatch(example, rule.fix(example, context));
      assert.equal(findingsOf(rule, fixed), 0, `the fix must make fail example ${index} pass`);
      const again = rule.fix(fixed, { inventory: Inventory.of([fixed]), pssVersion: latest });
      assert.deepEqual(again, [], `the fix must be idempotent on fail example ${index}`);
    }
  });

  test(`${rule.id}: every framework control exists`, () => {
    for (const [id, controls] of Object.entries(rule.frameworks)) {
      const framework = findFramework(id as Parameters<typeof findFramework>[0]);
      assert.ok(framework, `${rule.id} maps to framework ${id}, which has no catalogue`);
      for (const control of controls ?? [])
        assert.ok(
          framework.controls.some((candidate) => candidate.id === control),
          `${rule.id}: ${id} has no control "${control}"`,
        );
    }
  });
}

// A screen (Rule.screen) only saves work: where it says false, the rule's own check must find nothing. Checked over
// every rule's examples, which between them hold control-plane static pods, kube-proxy DaemonSets and ordinary pods.
test('a rule screen never hides a violation its check finds', () => {
  const screened = builtinRules.filter((rule) => rule.screen !== undefined);
  assert.ok(screened.length > 0);
  const objects = builtinRules.flatMap((rule) => [...rule.examples.pass, ...rule.examples.fail]);
  let screenedOut = 0;
  for (const rule of screened)
    for (const object of objects) {
      if (!rule.kinds.includes(object.kind) || rule.screen?.(object) !== false) continue;
      screenedOut++;
      const context: RuleContext = { inventory: Inventory.of([object]), pssVersion: latest };
      assert.deepEqual(
        rule.check(object, context),
        [],
        `${rule.id}: screened out ${object.kind}/${object.metadata.name}, which its check finds`,
      );
    }
  // The examples include ordinary pods, which the screens are there to skip.
  assert.ok(screenedOut > 0);
});

// The loader reports a field of the wrong type and still scans the object, so every rule meets such fields; a
// mapping whose `toString` is not a function (`{"toString": 0}`, valid JSON and YAML) throws wherever a value is
// turned into text carelessly. Each field of every example is replaced by each wrong value in turn; no rule may fail.
test('no rule fails on a value of the wrong type, or a mapping with a hostile toString, in any field of an example', () => {
  const wrongValues: unknown[] = [{ toString: 0 }, 7, true, [], null];
  const seen = new Set<string>();
  const failures: string[] = [];
  let variants = 0;
  for (const example of builtinRules.flatMap((rule) => [...rule.examples.pass, ...rule.examples.fail])) {
    const text = JSON.stringify(example);
    if (seen.has(text)) continue;
    seen.add(text);
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      if (path.length > 1) paths.push(path);
      if (Array.isArray(value)) for (const [index, item] of value.entries()) walk(item, [...path, index]);
      else if (typeof value === 'object' && value !== null)
        for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    };
    walk(example, []);
    for (const path of paths)
      for (const wrong of wrongValues) {
        const variant = structuredClone(example) as Record<string, unknown>;
        let parent: Record<string | number, unknown> = variant;
        for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
        parent[path.at(-1) as string | number] = wrong;
        variants++;
        const result = evaluateObjects([variant as KubeObject], { rules: builtinRules, pssVersion: latest });
        for (const error of result.errors)
          failures.push(`${path.join('.')} = ${JSON.stringify(wrong)}: ${error.message}`);
      }
  }
  assert.ok(variants > 1000);
  if (process.env.SHOW_ALL)
    console.log(
      [...new Set(failures.map((f) => f.replace(/: rule /, ' | ').replace(/ failed on .*/, '')))].join('\n'),
    );
  assert.deepEqual(failures.slice(0, 5), []);
});
