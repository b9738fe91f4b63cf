// The server's contract over real TLS: status codes for bad requests, limits, failure modes, health, TLS floor,
// and reloading of certificate and policy files without a restart.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect } from 'node:tls';
import { applyPatch } from '../../src/core/json-patch.ts';
import { defineRule, type Rule } from '../../src/core/rule.ts';
import { builtinRules } from '../../src/rules/index.ts';
import { MAX_REVIEW_BYTES } from '../../src/server/webhook-app.ts';
import { CERT_FILES, writeWebhookCerts } from '../../src/server/webhook-certs.ts';
import { plainPod, podReview, privilegedPod } from './review-fixtures.ts';
import { startFixture, type WebhookFixture } from './webhook-fixture.ts';

describe('webhook server contract', () => {
  let fixture: WebhookFixture;
  before(async () => {
    fixture = await startFixture();
  });
  after(() => fixture?.close());

  it('denies a privileged pod with the default policy (baseline enforced)', async () => {
    const reply = await fixture.post('/validate', JSON.stringify(podReview(privilegedPod())));
    assert.equal(reply.status, 200);
    const answer = JSON.parse(reply.body);
    assert.equal(answer.response.allowed, false);
    assert.equal(answer.response.status.code, 403);
    assert.match(answer.response.status.message, /privileged-container: .*container "app"/);
  });

  it('answers many reviews arriving together, each with its own uid and verdict', async () => {
    // Reviews that arrive in one event-loop turn are decided and answered as a batch (turn-batch.ts).
    const uids = Array.from(
      { length: 40 },
      (_, index) => `d3b07384-d9a0-4c9b-8f6e-${String(index).padStart(12, '0')}`,
    );
    const replies = await Promise.all(
      uids.map((uid, index) =>
        fixture.post(
          '/validate',
          JSON.stringify(podReview(index % 2 === 0 ? privilegedPod() : plainPod(), { uid })),
        ),
      ),
    );
    replies.forEach((reply, index) => {
      assert.equal(reply.status, 200);
      const answer = JSON.parse(reply.body).response;
      assert.equal(answer.uid, uids[index]);
      assert.equal(answer.allowed, index % 2 === 1);
    });
  });

  const malformed: [string, string, RegExp][] = [
    ['not JSON', '{"apiVersion":', /not valid JSON/],
    [
      'wrong kind',
      JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'Pod' }),
      /kind must be AdmissionReview/,
    ],
    [
      'a kind that carries data (never quoted back)',
      JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: { data: { token: 'c2VjcmV0LXRva2Vu' } } }),
      /^malformed AdmissionReview: kind must be AdmissionReview \(got an object\)\n$/,
    ],
    [
      'an operation that carries a password (never quoted back)',
      JSON.stringify({
        ...podReview(plainPod()),
        request: {
          ...(podReview(plainPod()).request as Record<string, unknown>),
          operation: 'password=hunter2-from-the-body',
        },
      }),
      /^malformed AdmissionReview: request\.operation must be one of .* \(got another string \(30 characters\)\)\n$/,
    ],
    [
      'no request',
      JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }),
      /request is missing/,
    ],
    [
      'unknown version',
      JSON.stringify({ apiVersion: 'admission.k8s.io/v2', kind: 'AdmissionReview', request: {} }),
      /apiVersion must be/,
    ],
    [
      'CREATE without object',
      JSON.stringify({
        ...podReview(plainPod()),
        request: { ...(podReview(plainPod()).request as object), object: null },
      }),
      /object is required for CREATE/,
    ],
    ['array body', '[]', /not a JSON object/],
    // Large bodies are measured before JSON.parse, small ones after: both answers must be the same.
    ['nesting bomb', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, /nests deeper than 200 levels/],
    [
      'small nesting bomb',
      `${'['.repeat(201)}${']'.repeat(201)}`,
      /nests deeper than 200 levels \(at offset 200\)/,
    ],
    [
      'review nesting too deep',
      JSON.stringify({
        ...podReview(plainPod()),
        deep: JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`),
      }),
      /nests deeper than 200 levels/,
    ],
  ];
  for (const [name, body, reason] of malformed)
    it(`answers 400 with the reason for a malformed review: ${name}`, async () => {
      const reply = await fixture.post('/validate', body);
      assert.equal(reply.status, 400);
      assert.match(reply.body, reason);
    });

  it('answers 413 to a body over 3.5 MiB and accepts one just under it', async () => {
    const big = Buffer.alloc(MAX_REVIEW_BYTES + 1, 0x20);
    const reply = await fixture.post('/validate', big);
    assert.equal(reply.status, 413);
    const pod = plainPod();
    (pod.metadata as Record<string, unknown>).annotations = { filler: 'x'.repeat(3 * 1024 * 1024) };
    const ok = await fixture.post('/validate', JSON.stringify(podReview(pod)));
    assert.equal(ok.status, 200);
  });

  it('answers 405 to GET /validate, 415 to a non-JSON content type and 404 elsewhere', async () => {
    assert.equal((await fixture.get('/validate')).status, 405);
    assert.equal((await fixture.post('/mutate', '{}', { 'content-type': 'text/plain' })).status, 415);
    for (const type of ['application/json-patch+json', 'application/json.evil'])
      assert.equal((await fixture.post('/mutate', '{}', { 'content-type': type })).status, 415, type);
    const charset = await fixture.post('/validate', JSON.stringify(podReview(plainPod())), {
      'content-type': 'application/json; charset=utf-8',
    });
    assert.equal(charset.status, 200);
    assert.equal((await fixture.get('/nope')).status, 404);
  });

  it('answers 400 to bytes that are not UTF-8, and never quotes the body back in a JSON error', async () => {
    const review = Buffer.from(JSON.stringify(podReview(plainPod())));
    const bad = Buffer.concat([review.subarray(0, 20), Buffer.from([0xff]), review.subarray(20)]);
    const notUtf8 = await fixture.post('/validate', bad);
    assert.equal(notUtf8.status, 400);
    assert.match(notUtf8.body, /not valid UTF-8/);
    const secret = 'tok_QUOTEDBACK12345';
    const broken = await fixture.post('/validate', `{"request": {"uid": "u", "token": ${secret}}}`);
    assert.equal(broken.status, 400);
    assert.match(broken.body, /not valid JSON/);
    assert.ok(!broken.body.includes('QUOTED'), broken.body);
  });

  it('answers 408 when the body does not arrive within the deadline', async () => {
    const reply = await new Promise<number>((resolve, reject) => {
      const socket = connect(
        { host: '127.0.0.1', port: fixture.server.port, ca: fixture.ca, servername: 'localhost' },
        () => {
          // Announces 100 bytes, sends 2, then waits: the server must not wait forever.
          socket.write(
            'POST /validate?timeout=200ms HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{}',
          );
        },
      );
      let text = '';
      socket.on('data', (chunk) => {
        text += String(chunk);
        const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
        if (match) {
          resolve(Number(match[1]));
          socket.destroy();
        }
      });
      socket.on('error', reject);
    });
    assert.equal(reply, 408);
  });

  it('answers 400 to a request target URL parsing cannot read, and keeps serving', async () => {
    for (const target of ['//[', 'http://%zz/validate']) {
      const reply = await fixture.get(target);
      assert.equal(reply.status, 400, target);
      assert.match(reply.body, /invalid request target/);
    }
    assert.equal((await fixture.get('/healthz')).status, 200);
  });

  it('serves /healthz and /readyz', async () => {
    assert.equal((await fixture.get('/healthz')).status, 200);
    assert.equal((await fixture.get('/readyz')).status, 200);
  });

  it('accepts TLS 1.2 and refuses TLS 1.1', async () => {
    const protocol = await new Promise<string | null>((resolve, reject) => {
      const socket = connect(
        {
          host: '127.0.0.1',
          port: fixture.server.port,
          ca: fixture.ca,
          servername: 'localhost',
          maxVersion: 'TLSv1.2',
        },
        () => {
          resolve(socket.getProtocol());
          socket.destroy();
        },
      );
      socket.on('error', reject);
    });
    assert.equal(protocol, 'TLSv1.2');
    const error = await new Promise<Error | undefined>((resolve) => {
      const socket = connect({
        host: '127.0.0.1',
        port: fixture.server.port,
        ca: fixture.ca,
        servername: 'localhost',
        maxVersion: 'TLSv1.1',
        minVersion: 'TLSv1',
      });
      socket.on('secureConnect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.on('error', resolve);
    });
    assert.ok(error, 'a TLS 1.1 handshake succeeded');
  });

  it('reloads a rotated certificate without a restart', async () => {
    const before = await peerCertificate(fixture);
    await writeWebhookCerts({
      directory: fixture.dir,
      service: 'palisade-webhook',
      namespace: 'palisade',
      extraNames: ['localhost'],
      days: 7,
      now: new Date(),
      reuseCa: true,
    });
    await fixture.server.credentials.checkNow();
    const afterRotation = await peerCertificate(fixture);
    assert.notEqual(afterRotation.serialNumber, before.serialNumber);
    assert.equal(fixture.server.credentials.reloads, 1);
    // A key that does not match the certificate keeps the current pair serving.
    await writeFile(
      join(fixture.dir, CERT_FILES.key),
      (await import('node:crypto'))
        .generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    await fixture.server.credentials.checkNow();
    assert.equal((await peerCertificate(fixture)).serialNumber, afterRotation.serialNumber);
    assert.equal(fixture.server.metrics.reloads.get({ what: 'certificate', result: 'error' }), 1);
  });
});

function peerCertificate(fixture: WebhookFixture): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port: fixture.server.port, ca: fixture.ca, servername: 'localhost' },
      () => {
        const raw = socket.getPeerCertificate().raw;
        socket.destroy();
        resolve(new X509Certificate(raw));
      },
    );
    socket.on('error', reject);
  });
}

describe('a plain pod mutated to pass restricted', () => {
  let fixture: WebhookFixture;
  before(async () => {
    fixture = await startFixture({
      policyText:
        'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ndefaults:\n  enforce: { level: restricted }\n' +
        'mutation:\n  rules: [seccomp-profile-required, privilege-escalation, capabilities-drop-all, run-as-non-root]\n',
    });
  });
  after(() => fixture?.close());

  it('is denied as it is, patched by /mutate, and the patched pod is admitted by /validate', async () => {
    const denied = JSON.parse((await fixture.post('/validate', JSON.stringify(podReview(plainPod())))).body);
    assert.equal(denied.response.allowed, false);
    assert.match(denied.response.status.message, /run-as-non-root/);
    const mutated = JSON.parse((await fixture.post('/mutate', JSON.stringify(podReview(plainPod())))).body);
    assert.equal(mutated.response.allowed, true);
    assert.equal(mutated.response.patchType, 'JSONPatch');
    const patch = JSON.parse(Buffer.from(mutated.response.patch, 'base64').toString('utf8'));
    const patched = applyPatch(plainPod(), patch);
    const admitted = JSON.parse((await fixture.post('/validate', JSON.stringify(podReview(patched)))).body);
    assert.equal(admitted.response.allowed, true, JSON.stringify(admitted.response.status));
    assert.deepEqual((patched.spec as { securityContext: unknown }).securityContext, {
      seccompProfile: { type: 'RuntimeDefault' },
      runAsNonRoot: true,
    });
  });
});

describe('policy hot reload', () => {
  const policy = (level: string) =>
    `apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ndefaults:\n  enforce: { level: ${level} }\n`;
  let fixture: WebhookFixture;
  before(async () => {
    fixture = await startFixture({ policyText: policy('privileged') });
  });
  after(() => fixture?.close());

  it('applies a changed policy file and keeps the last good one when the new one is invalid', async () => {
    const decide = async () =>
      JSON.parse((await fixture.post('/validate', JSON.stringify(podReview(privilegedPod())))).body).response
        .allowed;
    assert.equal(await decide(), true);
    await writeFile(join(fixture.dir, 'policy.yaml'), policy('baseline'));
    await fixture.server.policy.checkNow();
    assert.equal(await decide(), false);
    await writeFile(join(fixture.dir, 'policy.yaml'), `${policy('baseline')}tpyo: true\n`);
    await fixture.server.policy.checkNow();
    assert.equal(await decide(), false);
    assert.equal(fixture.server.metrics.reloads.get({ what: 'policy', result: 'error' }), 1);
  });

  it('never blocks on a policy file replaced by a FIFO: the last good policy stays, and the error is counted', {
    timeout: 20_000,
  }, async () => {
    const file = join(fixture.dir, 'policy.yaml');
    await writeFile(file, policy('baseline'));
    await fixture.server.policy.checkNow();
    const errors = () => fixture.server.metrics.reloads.get({ what: 'policy', result: 'error' });
    const before = errors();
    await rm(file);
    execFileSync('mkfifo', [file]);
    await fixture.server.policy.checkNow();
    assert.equal(errors(), before + 1);
    await rm(file);
    await writeFile(file, policy('baseline'));
  });

  it('does not load a policy file while it is still being written in place', async () => {
    const file = join(fixture.dir, 'policy.yaml');
    await writeFile(file, policy('baseline'));
    await fixture.server.policy.checkNow();
    // The first part of a longer policy parses on its own (restricted, without its images section); the rest
    // arrives within the settle time. Whenever the check's reads fall, the half-written file is never in force.
    const written = `${policy('restricted')}images:\n  disallowLatest: enforce\n`;
    await writeFile(file, written.slice(0, written.indexOf('images:')));
    const check = fixture.server.policy.checkNow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await writeFile(file, written);
    await check;
    const halfWritten = () => {
      const { policy: current } = fixture.server.policy.current;
      return current.defaults.enforce?.level === 'restricted' && current.images.disallowLatest === undefined;
    };
    assert.equal(halfWritten(), false);
    await fixture.server.policy.checkNow();
    assert.equal(fixture.server.policy.current.policy.images.disallowLatest, 'enforce');
  });
});

describe('failure modes', () => {
  const exploding: Rule = defineRule({
    id: 'exploding-rule',
    title: 'Throws',
    severity: 'high',
    domain: 'workload',
    kinds: ['Pod'],
    phase: 'deploy',
    layer: 'container',
    frameworks: {},
    description: 'A rule that throws, standing for a bug.',
    remediation: 'None.',
    references: [],
    examples: { pass: [], fail: [plainPod()] },
    check: () => {
      throw new Error('boom');
    },
  });
  const policyText =
    'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ndefaults:\n  enforce: { rules: [exploding-rule] }\nmutation: { rules: [] }\n';

  for (const mode of ['allow', 'deny'] as const)
    it(`answers a rule that throws by failure mode ${mode}`, async () => {
      const fixture = await startFixture({
        policyText,
        failureMode: mode,
        rules: [...builtinRules, exploding],
      });
      try {
        const reply = await fixture.post('/validate', JSON.stringify(podReview(plainPod())));
        assert.equal(reply.status, 200);
        const answer = JSON.parse(reply.body).response;
        assert.equal(answer.allowed, mode === 'allow');
        if (mode === 'deny') assert.equal(answer.status.code, 500);
        else assert.match(answer.warnings.join(' '), /could not evaluate rule\(s\) exploding-rule/);
      } finally {
        await fixture.close();
      }
    });
});
