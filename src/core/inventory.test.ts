import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Inventory } from './inventory.ts';
import { matchesMapSelector, matchesSelector } from './label-selector.ts';

test('label selectors follow Kubernetes semantics', () => {
  const labels = { app: 'web', tier: 'front' };
  assert.ok(matchesSelector({}, labels), 'empty selector matches everything');
  assert.ok(matchesSelector({ matchLabels: { app: 'web' } }, labels));
  assert.ok(!matchesSelector({ matchLabels: { app: 'db' } }, labels));
  assert.ok(
    matchesSelector(
      { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] },
      labels,
    ),
  );
  assert.ok(
    !matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels),
  );
  assert.ok(
    matchesSelector({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels),
  );
  assert.ok(matchesSelector({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels));
  assert.ok(!matchesSelector({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels));
  assert.ok(!matchesSelector({ matchExpressions: [{ key: 'app', operator: 'Bogus' as 'In' }] }, labels));
  assert.ok(!matchesMapSelector({}, labels), 'an empty Service selector selects nothing');
  assert.ok(matchesMapSelector({ app: 'web' }, labels));
});

test('inventory indexes by kind, namespace and name', () => {
  const inventory = Inventory.of([
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } },
    },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  ]);
  assert.equal(inventory.size, 3);
  assert.equal(inventory.ofKind('Service').length, 1);
  assert.equal(inventory.get('Deployment', 'shop', 'web')?.ref.kind, 'Deployment');
  assert.equal(inventory.get('Namespace', undefined, 'shop')?.ref.name, 'shop');
  assert.equal(inventory.ofKind('Service', 'shop').length, 1);
  assert.equal(inventory.ofKind('Service', 'other').length, 0);
  assert.equal(inventory.ofKind('Namespace', '').length, 1, "'' asks for cluster-scoped objects");
  assert.equal(
    inventory.derive(Symbol('once'), (inv) => inv.size),
    3,
  );
});
