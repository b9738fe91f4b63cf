// ConfigMap binaryData in alerts: its base64 hides credentials from the text masking, so the masked view decodes
// it, masks credentials as in `data` and encodes it again (bytes that are not text are masked whole), in requests,
// responses, lists, JSON patches and the last-applied annotation; the detection still reads the decoded original.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEvent } from '../../src/detect/audit-event.ts';
import { loadBuiltinRuleset } from '../../src/detect/builtin/builtin-ruleset.ts';
import { DetectionEngine } from '../../src/detect/engine.ts';
import { redactedEvent } from '../../src/detect/redact-event.ts';
import { formatProblem } from '../../src/detect/rules/load-problem.ts';
import { loadRulesTexts } from '../../src/detect/rules/load-rules.ts';
import { auditEvent } from './fixtures/events.ts';

const DUMP_RULE = `
- rule: Dump
  desc: every field that can carry the object
  condition: ka.target.resource = configmaps
  output: "obj=%jevt.obj req=%jevt.value[/requestObject] resp=%json.value[/responseObject] info=%evt.plugininfo cm=%ka.req.configmap.obj"
  priority: WARNING
  source: k8s_audit
`;

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const JSON_CREDENTIAL = '{"aws_secret_access_key":"BINDATASECRET11"}';
const INI_CREDENTIAL = '[db]\npassword = BINDATAINI12\n';
const HARMLESS = 'log.level = debug\n';
// A DER private key starts like this: bytes no text masking can read.
const DER_KEY = Buffer.from([
  0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00, 0xc3,
]).toString('base64');
const SECRETS = ['BINDATASECRET11', 'BINDATAINI12'];

function configMapWrite(verb: string, requestObject: unknown, responseObject?: unknown): AuditEvent {
  return auditEvent({
    verb,
    requestURI: '/api/v1/namespaces/prod/configmaps/app',
    objectRef: { resource: 'configmaps', namespace: 'prod', name: 'app', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
    requestObject,
    ...(responseObject === undefined ? {} : { responseObject }),
  });
}

const configMap = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: { name: 'app' },
  binaryData: { creds: base64(JSON_CREDENTIAL), ini: base64(INI_CREDENTIAL), plain: base64(HARMLESS) },
};
const applied = {
  ...configMap,
  metadata: {
    name: 'app',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(configMap) },
  },
};

const EVENTS = [
  configMapWrite('create', configMap, configMap),
  configMapWrite('update', applied),
  configMapWrite('list', undefined, { kind: 'ConfigMapList', items: [configMap] }),
  configMapWrite('patch', [
    { op: 'add', path: '/binaryData/creds', value: base64(JSON_CREDENTIAL) },
    { op: 'replace', path: '/binaryData', value: { ini: base64(INI_CREDENTIAL) } },
  ]),
  // The whole annotations map at once, kubectl's copy of the object inside it.
  configMapWrite('patch', [
    { op: 'add', path: '/metadata/annotations', value: applied.metadata.annotations },
  ]),
];

/** Every base64-looking run of the text, decoded, next to the text itself. */
function withDecoded(text: string): string {
  const runs = text.match(/[A-Za-z0-9+/]{16,}={0,2}/g) ?? [];
  return [text, ...runs.map((run) => Buffer.from(run, 'base64').toString('utf8'))].join('\n');
}

describe('ConfigMap binaryData in alerts', () => {
  it('never shows a credential, encoded or decoded, in any output field', () => {
    const loaded = loadRulesTexts([{ text: DUMP_RULE, file: 'rules.yaml' }], 'all');
    assert.deepEqual(loaded.problems.map(formatProblem), []);
    const engine = new DetectionEngine({ rulesets: [loaded.ruleset] });
    for (const event of EVENTS) {
      const alerts = engine.process(event);
      assert.equal(alerts.length, 1);
      const shown = withDecoded(JSON.stringify(alerts));
      for (const secret of SECRETS) assert.ok(!shown.includes(secret), `${secret} leaked for ${event.verb}`);
    }
  });

  it('keeps base64 that holds no credential, re-encodes masked text, masks bytes that are not text', () => {
    const view = redactedEvent(
      configMapWrite('create', { ...configMap, binaryData: { ...configMap.binaryData, key: DER_KEY } }),
    );
    const binaryData = (view.requestObject as { binaryData: Record<string, string> }).binaryData;
    assert.equal(binaryData.plain, base64(HARMLESS));
    assert.equal(
      Buffer.from(binaryData.creds ?? '', 'base64').toString('utf8'),
      '{"aws_secret_access_key":"***"}',
    );
    assert.match(
      Buffer.from(binaryData.ini ?? '', 'base64').toString('utf8'),
      /^\[db\]\npassword ?= ?\*\*\*\n$/,
    );
    assert.equal(binaryData.key, '***');
  });

  it('still detects the credential, which conditions read from the event as it arrived', () => {
    const engine = new DetectionEngine({ rulesets: [loadBuiltinRuleset().ruleset] });
    const alerts = engine.process(configMapWrite('create', configMap));
    assert.ok(alerts.some((alert) => alert.rule === 'ConfigMap With Credentials'));
  });
});

describe('ConfigMap data values in alerts', () => {
  const KUBECONFIG_KEY = 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBN0ZBS0UK';
  const data = {
    'db.properties': 'db.user=app\ndb.password=correct horse battery staple\n',
    'application.yaml':
      'spring:\n  datasource:\n    username: app\n    password: |\n      S3cr3t-Block-Value\n      second-line-too\n    url: jdbc:x\n',
    kubeconfig: `apiVersion: v1\nusers:\n- name: ci\n  user:\n    client-key-data: ${KUBECONFIG_KEY}\n    client-certificate-data: CERTDATA1234567890\n    token: kubeconfigTokenValue99\n`,
    password: 'hunter2',
  };
  const LEAKS = [
    'horse',
    'battery',
    'staple',
    'S3cr3t-Block-Value',
    'second-line-too',
    KUBECONFIG_KEY,
    'CERTDATA1234567890',
    'kubeconfigTokenValue99',
    'hunter2',
  ];

  it('masks whole property values, YAML block scalars, kubeconfig credentials and values under credential keys', () => {
    const loaded = loadRulesTexts([{ text: DUMP_RULE, file: 'rules.yaml' }], 'all');
    const engine = new DetectionEngine({ rulesets: [loaded.ruleset] });
    for (const event of [
      configMapWrite('create', { kind: 'ConfigMap', metadata: { name: 'app' }, data }),
      configMapWrite('patch', [
        { op: 'add', path: '/data/password', value: 'hunter2' },
        { op: 'add', path: '/data/db.properties', value: data['db.properties'] },
        { op: 'add', path: '/data/application.yaml', value: data['application.yaml'] },
        { op: 'add', path: '/data/kubeconfig', value: data.kubeconfig },
      ]),
    ]) {
      const shown = JSON.stringify(engine.process(event));
      for (const secret of LEAKS) assert.ok(!shown.includes(secret), `${secret} leaked for ${event.verb}`);
    }
    const view = redactedEvent(configMapWrite('create', { kind: 'ConfigMap', data }));
    const masked = (view.requestObject as { data: Record<string, string> }).data;
    // What is not a credential stays readable.
    assert.match(masked['db.properties'] ?? '', /db\.user=app/);
    assert.match(masked['application.yaml'] ?? '', /username: app[\s\S]*url: jdbc:x/);
    assert.equal(masked.password, '***');
  });
});
