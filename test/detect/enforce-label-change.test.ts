// What a namespace write does to its Pod Security enforce label, for every way a write can express it: JSON patch
// at the label or at the map or object holding it, merge and strategic merge patch, full objects; and the
// resulting namespace, where the event carries it, taken as the ground truth.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEvent } from '../../src/detect/audit-event.ts';
import { loadBuiltinRuleset } from '../../src/detect/builtin/builtin-ruleset.ts';
import { DetectionEngine } from '../../src/detect/engine.ts';
import { fieldByName } from '../../src/detect/fields/field-table.ts';
import { DetectionState } from '../../src/detect/state/detection-state.ts';
import { NO_FACTS } from '../../src/detect/state/event-facts.ts';
import { auditEvent } from './fixtures/events.ts';

const LABEL = 'pod-security.kubernetes.io/enforce';
const POINTER = '/metadata/labels/pod-security.kubernetes.io~1enforce';

function namespaceWrite(verb: string, requestObject: unknown, responseObject?: unknown): AuditEvent {
  return auditEvent({
    verb,
    requestURI: '/api/v1/namespaces/staging',
    objectRef: { resource: 'namespaces', name: 'staging', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
    requestObject,
    ...(responseObject === undefined ? {} : { responseObject }),
  });
}

function namespace(labels: Record<string, string> | undefined): Record<string, unknown> {
  return {
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: { name: 'staging', ...(labels === undefined ? {} : { labels }) },
  };
}

function psaEnforce(event: AuditEvent): unknown {
  const field = fieldByName('palisade.req.namespace.psa_enforce');
  assert.ok(field);
  return field.extract({ event, facts: NO_FACTS }, undefined);
}

const CASES: { name: string; event: AuditEvent; expected: string | undefined }[] = [
  {
    name: 'JSON patch replacing the labels with privileged',
    event: namespaceWrite('patch', [
      { op: 'replace', path: '/metadata/labels', value: { [LABEL]: 'privileged' } },
    ]),
    expected: 'privileged',
  },
  {
    name: 'JSON patch adding the labels with privileged',
    event: namespaceWrite('patch', [
      { op: 'add', path: '/metadata/labels', value: { [LABEL]: 'privileged' } },
    ]),
    expected: 'privileged',
  },
  {
    name: 'JSON patch replacing the labels with a map without the label',
    event: namespaceWrite('patch', [{ op: 'replace', path: '/metadata/labels', value: { team: 'a' } }]),
    expected: 'removed',
  },
  {
    name: 'JSON patch replacing the labels, keeping restricted',
    event: namespaceWrite('patch', [
      { op: 'replace', path: '/metadata/labels', value: { [LABEL]: 'restricted', team: 'a' } },
    ]),
    expected: 'restricted',
  },
  {
    name: 'JSON patch removing the labels',
    event: namespaceWrite('patch', [{ op: 'remove', path: '/metadata/labels' }]),
    expected: 'removed',
  },
  {
    name: 'JSON patch removing the metadata',
    event: namespaceWrite('patch', [{ op: 'remove', path: '/metadata' }]),
    expected: 'removed',
  },
  {
    name: 'JSON patch replacing the metadata with privileged labels',
    event: namespaceWrite('patch', [
      { op: 'replace', path: '/metadata', value: { name: 'staging', labels: { [LABEL]: 'privileged' } } },
    ]),
    expected: 'privileged',
  },
  {
    name: 'JSON patch moving the label away',
    event: namespaceWrite('patch', [{ op: 'move', from: POINTER, path: '/metadata/labels/old' }]),
    expected: 'removed',
  },
  {
    name: 'JSON patch: a later operation restores the label',
    event: namespaceWrite('patch', [
      { op: 'remove', path: '/metadata/labels' },
      { op: 'add', path: '/metadata/labels', value: {} },
      { op: 'add', path: POINTER, value: 'restricted' },
    ]),
    expected: 'restricted',
  },
  {
    name: 'JSON patch at the label itself',
    event: namespaceWrite('patch', [{ op: 'replace', path: POINTER, value: 'privileged' }]),
    expected: 'privileged',
  },
  {
    name: 'JSON patch of another label',
    event: namespaceWrite('patch', [{ op: 'add', path: '/metadata/labels/team', value: 'a' }]),
    expected: undefined,
  },
  {
    name: 'JSON patch testing the label only',
    event: namespaceWrite('patch', [
      { op: 'test', path: '/metadata/labels', value: { [LABEL]: 'restricted' } },
    ]),
    expected: undefined,
  },
  {
    name: 'merge patch setting every label to null',
    event: namespaceWrite('patch', { metadata: { labels: null } }),
    expected: 'removed',
  },
  {
    name: 'merge patch setting the label to null',
    event: namespaceWrite('patch', { metadata: { labels: { [LABEL]: null } } }),
    expected: 'removed',
  },
  {
    name: 'merge patch of another label',
    event: namespaceWrite('patch', { metadata: { labels: { team: 'a' } } }),
    expected: undefined,
  },
  {
    name: 'strategic merge patch replacing the labels',
    event: namespaceWrite('patch', { metadata: { labels: { $patch: 'replace', team: 'a' } } }),
    expected: 'removed',
  },
  {
    name: 'strategic merge patch deleting the labels',
    event: namespaceWrite('patch', { metadata: { labels: { $patch: 'delete' } } }),
    expected: 'removed',
  },
  {
    name: 'update setting privileged',
    event: namespaceWrite('update', namespace({ [LABEL]: 'privileged' })),
    expected: 'privileged',
  },
  {
    name: 'update without the label: what it replaced is not in the event',
    event: namespaceWrite('update', namespace({ team: 'a' })),
    expected: undefined,
  },
  {
    name: 'the resulting namespace settles a copy into the label',
    event: namespaceWrite(
      'patch',
      [{ op: 'copy', from: '/metadata/labels/team', path: POINTER }],
      namespace({ [LABEL]: 'privileged', team: 'privileged' }),
    ),
    expected: 'privileged',
  },
  {
    name: 'the resulting namespace shows a webhook put the label back',
    event: namespaceWrite('patch', { metadata: { labels: null } }, namespace({ [LABEL]: 'baseline' })),
    expected: 'baseline',
  },
  {
    name: 'the resulting namespace has no labels left',
    event: namespaceWrite(
      'patch',
      [{ op: 'replace', path: '/metadata/labels', value: {} }],
      namespace(undefined),
    ),
    expected: 'removed',
  },
  {
    name: 'a response that is not the namespace is not read',
    event: namespaceWrite('patch', { metadata: { labels: null } }, { kind: 'Status', status: 'Success' }),
    expected: 'removed',
  },
  {
    name: 'the resulting namespace is not read when the request leaves the label alone',
    event: namespaceWrite('patch', { metadata: { labels: { team: 'a' } } }, namespace({ team: 'a' })),
    expected: undefined,
  },
];

describe('palisade.req.namespace.psa_enforce', () => {
  for (const { name, event, expected } of CASES)
    it(name, () => assert.equal(psaEnforce(event), expected, JSON.stringify(event.requestObject)));
});

describe('Pod Security Enforcement Weakened', () => {
  const weakened = (event: AuditEvent) =>
    new DetectionEngine({ rulesets: [loadBuiltinRuleset().ruleset], state: new DetectionState() })
      .process(event)
      .some((alert) => alert.rule === 'Pod Security Enforcement Weakened');

  it('alerts when a patch replaces, removes or nulls the whole label map', () => {
    for (const requestObject of [
      [{ op: 'replace', path: '/metadata/labels', value: { [LABEL]: 'privileged' } }],
      [{ op: 'add', path: '/metadata/labels', value: { [LABEL]: 'privileged' } }],
      [{ op: 'remove', path: '/metadata/labels' }],
      [{ op: 'remove', path: '/metadata' }],
      { metadata: { labels: null } },
    ])
      assert.ok(weakened(namespaceWrite('patch', requestObject)), JSON.stringify(requestObject));
  });

  it('stays silent on the namespace controller finalizing (or a status write to) a privileged namespace', () => {
    const terminating = {
      ...namespace({ [LABEL]: 'privileged' }),
      spec: { finalizers: [] },
      status: { phase: 'Terminating' },
    };
    for (const subresource of ['finalize', 'status']) {
      const event = auditEvent({
        verb: 'update',
        user: { username: 'system:serviceaccount:kube-system:namespace-controller', groups: [] },
        requestURI: `/api/v1/namespaces/staging/${subresource}`,
        objectRef: { resource: 'namespaces', name: 'staging', subresource, apiVersion: 'v1' },
        responseStatus: { metadata: {}, code: 200 },
        requestObject: terminating,
        responseObject: terminating,
      });
      assert.equal(psaEnforce(event), undefined, subresource);
      assert.ok(!weakened(event), subresource);
    }
  });

  it('stays silent when the label keeps a restricting level', () => {
    for (const requestObject of [
      [{ op: 'replace', path: '/metadata/labels', value: { [LABEL]: 'restricted', team: 'a' } }],
      { metadata: { labels: { team: 'a' } } },
    ])
      assert.ok(!weakened(namespaceWrite('patch', requestObject)), JSON.stringify(requestObject));
    const restoredByWebhook = namespaceWrite(
      'patch',
      { metadata: { labels: null } },
      namespace({ [LABEL]: 'restricted' }),
    );
    assert.ok(!weakened(restoredByWebhook));
  });
});
