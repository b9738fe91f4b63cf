import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compilePolicy as compile,
  podObject as pod,
  admissionRequest as request,
} from '../../test/admission/review-fixtures.ts';
import type { PostureFinding } from '../core/finding.ts';
import type { Rule } from '../core/rule.ts';
import { findingsByRule, validateRequest } from './validation-decision.ts';

const NOW = new Date('2026-11-22T12:00:00Z');

const privileged = pod({
  containers: [{ name: 'app', image: 'r.example/a:1', securityContext: { privileged: true } }],
});
const baseline = compile(
  'defaults:\n  enforce: { level: baseline }\n  warn: { level: restricted }\n  audit: { rules: [image-latest-tag] }\n',
);

describe('validateRequest', () => {
  it('denies with 403 naming rule, container and field; warns (when it allows) and audits in their modes', () => {
    const latest = pod({
      containers: [{ name: 'app', image: 'nginx:latest', securityContext: { privileged: true } }],
    });
    const decision = validateRequest(request(latest), { policy: baseline, now: NOW });
    assert.equal(decision.response.allowed, false);
    assert.equal(decision.response.status?.code, 403);
    assert.match(
      decision.response.status?.message ?? '',
      /privileged-container: .*container "app".*\(spec\.containers\[0\]\.securityContext\.privileged\)/,
    );
    // Denied: no warnings, as Pod Security Admission adds none to a request it rejects; the annotation keeps them.
    assert.equal(decision.response.warnings, undefined);
    assert.match(decision.response.auditAnnotations?.['warn-violations'] ?? '', /run-as-non-root\(app\)/);
    assert.equal(decision.response.auditAnnotations?.['audit-violations'], 'image-latest-tag(app)');
    // Allowed: the same warn-mode findings are warnings.
    const unprivileged = pod({ containers: [{ name: 'app', image: 'nginx:latest' }] });
    const allowed = validateRequest(request(unprivileged), { policy: baseline, now: NOW });
    assert.equal(allowed.response.allowed, true);
    assert.ok((allowed.response.warnings ?? []).some((warning) => warning.startsWith('run-as-non-root: ')));
    for (const warning of allowed.response.warnings ?? []) assert.ok(warning.length <= 120, warning);
  });

  it('names an object whose metadata.name is a hostile mapping without converting it, and still denies it', () => {
    const hostile = pod(
      { containers: [{ name: 'app', image: 'r.example/a:1', securityContext: { privileged: true } }] },
      { name: { toString: 0 } },
    );
    const review = request(hostile);
    delete review.name;
    const decision = validateRequest(review, { policy: baseline, now: NOW });
    assert.equal(decision.outcome, 'denied');
    assert.match(decision.response.status?.message ?? '', /^Pod "\*" in namespace .* is forbidden/);
  });

  it('warnings are one printable line each: control characters from the object become spaces, the rest is kept', () => {
    const warnImage = compile(
      'defaults:\n  warn: { rules: [image-not-pinned-by-digest, run-as-non-root] }\n',
    );
    const escaped = pod({ containers: [{ name: 'app', image: 'evil\u001b[31m\u0007x:latest' }] });
    const warnings =
      validateRequest(request(escaped), { policy: warnImage, now: NOW }).response.warnings ?? [];
    assert.equal(warnings.length, 2);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not be there
    for (const warning of warnings) assert.doesNotMatch(warning, /[\u0000-\u001f\u007f]/);
    assert.ok(
      warnings.some((warning) => warning.includes('"evil [31m x:latest"')),
      warnings.join(' | '),
    );
    assert.ok(warnings.some((warning) => warning.startsWith('run-as-non-root: ')));
  });

  it('a rule warned and audited at one version is evaluated once and reported in both (the default policy)', () => {
    const defaults = compile(
      'defaults:\n  enforce: { level: baseline }\n  warn: { level: restricted }\n  audit: { level: restricted }\n',
    );
    const plain = pod({ containers: [{ name: 'app', image: 'r.example/a:1' }] });
    const decision = validateRequest(request(plain), { policy: defaults, now: NOW });
    assert.equal(decision.response.allowed, true);
    assert.ok((decision.response.warnings ?? []).some((warning) => warning.startsWith('run-as-non-root: ')));
    // Pod Security Admission annotates audit violations whatever it warns: the annotation is not left out.
    assert.match(decision.response.auditAnnotations?.['audit-violations'] ?? '', /run-as-non-root\(app\)/);
    assert.equal(
      decision.response.auditAnnotations?.['audit-violations'],
      decision.response.auditAnnotations?.['warn-violations'],
    );
  });

  it("runs a rule in each mode at that mode's version: a check newer than the enforce pin still warns", () => {
    // gatekeeper-system's labels on the recorded cluster: enforce restricted at v1.24, warn restricted at latest.
    const pinned = compile(
      'defaults:\n  enforce: { level: restricted, version: v1.24 }\n  warn: { level: restricted }\n',
    );
    const probeHost = pod({
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image: 'r.example/a:1',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          // The probe-host check exists from v1.34 on.
          livenessProbe: { httpGet: { host: '10.0.0.1', port: 8080, path: '/' } },
        },
      ],
    });
    const decision = validateRequest(request(probeHost), { policy: pinned, now: NOW });
    assert.equal(decision.response.allowed, true);
    assert.ok(
      (decision.response.warnings ?? []).some((warning) => warning.startsWith('host-probes-lifecycle: ')),
      JSON.stringify(decision.response.warnings),
    );
  });

  it('denies a malformed digest where digests are required: it pins nothing', () => {
    const policy = compile('images:\n  requireDigest: { namespaces: [team] }\n');
    const image = (reference: string) => request(pod({ containers: [{ name: 'app', image: reference }] }));
    const malformed = validateRequest(image('nginx:1.0@sha256:abc'), { policy, now: NOW });
    assert.equal(malformed.response.allowed, false);
    assert.match(
      malformed.response.status?.message ?? '',
      /image-not-pinned-by-digest: .*"sha256:abc" is malformed/,
    );
    const pinned = validateRequest(image(`nginx:1.0@sha256:${'0'.repeat(64)}`), { policy, now: NOW });
    assert.equal(pinned.response.allowed, true);
  });

  it('keeps warnings within 120 characters even with very long container names', () => {
    const name = 'c'.repeat(200);
    const decision = validateRequest(request(pod({ containers: [{ name, image: 'r.example/a:1' }] })), {
      policy: baseline,
      now: NOW,
    });
    assert.ok((decision.response.warnings ?? []).length > 0);
    for (const warning of decision.response.warnings ?? []) assert.ok([...warning].length <= 120, warning);
  });

  it('shows at most 20 warnings, the last one counting the rest', () => {
    const containers = Array.from({ length: 30 }, (_, index) => ({
      name: `c${index}`,
      image: 'r.example/a:1',
    }));
    const policy = compile('defaults:\n  warn: { rules: [run-as-non-root] }\n');
    const warnings =
      validateRequest(request(pod({ containers })), { policy, now: NOW }).response.warnings ?? [];
    assert.equal(warnings.length, 20);
    assert.equal(warnings[19], '...and 11 more');
    assert.match(warnings[0] ?? '', /^run-as-non-root: .*"c0"/);
  });

  it('does not let the submitted object exempt itself with palisade.dev/ignore', () => {
    const annotated = pod(privileged.spec as Record<string, unknown>, {
      annotations: {
        'palisade.dev/ignore': 'privileged-container',
        'palisade.dev/ignore-reason': 'trust me',
      },
    });
    assert.equal(validateRequest(request(annotated), { policy: baseline, now: NOW }).response.allowed, false);
  });

  it('exempts by namespace, username and RuntimeClass', () => {
    const policy = compile(
      'defaults:\n  enforce: { level: baseline }\nexemptions:\n  namespaces: ["sys-*"]\n  usernames: [break-glass]\n  runtimeClasses: [kata]\n',
    );
    const inSystem = pod(privileged.spec as Record<string, unknown>, { namespace: 'sys-tools' });
    assert.equal(validateRequest(request(inSystem), { policy, now: NOW }).skipReason, 'exempt-namespace');
    const byUser = request(privileged, { userInfo: { username: 'break-glass', groups: [] } });
    assert.equal(validateRequest(byUser, { policy, now: NOW }).skipReason, 'exempt-user');
    const kata = pod({ ...(privileged.spec as Record<string, unknown>), runtimeClassName: 'kata' });
    assert.equal(validateRequest(request(kata), { policy, now: NOW }).skipReason, 'exempt-runtime-class');
    assert.equal(validateRequest(request(privileged), { policy, now: NOW }).response.allowed, false);
  });

  it('honours Pod Security namespace labels only when asked, and fails closed on an invalid level', () => {
    const plain = pod({ containers: [{ name: 'app', image: 'r.example/a:1' }] });
    const labels = () => ({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const ignoring = compile('defaults:\n  enforce: { level: baseline }\n');
    assert.equal(
      validateRequest(request(plain), { policy: ignoring, now: NOW, namespaceLabels: labels }).response
        .allowed,
      true,
    );
    const honouring = compile('defaults:\n  enforce: { level: baseline }\nnamespaceLabels: true\n');
    assert.equal(
      validateRequest(request(plain), { policy: honouring, now: NOW, namespaceLabels: labels }).response
        .allowed,
      false,
    );
    const invalid = validateRequest(request(plain), {
      policy: honouring,
      now: NOW,
      namespaceLabels: () => ({ 'pod-security.kubernetes.io/enforce': 'strict' }),
    });
    assert.equal(invalid.response.allowed, false);
    assert.ok(invalid.response.warnings?.some((warning) => warning.includes('is invalid; using restricted')));
  });

  it('lets metadata, tolerations and activeDeadlineSeconds updates through, but not seccomp annotation changes', () => {
    const old = privileged;
    const relabelled = pod(
      { ...(old.spec as Record<string, unknown>), tolerations: [{ key: 'x', operator: 'Exists' }] },
      { labels: { a: 'b' } },
    );
    const update = request(relabelled, { operation: 'UPDATE', oldObject: old });
    assert.equal(validateRequest(update, { policy: baseline, now: NOW }).skipReason, 'metadata-only-update');
    const annotated = pod(old.spec as Record<string, unknown>, {
      annotations: { 'container.seccomp.security.alpha.kubernetes.io/app': 'unconfined' },
    });
    const significant = request(annotated, { operation: 'UPDATE', oldObject: old });
    assert.equal(validateRequest(significant, { policy: baseline, now: NOW }).outcome, 'denied');
  });

  it('does not evaluate DELETE, CONNECT or the scale subresource', () => {
    const remove = request(privileged, { operation: 'DELETE', oldObject: privileged });
    delete remove.object;
    assert.equal(validateRequest(remove, { policy: baseline, now: NOW }).skipReason, 'delete');
    const scale = request(privileged, { operation: 'UPDATE', oldObject: privileged, subResource: 'scale' });
    assert.equal(validateRequest(scale, { policy: baseline, now: NOW }).skipReason, 'subresource');
  });
});

describe('findingsByRule', () => {
  const rule = (id: string) => ({ id }) as Rule;
  const finding = (ruleId: string, message: string) => ({ ruleId, message }) as PostureFinding;
  it('splits findings reported rule by rule, and groups them by id when they come in another order', () => {
    const rules = [rule('a'), rule('b'), rule('c')];
    const inOrder = [finding('a', '1'), finding('a', '2'), finding('c', '3')];
    assert.deepEqual(
      findingsByRule(rules, inOrder).map((list) => list.map((f) => f.message)),
      [['1', '2'], [], ['3']],
    );
    const shuffled = [finding('c', '3'), finding('a', '1'), finding('b', '4'), finding('a', '2')];
    assert.deepEqual(
      findingsByRule(rules, shuffled).map((list) => list.map((f) => f.message)),
      [['1', '2'], ['4'], ['3']],
    );
  });
});
