// The field table: every field declared once with documentation; docs/detect-fields.md generated from it;
// extraction from v1 and v1beta1 events as Falco's k8saudit plugin documents it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { FieldValue } from '../../src/detect/field-value.ts';
import { FIELD_TABLE, fieldByName, renderFieldDocs } from '../../src/detect/fields/field-table.ts';
import { NO_FACTS } from '../../src/detect/state/event-facts.ts';
import { auditEvent, podCreate } from './fixtures/events.ts';

function extract(name: string, event: ReturnType<typeof auditEvent>, arg?: string): FieldValue {
  const field = fieldByName(name);
  assert.ok(field, name);
  return field.extract({ event, facts: NO_FACTS }, arg);
}

describe('field table', () => {
  it('declares each field once, with a description', () => {
    const names = FIELD_TABLE.map((field) => field.name);
    assert.equal(new Set(names).size, names.length);
    for (const field of FIELD_TABLE) assert.ok(field.doc.length > 10, field.name);
  });

  it('covers every field of the k8saudit plugin and the json plugin', () => {
    const falco = [
      'ka.auditid',
      'ka.stage',
      'ka.auth.decision',
      'ka.auth.reason',
      'ka.user.name',
      'ka.user.groups',
      'ka.impuser.name',
      'ka.verb',
      'ka.uri',
      'ka.uri.param',
      'ka.target.name',
      'ka.target.namespace',
      'ka.target.resource',
      'ka.target.subresource',
      'ka.req.binding.subjects',
      'ka.req.binding.role',
      'ka.req.binding.subject.has_name',
      'ka.req.configmap.name',
      'ka.req.configmap.obj',
      'ka.req.pod.containers.image',
      'ka.req.container.image',
      'ka.req.pod.containers.image.repository',
      'ka.req.container.image.repository',
      'ka.req.pod.host_ipc',
      'ka.req.pod.host_network',
      'ka.req.container.host_network',
      'ka.req.pod.host_pid',
      'ka.req.pod.containers.host_port',
      'ka.req.pod.containers.privileged',
      'ka.req.container.privileged',
      'ka.req.pod.containers.allow_privilege_escalation',
      'ka.req.pod.containers.read_only_fs',
      'ka.req.pod.run_as_user',
      'ka.req.pod.containers.run_as_user',
      'ka.req.pod.containers.eff_run_as_user',
      'ka.req.pod.run_as_group',
      'ka.req.pod.containers.run_as_group',
      'ka.req.pod.containers.eff_run_as_group',
      'ka.req.pod.containers.proc_mount',
      'ka.req.role.rules',
      'ka.req.role.rules.apiGroups',
      'ka.req.role.rules.nonResourceURLs',
      'ka.req.role.rules.verbs',
      'ka.req.role.rules.resources',
      'ka.req.pod.fs_group',
      'ka.req.pod.supplemental_groups',
      'ka.req.pod.containers.add_capabilities',
      'ka.req.service.type',
      'ka.req.service.ports',
      'ka.req.pod.volumes.hostpath',
      'ka.req.volume.hostpath',
      'ka.req.pod.volumes.flexvolume_driver',
      'ka.req.pod.volumes.volume_type',
      'ka.resp.name',
      'ka.response.code',
      'ka.response.reason',
      'ka.useragent',
      'ka.req.pod.initContainers.privileged',
      'ka.req.pod.ephemeralContainers.image',
      'jevt.value',
      'jevt.obj',
      'jevt.rawtime',
      'json.value',
      'json.obj',
      'json.rawtime',
    ];
    for (const name of falco) assert.ok(fieldByName(name), `${name} is missing`);
  });

  it('docs/detect-fields.md is generated from the table (run `palisade watch fields --write docs/detect-fields.md`)', () => {
    const committed = readFileSync(new URL('../../docs/detect-fields.md', import.meta.url), 'utf8');
    assert.equal(committed, renderFieldDocs());
  });

  it('extracts pod facts from a request', () => {
    const event = podCreate({
      hostNetwork: true,
      securityContext: { runAsUser: 1000 },
      containers: [
        {
          name: 'a',
          image: 'localhost:5000/app:1',
          securityContext: { runAsUser: 0, capabilities: { add: ['NET_ADMIN', 'SYS_TIME'] } },
          ports: [{ containerPort: 8080 }],
        },
        { name: 'b', image: 'busybox', ports: [{ containerPort: 80, hostPort: 8081 }] },
      ],
      volumes: [
        { name: 'd', hostPath: { path: '/var/run/docker.sock' } },
        { name: 's', secret: { secretName: 'x' } },
      ],
    });
    assert.deepEqual(extract('ka.req.pod.containers.image.repository', event), [
      'localhost:5000/app',
      'busybox',
    ]);
    assert.equal(extract('ka.req.container.image.repository', event), 'localhost:5000/app');
    assert.deepEqual(extract('ka.req.pod.containers.eff_run_as_user', event), ['0', '1000']);
    assert.deepEqual(extract('ka.req.pod.containers.add_capabilities', event), ['NET_ADMIN', 'SYS_TIME']);
    assert.deepEqual(extract('ka.req.pod.containers.host_port', event), ['8080', '8081']);
    assert.deepEqual(extract('ka.req.pod.volumes.volume_type', event), ['hostPath', 'secret']);
    assert.equal(extract('ka.req.pod.host_network', event), 'true');
    assert.equal(extract('ka.req.container.privileged', event), 'false');
    assert.equal(extract('ka.req.volume.hostpath', event, '/var/run/*'), 'true');
    assert.deepEqual(extract('palisade.req.pod.runtime_socket', event), ['/var/run/docker.sock']);
    assert.deepEqual(extract('palisade.req.pod.host_namespaces', event), ['hostNetwork']);
    assert.equal(extract('palisade.req.pod.run_as_root', event), 'true');
  });

  it('reads v1beta1 events (Falco traces) the same way, and renders non-strings as JSON', () => {
    const event = auditEvent({
      apiVersion: 'audit.k8s.io/v1beta1',
      timestamp: '2018-10-25T13:58:49Z',
      stageTimestamp: undefined,
      requestReceivedTimestamp: undefined,
      responseStatus: { code: 200 },
    });
    assert.equal(extract('ka.response.code', event), '200');
    // Digit for digit: a JavaScript number would round the nanoseconds away.
    assert.equal(
      extract('jevt.rawtime', event),
      String(BigInt(Date.parse('2018-10-25T13:58:49Z')) * 1_000_000n),
    );
    assert.equal(extract('jevt.time.iso8601', event), '2018-10-25T13:58:49.000000000Z');
    assert.equal(
      extract('jevt.value', event, '/user'),
      '{"username":"alice","groups":["developers","system:authenticated"]}',
    );
    assert.deepEqual(extract('ka.sourceips', event), ['10.0.0.5']);
  });

  it('reads JSON null, pointers and the whole event as the k8saudit and json plugins do', () => {
    const event = auditEvent({
      objectRef: { resource: 'pods', namespace: null, name: 'p1' },
      requestObject: { metadata: { name: 'p1', creationTimestamp: null }, spec: { hostNetwork: true } },
    });
    // fastjson finds a null value and marshals it: the text `null`, not "not available".
    assert.equal(extract('ka.target.namespace', event), 'null');
    assert.equal(extract('jevt.value', event, '/requestObject/metadata/creationTimestamp'), 'null');
    assert.equal(extract('jevt.value', event, '/requestObject/metadata/missing'), undefined);
    // The leading slash is optional; unknown escapes are kept as written; indexes as strconv.Atoi reads them.
    assert.equal(extract('jevt.value', event, 'user/username'), 'alice');
    assert.equal(extract('jevt.value', event, '/user/groups/01'), 'system:authenticated');
    assert.equal(extract('jevt.value', event, '/annotations/a~2b'), undefined);
    // json.Indent with two spaces.
    const obj = extract('jevt.obj', event) as string;
    assert.match(obj, /\n {6}"hostNetwork": true\n/);
    assert.deepEqual(JSON.parse(obj), event);
  });
});
