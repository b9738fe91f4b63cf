// Secret values never reach alerts: Secret data (request, response, lists, patches), container env values and
// credentials in JSON documents inside ConfigMaps are masked in the view alert output is rendered from, while
// conditions still see the event as it arrived (the Falco oracle depends on it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert } from '../../src/detect/alert.ts';
import type { AuditEvent } from '../../src/detect/audit-event.ts';
import { DetectionEngine } from '../../src/detect/engine.ts';
import { fieldByName } from '../../src/detect/fields/field-table.ts';
import { redactedEvent } from '../../src/detect/redact-event.ts';
import { formatProblem } from '../../src/detect/rules/load-problem.ts';
import { loadRulesTexts } from '../../src/detect/rules/load-rules.ts';
import { maskSecrets } from '../../src/detect/secret-mask.ts';
import { NO_FACTS } from '../../src/detect/state/event-facts.ts';

const RULES = `
- rule: Any write
  desc: x
  condition: ka.verb in (create, update, patch, get)
  output: >
    created data=%jevt.value[/requestObject/data] sd=%jevt.value[/requestObject/stringData]
    resp=%jevt.value[/responseObject] env=%jevt.value[/requestObject/spec/containers/0/env]
    tpl=%jevt.value[/requestObject/spec/template/spec/containers] cm=%ka.req.configmap.obj
    all=%jevt.obj patch=%jevt.value[/requestObject]
  priority: WARNING
  source: k8s_audit
- rule: Secret value seen by condition
  desc: conditions see the event unmasked
  condition: ka.target.resource = secrets and jevt.value[/requestObject/data/token] = "c2VjcmV0LXZhbHVl"
  output: matched on the raw value (data=%jevt.value[/requestObject/data])
  priority: NOTICE
  source: k8s_audit
`;

const SECRET_VALUES = [
  'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t',
  'eyJhdXRocyI6eyJyZWcuaW8iOnsiYXV0aCI6ImRYTmxjanB3WVhOeiJ9fX0=',
  'cG9zdGdyZXM6Ly91OnB3QGg=',
  'c2VjcmV0LXZhbHVl',
  'plain-string-data-value',
  'hunter2hunter2',
  's3cr3tvalue',
  'last-applied-leak',
  'patched-value-xyz',
  'listed-item-value',
  'tpl-env-value',
  'annotated-env-value',
  'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY',
  'yaml-quoted-secret',
  'xml-secret-value',
  'single-quoted-secret',
  'array-secret-value',
  'name-value-secret',
  'table-row-secret',
  'patched-env-secret',
  'replaced-env-secret',
  'list-env-secret',
];

function event(id: string, resource: string, verb: string, extra: Record<string, unknown>): AuditEvent {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: id,
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/default/${resource}`,
    verb,
    user: { username: 'alice' },
    objectRef: { resource, namespace: 'default', name: 'x', apiVersion: 'v1' },
    responseStatus: { code: 200 },
    stageTimestamp: '2026-11-22T20:00:00.100000Z',
    ...extra,
  };
}

const EVENTS: AuditEvent[] = [
  event('s1', 'secrets', 'create', {
    requestObject: {
      kind: 'Secret',
      metadata: {
        name: 's',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"k":"last-applied-leak"}}',
        },
      },
      data: {
        'tls.key': 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t',
        '.dockerconfigjson': 'eyJhdXRocyI6eyJyZWcuaW8iOnsiYXV0aCI6ImRYTmxjanB3WVhOeiJ9fX0=',
        DATABASE_URL: 'cG9zdGdyZXM6Ly91OnB3QGg=',
        token: 'c2VjcmV0LXZhbHVl',
      },
      stringData: { note: 'plain-string-data-value' },
    },
    responseObject: { kind: 'Secret', data: { DATABASE_URL: 'cG9zdGdyZXM6Ly91OnB3QGg=' } },
  }),
  event('s2', 'secrets', 'get', {
    responseObject: { kind: 'SecretList', items: [{ kind: 'Secret', data: { a: 'listed-item-value' } }] },
  }),
  event('s3', 'secrets', 'patch', {
    requestObject: [{ op: 'replace', path: '/data/a', value: 'patched-value-xyz' }],
  }),
  event('p1', 'pods', 'create', {
    requestObject: {
      kind: 'Pod',
      spec: {
        containers: [
          {
            name: 'c',
            image: 'nginx',
            env: [
              { name: 'DB_PASSWORD', value: 'hunter2hunter2' },
              { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
            ],
          },
        ],
      },
    },
  }),
  event('d1', 'deployments', 'create', {
    requestObject: {
      kind: 'Deployment',
      metadata: {
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
            spec: {
              template: { spec: { containers: [{ env: [{ name: 'Y', value: 'annotated-env-value' }] }] } },
            },
          }),
        },
      },
      spec: {
        template: { spec: { containers: [{ name: 'c', env: [{ name: 'X', value: 'tpl-env-value' }] }] } },
      },
    },
  }),
  event('c1', 'configmaps', 'create', {
    requestObject: {
      kind: 'ConfigMap',
      data: {
        'application.properties': 'spring.datasource.password=hunter2hunter2\n',
        'db.json': '{"password": "s3cr3tvalue", "host": "db"}',
      },
    },
  }),
  // Credentials in ConfigMap files that are not JSON, and JSON that hides them in lists.
  event('c2', 'configmaps', 'create', {
    requestObject: {
      kind: 'ConfigMap',
      data: {
        'aws.ini':
          '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n',
        'app.yaml': 'db:\n  password: "yaml-quoted-secret"\n  host: db\n',
        'settings.xml': '<settings><server><password>xml-secret-value</password></server></settings>',
        'run.sh': "exec app --db-password='single-quoted-secret'",
        'list.json': '{"password": ["array-secret-value"]}',
        'env.json': '[{"name": "password", "value": "name-value-secret"}]',
      },
    },
  }),
  // kubectl get secrets as a Table: each row carries the object.
  event('s4', 'secrets', 'get', {
    responseObject: {
      kind: 'Table',
      rows: [{ cells: ['x', 'Opaque', 1], object: { kind: 'Secret', data: { a: 'table-row-secret' } } }],
    },
  }),
  // Env values set through a JSON patch: an entry, one value, a whole list.
  event('p2', 'pods', 'patch', {
    requestObject: [
      { op: 'add', path: '/spec/containers/0/env/-', value: { name: 'X', value: 'patched-env-secret' } },
      { op: 'replace', path: '/spec/containers/0/env/0/value', value: 'replaced-env-secret' },
      { op: 'add', path: '/spec/containers/1/env', value: [{ name: 'Y', value: 'list-env-secret' }] },
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' },
    ],
  }),
];

function run(): Alert[] {
  const loaded = loadRulesTexts([{ text: RULES, file: 'rules.yaml' }], 'all');
  assert.deepEqual(loaded.problems.map(formatProblem), []);
  const engine = new DetectionEngine({ rulesets: [loaded.ruleset] });
  const alerts = EVENTS.flatMap((e) => engine.process(e));
  assert.equal(engine.stats.ruleErrors, 0);
  return alerts;
}

describe('secret values in alerts', () => {
  it('never appear in alert output or output fields', () => {
    const text = JSON.stringify(run());
    for (const value of SECRET_VALUES) assert.ok(!text.includes(value), `${value} leaked: ${text}`);
  });

  it('keeps keys, valueFrom references and non-secret values', () => {
    const alerts = run();
    const secret = alerts.find((a) => a.output_fields['ka.auditid'] === 's1' && a.rule === 'Any write');
    assert.ok(secret);
    assert.equal(
      secret.output_fields['jevt.value[/requestObject/data]'],
      '{"tls.key":"***",".dockerconfigjson":"***","DATABASE_URL":"***","token":"***"}',
    );
    const pod = alerts.find((a) => a.output_fields['ka.auditid'] === 'p1');
    assert.equal(
      pod?.output_fields['jevt.value[/requestObject/spec/containers/0/env]'],
      '[{"name":"DB_PASSWORD","value":"***"},{"name":"FROM_SECRET","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}]',
    );
    const configmap = alerts.find((a) => a.output_fields['ka.auditid'] === 'c1');
    assert.match(String(configmap?.output_fields['ka.req.configmap.obj']), /\\"host\\":\\"db\\"/);
  });

  it('conditions still see the unmasked event (rules fire as in Falco)', () => {
    const fired = run().filter((a) => a.rule === 'Secret value seen by condition');
    assert.equal(fired.length, 1);
    assert.ok(!fired[0]!.output.includes('c2VjcmV0LXZhbHVl'));
  });

  it('masks the bearer token a TokenRequest issues and the one a TokenReview checks', () => {
    const issued = event('t1', 'serviceaccounts', 'create', {
      objectRef: {
        resource: 'serviceaccounts',
        subresource: 'token',
        namespace: 'default',
        name: 'x',
        apiVersion: 'v1',
      },
      responseObject: {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3600 },
        status: {
          token: 'eyJhbGciOiJSUzI1NiJ9.ISSUED-TOKEN.sig',
          expirationTimestamp: '2026-11-22T21:00:00Z',
        },
      },
    });
    const review = event('t2', 'tokenreviews', 'create', {
      objectRef: { resource: 'tokenreviews', apiGroup: 'authentication.k8s.io', apiVersion: 'v1' },
      requestObject: { kind: 'TokenReview', spec: { token: 'eyJhbGciOiJSUzI1NiJ9.REVIEWED-TOKEN.sig' } },
    });
    const issuedView = redactedEvent(issued) as unknown as {
      responseObject: { status: Record<string, unknown>; spec: unknown };
    };
    assert.deepEqual(issuedView.responseObject.status, {
      token: '***',
      expirationTimestamp: '2026-11-22T21:00:00Z',
    });
    assert.deepEqual(issuedView.responseObject.spec, {
      audiences: ['https://kubernetes.default.svc'],
      expirationSeconds: 3600,
    });
    const reviewView = redactedEvent(review) as unknown as {
      requestObject: { spec: Record<string, unknown> };
    };
    assert.deepEqual(reviewView.requestObject.spec, { token: '***' });
    assert.ok(!JSON.stringify(issued).includes('***'), 'the event itself is untouched');
  });

  it('the masked view shares unmasked parts and leaves the event untouched', () => {
    const original = EVENTS[0]!;
    const before = JSON.stringify(original);
    const view = redactedEvent(original);
    assert.equal(JSON.stringify(original), before);
    assert.equal(view.user, original.user);
    const plain = event('n1', 'namespaces', 'create', { requestObject: { kind: 'Namespace' } });
    assert.equal(redactedEvent(plain), plain);
  });

  it('ka.req.configmap.obj is not available for resources other than configmaps', () => {
    const field = fieldByName('ka.req.configmap.obj');
    assert.ok(field);
    assert.equal(field.extract({ event: EVENTS[0]!, facts: NO_FACTS }, undefined), undefined);
    assert.equal(
      field.extract({ event: EVENTS[5]!, facts: NO_FACTS }, undefined),
      JSON.stringify((EVENTS[5]!.requestObject as { data: unknown }).data),
    );
  });

  it('keeps what is not a credential next to what is', () => {
    const alerts = run();
    const configmap = alerts.find((a) => a.output_fields['ka.auditid'] === 'c2');
    assert.match(String(configmap?.output_fields['ka.req.configmap.obj']), /host: db/);
    const patch = alerts.find((a) => a.output_fields['ka.auditid'] === 'p2');
    assert.match(String(patch?.output_fields['jevt.value[/requestObject]']), /nginx:1\.27/);
  });

  it('text masking ends a bare value at a backslash, so an escaped line break does not hide the next key', () => {
    assert.equal(
      maskSecrets(
        '{"aws.ini":"aws_access_key_id = AKIAIOSFODNN7EXAMPLE\\naws_secret_access_key = wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"}',
      ),
      '{"aws.ini":"aws_access_key_id=***\\naws_secret_access_key=***"}',
    );
    assert.equal(maskSecrets('{"app.yaml":"password: \\"hunter2\\""}'), '{"app.yaml":"password=***"}');
    assert.equal(maskSecrets("password='x y' next=1"), 'password=*** next=1');
    assert.equal(maskSecrets('<db.password>pw</db.password>'), '<db.password>***</db.password>');
  });

  it('every masking knows the same credential words: private keys and credentials in free text and XML too', () => {
    assert.equal(maskSecrets('private_key=abc123 credential: s3cr3t'), 'private_key=*** credential=***');
    assert.equal(maskSecrets('<privateKey>k</privateKey>'), '<privateKey>***</privateKey>');
    assert.equal(
      maskSecrets('<client-key-data>LS0t</client-key-data>'),
      '<client-key-data>***</client-key-data>',
    );
    // `auth` marks JSON keys only: in free text it would hit author and oauth-url.
    assert.equal(
      maskSecrets('author=kim oauth-url=https://example.com'),
      'author=kim oauth-url=https://example.com',
    );
    assert.equal(maskSecrets('{"auth":"dXNlcjpwdw=="}'), '{"auth":"***"}');
  });

  it('text masking stays linear on hostile text (ConfigMap data is user input)', { timeout: 20_000 }, () => {
    // Each of these took quadratic time with one expression per pattern: about 1 s at 64 KB, minutes at 1 MB.
    const size = 1_000_000;
    const hostile = [
      'a-'.repeat(size / 4) + 'password' + 'b'.repeat(size / 2),
      'password'.repeat(size / 8),
      `<${'password'.repeat(size / 8)}`,
      '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(size / 32),
    ];
    for (const text of hostile) assert.equal(typeof maskSecrets(text), 'string');
    assert.equal(maskSecrets(`${'a-'.repeat(1000)}password = x`), `${'a-'.repeat(1000)}password=***`);
  });

  it('text masking catches env pairs and JSON nested in JSON strings', () => {
    assert.equal(
      maskSecrets('[{"name":"DB_PASSWORD","value":"hunter2hunter2"}]'),
      '[{"name":"DB_PASSWORD","value":"***"}]',
    );
    assert.equal(
      maskSecrets('{"db.json":"{\\"password\\": \\"s3cr3tvalue\\"}"}'),
      '{"db.json":"{\\"password\\":\\"***\\"}"}',
    );
  });
});
