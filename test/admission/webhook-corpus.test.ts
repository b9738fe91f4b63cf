// Every AdmissionReview recorded from a real kube-apiserver (../shared/corpus/admission), posted over real TLS to
// the real server: creates, updates, deletes, dry runs, subresources, ephemeral containers, CONNECT, v1beta1.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Inventory } from '../../src/core/inventory.ts';
import { applyPatch, type JsonPatchOperation } from '../../src/core/json-patch.ts';
import type { KubeObject } from '../../src/core/kube-object.ts';
import { parsePssVersion } from '../../src/core/pss-version.ts';
import { findRule } from '../../src/rules/index.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';
import { startFixture, type WebhookFixture } from './webhook-fixture.ts';

const skip = skipWithoutShared('corpus', 'admission', 'recorded', 'reviews');
const REVIEWS = sharedPath('corpus', 'admission', 'recorded', 'reviews');

const POLICY = `apiVersion: palisade.dev/v1alpha1
kind: AdmissionPolicy
defaults:
  enforce: { level: baseline }
  warn: { level: restricted }
namespaces:
  - match: [webhook-demo]
    enforce: { level: restricted }
mutation:
  rules: [seccomp-profile-required, privilege-escalation, capabilities-drop-all, service-account-token-automounted]
`;

interface Review {
  file: string;
  body: string;
  review: {
    apiVersion: string;
    request: Record<string, unknown> & { uid: string; operation: string; object?: KubeObject };
  };
  endpoint: '/validate' | '/mutate';
}

function loadReviews(): Review[] {
  return readdirSync(REVIEWS)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const body = readFileSync(`${REVIEWS}/${file}`, 'utf8');
      return {
        file,
        body,
        review: JSON.parse(body),
        endpoint: file.includes('-mutate-') ? '/mutate' : '/validate',
      };
    });
}

interface Answer {
  apiVersion: string;
  kind: string;
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; message: string };
    warnings?: string[];
    auditAnnotations?: Record<string, string>;
    patchType?: string;
    patch?: string;
  };
}

describe('webhook over TLS with the recorded kube-apiserver reviews', { skip }, () => {
  let fixture: WebhookFixture;
  const answers = new Map<string, Answer>();
  let reviews: Review[] = [];

  before(async () => {
    fixture = await startFixture({ policyText: POLICY });
    reviews = loadReviews();
    for (const review of reviews) {
      const reply = await fixture.post(`${review.endpoint}?timeout=5s`, review.body);
      assert.equal(reply.status, 200, `${review.file}: HTTP ${reply.status} ${reply.body}`);
      answers.set(review.file, JSON.parse(reply.body));
    }
  });
  after(() => fixture?.close());

  const answerFor = (prefix: string): Answer => {
    const file = [...answers.keys()].find((name) => name.startsWith(prefix));
    assert.ok(file, `no review ${prefix}`);
    return answers.get(file) as Answer;
  };
  const reviewFor = (prefix: string): Review =>
    reviews.find((review) => review.file.startsWith(prefix)) as Review;

  it('answers all 200 reviews, echoing apiVersion (v1 and v1beta1) and uid', () => {
    assert.equal(answers.size, 200);
    const versions = new Set<string>();
    for (const review of reviews) {
      const answer = answers.get(review.file) as Answer;
      assert.equal(answer.kind, 'AdmissionReview');
      assert.equal(answer.apiVersion, review.review.apiVersion, review.file);
      assert.equal(answer.response.uid, review.review.request.uid, review.file);
      versions.add(answer.apiVersion);
    }
    assert.deepEqual([...versions].sort(), ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1']);
  });

  it('allows every DELETE and CONNECT without evaluating or patching', () => {
    let count = 0;
    for (const review of reviews) {
      const operation = review.review.request.operation;
      if (operation !== 'DELETE' && operation !== 'CONNECT') continue;
      count++;
      const answer = answers.get(review.file) as Answer;
      assert.equal(answer.response.allowed, true, review.file);
      assert.equal(answer.response.patch, undefined, review.file);
    }
    assert.ok(count >= 90, `only ${count} DELETE/CONNECT reviews`);
  });

  it('keeps every warning within 120 characters, and adds none to a denied request (as the recorded API server)', async () => {
    // Under the corpus policy the evaluated pods are denied: a second server only warns, so that they are allowed
    // with warnings to measure.
    const warnOnly = await startFixture({
      policyText:
        'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ndefaults:\n  warn: { level: restricted }\n',
    });
    let warnings = 0;
    try {
      for (const review of reviews.filter((candidate) => candidate.endpoint === '/validate')) {
        const reply = await warnOnly.post('/validate?timeout=5s', review.body);
        const answer = JSON.parse(reply.body) as Answer;
        for (const warning of answer.response.warnings ?? []) {
          warnings++;
          assert.ok([...warning].length <= 120, warning);
        }
      }
    } finally {
      await warnOnly.close();
    }
    assert.ok(warnings > 0, 'the corpus should produce some warnings');
    let denied = 0;
    for (const answer of answers.values())
      if (!answer.response.allowed) {
        denied++;
        assert.equal(answer.response.warnings, undefined, JSON.stringify(answer.response.warnings));
        assert.ok(answer.response.auditAnnotations?.['enforce-violations']);
      }
    assert.ok(denied > 0);
  });

  it('denies a pod that breaks restricted with 403 naming rule, container and field', () => {
    const answer = answerFor('002-pod-create-validate');
    assert.equal(answer.response.allowed, false);
    assert.equal(answer.response.status?.code, 403);
    const message = answer.response.status?.message ?? '';
    assert.match(message, /run-as-non-root/);
    assert.match(message, /container "web-1"/);
    assert.match(message, /spec\.containers\[0\]\.securityContext/);
    assert.match(answer.response.auditAnnotations?.['enforce-violations'] ?? '', /run-as-non-root\(web-1\)/);
  });

  it('gives a dry run the same decision as the real request', () => {
    const real = answerFor('002-pod-create-validate').response;
    const dry = answerFor('004-pod-create-dry-run-server-validate').response;
    assert.equal(dry.allowed, real.allowed);
    // The dry-run pod is the same pod under another name: the same rules fail.
    const rules = (text: string | undefined) => (text ?? '').replace(/\([^)]*\)/g, '');
    assert.equal(
      rules(dry.auditAnnotations?.['enforce-violations']),
      rules(real.auditAnnotations?.['enforce-violations']),
    );
    assert.notEqual(rules(real.auditAnnotations?.['enforce-violations']), '');
  });

  it('does not newly block label-only and annotation-only pod updates, but evaluates image updates', () => {
    for (const prefix of ['006-pod-update-label-only-validate', '008-pod-update-annotation-only-validate']) {
      const answer = answerFor(prefix);
      assert.equal(answer.response.allowed, true, prefix);
      assert.equal(answer.response.auditAnnotations?.decision, 'not-evaluated:metadata-only-update');
    }
    const image = answerFor('010-pod-update-image-validate');
    assert.equal(image.response.allowed, false);
  });

  it('evaluates ephemeral containers added through the subresource', () => {
    const answer = answerFor('012-pod-ephemeral-container-kubectl-debug-validate');
    assert.equal(answer.response.allowed, false);
    assert.match(answer.response.status?.message ?? '', /container "debugger"/);
    assert.match(answer.response.status?.message ?? '', /ephemeralContainers\[0\]/);
  });

  it('ignores the scale subresource and label-only deployment updates', () => {
    assert.equal(
      answerFor('037-deployment-scale-subresource-validate').response.auditAnnotations?.decision,
      'not-evaluated:subresource',
    );
    assert.equal(answerFor('035-deployment-update-label-only-validate').response.allowed, true);
  });

  it('denies a privileged hostPath pod under baseline, naming the container and field', () => {
    const answer = answerFor('023-pod-create-hostpath-hostnetwork-in-privileged-ns-validate');
    assert.equal(answer.response.allowed, false);
    const message = answer.response.status?.message ?? '';
    assert.match(
      message,
      /privileged-container: .*container "shell".*\(spec\.containers\[0\]\.securityContext\.privileged\)/,
    );
    assert.match(message, /host-namespaces/);
  });

  it('mutates pods and deployments with a patch that makes the fixed rules pass, and is idempotent', async () => {
    const ids = [
      'seccomp-profile-required',
      'privilege-escalation',
      'capabilities-drop-all',
      'service-account-token-automounted',
    ];
    const rules = ids.map((id) => findRule(id)).filter((rule) => rule !== undefined);
    const context = (object: KubeObject) => ({
      inventory: Inventory.of([object]),
      pssVersion: parsePssVersion('latest'),
    });
    for (const prefix of [
      '001-pod-create-mutate',
      '024-deployment-create-mutate',
      '026-deployment-create-mutate-CREATE-pods',
    ]) {
      const review = reviewFor(prefix);
      const answer = answerFor(prefix);
      assert.equal(answer.response.patchType, 'JSONPatch', prefix);
      const patch = JSON.parse(
        Buffer.from(answer.response.patch ?? '', 'base64').toString(),
      ) as JsonPatchOperation[];
      const original = review.review.request.object as KubeObject;
      assert.ok(
        rules.some((rule) => rule.check(original, context(original)).length > 0),
        `${prefix} needed no fix`,
      );
      const patched = applyPatch(original, patch);
      for (const rule of rules) {
        // A Pod arrives with the token volume the ServiceAccount admission plugin injected before any webhook:
        // setting the flag would not unmount it, so that rule is left to report (its fix is for templates).
        if (rule.id === 'service-account-token-automounted' && original.kind === 'Pod') {
          assert.ok(
            !patch.some((operation) => operation.path.endsWith('/automountServiceAccountToken')),
            prefix,
          );
          continue;
        }
        assert.deepEqual(rule.check(patched, context(patched)), [], `${prefix}: ${rule.id}`);
      }
      // Posting the patched object again patches nothing.
      const again = structuredClone(review.review);
      again.request.object = patched;
      const reply = await fixture.post('/mutate', JSON.stringify(again));
      const second = JSON.parse(reply.body) as Answer;
      assert.equal(second.response.patch, undefined, `${prefix}: second pass patched again`);
    }
  });

  it('never mutates a pod UPDATE (a pod spec is immutable)', () => {
    for (const review of reviews)
      if (
        review.endpoint === '/mutate' &&
        review.review.request.operation === 'UPDATE' &&
        review.file.includes('-pods')
      )
        assert.equal(answers.get(review.file)?.response.patch, undefined, review.file);
  });

  it('counts requests and decisions in /metrics', async () => {
    const reply = await fixture.get('/metrics');
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(reply.body, /palisade_webhook_requests_total\{endpoint="validate",code="200"\} \d+/);
    assert.match(
      reply.body,
      /palisade_webhook_decisions_total\{endpoint="validate",operation="CREATE",kind="Pod",outcome="denied"\} \d+/,
    );
    assert.match(
      reply.body,
      /palisade_webhook_request_duration_seconds_bucket\{endpoint="mutate",le="\+Inf"\} \d+/,
    );
  });
});
