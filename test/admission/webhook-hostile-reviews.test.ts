// Pod and Deployment reviews recorded from a real API server, with one field of the object at a time replaced by a
// mapping whose `toString` is not a function (valid JSON; converting it to text throws), posted to the real webhook
// over TLS. Every answer must be a 400 naming the problem or a well-formed AdmissionReview for the same uid, with no
// rule error and no failure-mode answer, and the server must stay up.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';
import { HARDENING_POLICY } from './hardening-policy.ts';
import { startFixture, type WebhookFixture } from './webhook-fixture.ts';

const REVIEWS = ['corpus', 'admission', 'recorded', 'reviews'] as const;
const skip = skipWithoutShared(...REVIEWS);

type Path = (string | number)[];

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what a warning must not hold
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Every field under `value`; managedFields (most of a recorded object's fields, read by no rule) left out. */
function fieldPaths(value: unknown, path: Path, out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value))
    for (const [index, item] of value.entries()) fieldPaths(item, [...path, index], out);
  else if (typeof value === 'object' && value !== null)
    for (const [key, item] of Object.entries(value))
      if (key !== 'managedFields') fieldPaths(item, [...path, key], out);
  return out;
}

function withValueAt(review: unknown, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(review) as Record<string, unknown>;
  let parent = copy as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  parent[path.at(-1) as string | number] = value;
  return copy;
}

describe('reviews with a hostile value in any field of the object', { skip }, () => {
  let fixture: WebhookFixture;
  before(async () => {
    fixture = await startFixture({ policyText: HARDENING_POLICY });
  });
  after(async () => fixture?.close());

  it('are answered 400 or with a well-formed review, never by the failure mode', async () => {
    const directory = sharedPath(...REVIEWS);
    const files = readdirSync(directory)
      .filter((file) => /-CREATE-(pods|deployments)-/.test(file))
      .sort();
    let sent = 0;
    const counts = { ok: 0, rejected: 0 };
    for (const file of files) {
      const review = JSON.parse(readFileSync(join(directory, file), 'utf8')) as {
        request: { uid: string; object: unknown };
      };
      for (const path of fieldPaths(review.request.object, ['request', 'object']).slice(1)) {
        const endpoint = sent++ % 2 === 0 ? '/validate' : '/mutate';
        const reply = await fixture.post(
          endpoint,
          JSON.stringify(withValueAt(review, path, { toString: 0 })),
        );
        const what = `${file} ${path.join('.')} (${endpoint}): ${reply.status} ${reply.body.slice(0, 300)}`;
        if (reply.status === 400) {
          counts.rejected++;
          continue;
        }
        assert.equal(reply.status, 200, what);
        counts.ok++;
        const answer = JSON.parse(reply.body) as {
          kind: string;
          response: {
            uid: unknown;
            warnings?: string[];
            patch?: string;
            auditAnnotations?: Record<string, string>;
          };
        };
        assert.equal(answer.kind, 'AdmissionReview', what);
        assert.equal(answer.response.uid, review.request.uid, what);
        // A rule that threw is named in rule-errors; an internal error is answered allowed-/denied-on-error.
        assert.equal(answer.response.auditAnnotations?.['rule-errors'], undefined, what);
        assert.doesNotMatch(answer.response.auditAnnotations?.decision ?? '', /on-error/, what);
        if (answer.response.patch !== undefined)
          assert.ok(Array.isArray(JSON.parse(Buffer.from(answer.response.patch, 'base64').toString())), what);
        for (const warning of answer.response.warnings ?? [])
          assert.ok(warning.length <= 120 && !CONTROL.test(warning), what);
      }
    }
    assert.ok(counts.ok > 100, JSON.stringify(counts));
    assert.equal((await fixture.get('/healthz')).status, 200);
  });
});
