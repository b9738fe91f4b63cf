// Test support, not tests: shared assertions for the rules' own examples and table-driven cases of each domain.
import assert from 'node:assert/strict';
import { evaluate } from '../../core/engine.ts';
import { Inventory } from '../../core/inventory.ts';
import { applyPatch } from '../../core/json-patch.ts';
import type { KubeObject } from '../../core/kube-object.ts';
import { parsePssVersion } from '../../core/pss-version.ts';
import type { Rule, RuleContext } from '../../core/rule.ts';

const pssVersion = parsePssVersion('latest');

export function contextOf(objects: readonly KubeObject[]): RuleContext {
  return { inventory: Inventory.of(objects), pssVersion };
}

/** Findings of `rule` for `target`, evaluated with `others` in the same inventory. */
export function findingsOf(rule: Rule, target: KubeObject, others: readonly KubeObject[] = []) {
  const inventory = Inventory.of([target, ...others]);
  const result = evaluate(inventory, { rules: [rule], pssVersion });
  assert.deepEqual(result.errors, [], `rule ${rule.id} threw`);
  return result.findings.filter((finding) => finding.resource.name === (target.metadata.name ?? ''));
}

/** Examples hold alone: each pass example gives no finding, each fail example at least one; fixes make fail examples pass. */
export function assertExamples(rule: Rule): void {
  for (const example of rule.examples.pass) {
    const result = evaluate(Inventory.of([example]), { rules: [rule], pssVersion });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.findings.map((finding) => finding.message),
      [],
      `${rule.id}: pass example ${example.kind}/${example.metadata.name}`,
    );
  }
  const together = evaluate(Inventory.of(rule.examples.pass), { rules: [rule], pssVersion });
  assert.equal(together.findings.length, 0, `${rule.id}: pass examples together`);
  for (const example of rule.examples.fail) {
    const result = evaluate(Inventory.of([example]), { rules: [rule], pssVersion });
    assert.deepEqual(result.errors, []);
    assert.ok(
      result.findings.length > 0,
      `${rule.id}: fail example ${example.kind}/${example.metadata.name}`,
    );
    for (const finding of result.findings) assert.ok(finding.message.length > 0);
    if (rule.fix) {
      const context = contextOf([example]);
      const fixed = applyPatch(example, rule.fix(example, context));
      assert.equal(
        rule.check(fixed, contextOf([fixed])).length,
        0,
        `${rule.id}: fix of ${example.metadata.name}`,
      );
    }
  }
}

/** Weird shapes a rule must survive without throwing. */
export const ODD_OBJECTS: readonly KubeObject[] = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'no-spec' } },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'null-lists' },
    spec: { containers: null, volumes: 'x', securityContext: 7 },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'odd-containers' },
    spec: {
      template: {
        metadata: { labels: 'x' },
        spec: {
          containers: [
            null,
            'x',
            { name: 5, image: 7, env: [null, { name: 'X' }], ports: 'x', resources: [] },
          ],
          initContainers: [{ securityContext: null, volumeMounts: [null, { name: 3 }] }],
          volumes: [null, { name: 'h', hostPath: null }],
        },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'odd-service' },
    spec: { type: 'LoadBalancer', externalIPs: 'x', loadBalancerSourceRanges: [5] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'odd-ingress' },
    spec: { tls: [null, { hosts: 'x' }], rules: [null, {}] },
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'odd-configmap' },
    data: { a: 5, b: null },
    binaryData: { c: '%%%' },
  },
];

/** Every rule survives odd objects. */
export function assertRobust(rule: Rule): void {
  const result = evaluate(Inventory.of(ODD_OBJECTS), { rules: [rule], pssVersion });
  assert.deepEqual(result.errors, [], `${rule.id} threw on odd input`);
}
