// What the loader says about pod templates it does not check: never a silent skip, and the reason a user can act on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyDocument } from './classify-document.ts';

const SPEC = { containers: [{ name: 'a', image: 'nginx:1.27' }] };

function notScanned(apiVersion: string, kind: string): string[] {
  const result = classifyDocument({
    apiVersion,
    kind,
    metadata: { name: 'x' },
    spec: { template: { spec: SPEC } },
  });
  return result.notes.filter((note) => note.code === 'not-scanned').map((note) => note.message);
}

describe('classifyDocument: unchecked pod templates', () => {
  it('a built-in kind under the wrong built-in group is a typo to fix, naming the right group', () => {
    const [message] = notScanned('v1', 'Deployment');
    assert.match(message ?? '', /Deployment is in the API group apps, not v1, so the API server refuses it/);
    assert.match(notScanned('batch/v1', 'Deployment')[0] ?? '', /in the API group apps, not batch\/v1/);
  });

  it("a custom resource reusing a built-in kind's name is an unknown kind, not a typo", () => {
    assert.match(notScanned('example.com/v1', 'Deployment')[0] ?? '', /no workload rule knows this kind$/);
  });

  it('an unknown kind is said to be unknown; a known one under its own group gives no note', () => {
    assert.match(
      notScanned('apps.kruise.io/v1alpha1', 'CloneSet')[0] ?? '',
      /no workload rule knows this kind$/,
    );
    assert.deepEqual(notScanned('apps/v1', 'Deployment'), []);
  });

  it('a built-in workload with its containers straight under spec is said, whatever its apiVersion', () => {
    for (const apiVersion of ['apps/v1', 'v1']) {
      const result = classifyDocument({
        apiVersion,
        kind: 'Deployment',
        metadata: { name: 'x' },
        spec: SPEC,
      });
      const notes = result.notes.filter((note) => note.code === 'not-scanned');
      assert.equal(notes.length, 1, apiVersion);
      assert.match(
        notes[0]?.message ?? '',
        /containers directly under spec, where a Deployment describes its pods under spec\.template\.spec/,
      );
      assert.deepEqual(notes[0]?.path, ['spec', 'containers']);
    }
    // A Pod's containers belong there; a custom resource's spec is its own.
    for (const [apiVersion, kind] of [
      ['v1', 'Pod'],
      ['monitoring.coreos.com/v1', 'Prometheus'],
    ] as const)
      assert.deepEqual(
        classifyDocument({ apiVersion, kind, metadata: { name: 'x' }, spec: SPEC }).notes.filter(
          (note) => note.code === 'not-scanned',
        ),
        [],
      );
  });
});

describe('classifyDocument: a list whose header is not strings', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: SPEC };

  it('is an error naming the objects it holds, which would otherwise go unscanned behind a warning', () => {
    for (const header of [
      { apiVersion: 5, kind: 'List' },
      { apiVersion: null, kind: 'ClusterSnapshot' },
    ]) {
      const result = classifyDocument({ ...header, items: [pod, pod] });
      assert.deepEqual(
        result.notes.map((note) => [note.severity, note.code, note.message]),
        [
          [
            'error',
            'not-kubernetes',
            'document holds 2 Kubernetes objects in items but is not a list kubectl reads: apiVersion and kind must both be non-empty strings; not scanned',
          ],
        ],
      );
    }
  });

  it('without objects in it, stays a warning', () => {
    const result = classifyDocument({ apiVersion: 5, kind: 'List', items: [] });
    assert.deepEqual(
      result.notes.map((note) => note.severity),
      ['warning'],
    );
  });
});

describe('classifyDocument: an AdmissionReview saved to a file', () => {
  const review = (request: unknown) => ({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request,
  });
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: SPEC };

  it('yields the object under review, in the namespace of the request, located under request.object', () => {
    const result = classifyDocument(review({ operation: 'CREATE', namespace: 'prod', object: pod }));
    assert.deepEqual(
      result.objects.map(({ object, prefix }) => [object.kind, object.metadata.namespace, prefix]),
      [['Pod', 'prod', ['request', 'object']]],
    );
    assert.equal(result.skipped, 0);
    assert.deepEqual(
      result.notes.map((note) => [note.severity, note.code, note.path]),
      [['info', 'not-kubernetes', ['request', 'object']]],
    );
    assert.match(
      result.notes[0]?.message ?? '',
      /AdmissionReview .* its request\.object, under CREATE, is scanned/,
    );
    // The parsed document itself is left as it was.
    assert.equal((pod.metadata as { namespace?: string }).namespace, undefined);
  });

  it('a namespace the object states is kept', () => {
    const inOwn = { ...pod, metadata: { name: 'web', namespace: 'dev' } };
    const result = classifyDocument(review({ operation: 'UPDATE', namespace: 'prod', object: inOwn }));
    assert.equal(result.objects[0]?.object.metadata.namespace, 'dev');
  });

  it('a DELETE (no object) or an answer (no request) has nothing to scan, and says so', () => {
    for (const [value, expected] of [
      [review({ operation: 'DELETE', object: null, oldObject: pod }), /of a DELETE with no request\.object/],
      [
        { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { allowed: true } },
        /without a request/,
      ],
    ] as const) {
      const result = classifyDocument(value);
      assert.deepEqual(result.objects, []);
      assert.equal(result.skipped, 1);
      assert.equal(result.notes[0]?.severity, 'warning');
      assert.match(result.notes[0]?.message ?? '', expected);
    }
  });

  it('a kind named AdmissionReview in another group is an ordinary object', () => {
    const result = classifyDocument({
      apiVersion: 'example.com/v1',
      kind: 'AdmissionReview',
      metadata: { name: 'r' },
    });
    assert.deepEqual(
      result.objects.map(({ object }) => object.kind),
      ['AdmissionReview'],
    );
  });
});
