// Indexing rules by target resource must never change which rules match, only how many are evaluated.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ListItem } from '../../src/detect/condition/ast.ts';
import { parseCondition } from '../../src/detect/condition/parser.ts';
import { isFieldName } from '../../src/detect/fields/field-table.ts';
import { requiredResources } from '../../src/detect/rules/resource-index.ts';

const macros = new Map([
  ['pod', parseCondition('ka.target.resource = pods and not ka.target.subresource exists', isFieldName)],
  ['kcreate', parseCondition('ka.verb = create', isFieldName)],
]);
const lists = new Map<string, ListItem[]>([
  [
    'workloads',
    [
      { text: 'deployments', quoted: false },
      { text: 'daemonsets', quoted: false },
    ],
  ],
]);

function required(text: string): string[] | undefined {
  const set = requiredResources(parseCondition(text, isFieldName), { macros, lists });
  return set === undefined ? undefined : [...set].sort();
}

describe('resource index analysis', () => {
  it('finds the resources a condition requires through macros, lists, and, or', () => {
    assert.deepEqual(required('pod and kcreate'), ['pods']);
    assert.deepEqual(required('kcreate and ka.target.resource in (workloads, pods)'), [
      'daemonsets',
      'deployments',
      'pods',
    ]);
    assert.deepEqual(required('pod or ka.target.resource = secrets'), ['pods', 'secrets']);
    assert.deepEqual(required('ka.target.resource in (pods, secrets) and ka.target.resource = secrets'), [
      'secrets',
    ]);
  });

  it('gives up (any resource) where a rule could match other events', () => {
    assert.equal(required('kcreate'), undefined);
    assert.equal(required('pod or kcreate'), undefined);
    assert.equal(required('not ka.target.resource = pods'), undefined);
    assert.equal(required('ka.target.resource != pods'), undefined);
    assert.equal(required('tolower(ka.target.resource) = pods'), undefined);
  });
});
