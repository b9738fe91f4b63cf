// who-can against the expectations rbac-tool (alcideio/rbac-tool) writes in its who-can test fixtures: each file says
// which command to run and which subjects to expect. Where an expectation contradicts Kubernetes' own RBAC semantics,
// Kubernetes wins and the test says why.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Inventory } from '../../src/core/inventory.ts';
import { loadManifests } from '../../src/inputs/manifest-loader.ts';
import { RbacIndex } from '../../src/rbac/rbac-index.ts';
import { parseRequest } from '../../src/rbac/request-text.ts';
import { whoCan } from '../../src/rbac/who-can.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';

const DIR = ['corpus', 'rbac', 'rbac-tool', 'testdata', 'whocan'];

/** Expectations that contradict the API server's authorizer, with the reason. */
const KUBERNETES_DISAGREES: Record<string, string> = {
  'gatewat-api-operator.yaml':
    'the role grants create, update, delete and patch on gateways, not get: `get gateways` is not allowed',
  'nonresourceurl-reader.yaml':
    'non-resource URLs are granted only by ClusterRoleBindings; this fixture binds them with a RoleBinding',
};

/** rbac-tool resolves singular names and groups through discovery; these are the ones its fixtures use. */
const RESOURCES: Record<string, { resource: string; apiGroup?: string }> = {
  pod: { resource: 'pods' },
  gateways: { resource: 'gateways', apiGroup: 'gateway.networking.k8s.io' },
};

interface Fixture {
  file: string;
  runs: { verb: string; resource: string; filter: string }[];
  expected: string[];
}

function readFixture(file: string): Fixture {
  const text = readFileSync(sharedPath(...DIR, file), 'utf8');
  const runs = [...text.matchAll(/^#\s+bin\/rbac-tool who-can (\S+) (\S+)\s*(?:\|\s*grep (\S+))?/gm)].map(
    (match) => ({
      verb: match[1] as string,
      resource: match[2] as string,
      filter: match[3] ?? '',
    }),
  );
  const expectBlock = text.slice(text.indexOf('# Expect:'), text.search(/^apiVersion/m));
  const expected = [
    ...expectBlock.matchAll(
      /^#[ \t]+(User|Group|ServiceAccount)[ \t]*\|[ \t]*(\S+)[ \t]*\|[ \t]*([^\s|]*)/gm,
    ),
  ]
    .map((match) => `${match[1]} ${match[2]} ${match[3] ?? ''}`.trim())
    .filter((row) => !row.startsWith('Group system:masters'))
    .sort();
  return { file, runs, expected };
}

describe('who-can agrees with rbac-tool fixtures', { skip: skipWithoutShared(...DIR) }, () => {
  const files = skipWithoutShared(...DIR)
    ? []
    : readdirSync(sharedPath(...DIR)).filter((name) => name.endsWith('.yaml'));
  for (const file of files)
    it(file, async () => {
      const fixture = readFixture(file);
      assert.ok(
        fixture.runs.length > 0 && fixture.expected.length > 0,
        'the fixture says what to run and expect',
      );
      const loaded = await loadManifests([sharedPath(...DIR, file)]);
      const index = RbacIndex.of(new Inventory(loaded.entries));
      for (const run of fixture.runs) {
        const [resourceText, name] = run.resource.startsWith('/')
          ? [run.resource, undefined]
          : run.resource.split('/');
        const known = RESOURCES[resourceText ?? ''];
        const request = parseRequest(run.verb, known?.resource ?? resourceText ?? '', {
          ...(known?.apiGroup ? { apiGroup: known.apiGroup } : {}),
          ...(name ? { name } : {}),
        });
        const subjects = [
          ...new Set(
            whoCan(index, request)
              .entries.filter((entry) => entry.subject.name.includes(run.filter))
              .map((entry) =>
                `${entry.subject.kind} ${entry.subject.name} ${entry.subject.namespace}`.trim(),
              ),
          ),
        ].sort();
        const reason = KUBERNETES_DISAGREES[file];
        if (reason) assert.deepEqual(subjects, [], reason);
        else assert.deepEqual(subjects, fixture.expected, `${run.verb} ${run.resource}`);
      }
    });
});
