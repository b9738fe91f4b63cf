// Built-in detections that need memory: exec into a pod known to be privileged (from the stream or a snapshot),
// Secret read bursts, a powerful binding followed by its use, tokens for powerful ServiceAccounts,
// unexpected source IPs; and the metadata of every built-in rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert } from '../../src/detect/alert.ts';
import type { AuditEvent } from '../../src/detect/audit-event.ts';
import { loadBuiltinRuleset } from '../../src/detect/builtin/builtin-ruleset.ts';
import { DetectionEngine } from '../../src/detect/engine.ts';
import { DetectionState, type DetectionStateOptions } from '../../src/detect/state/detection-state.ts';
import { SourceRanges } from '../../src/detect/state/source-ranges.ts';
import { mitreAttack } from '../../src/frameworks/mitre-attack.ts';
import { at, auditEvent, podCreate } from './fixtures/events.ts';

function engineWith(options: DetectionStateOptions = {}, state = new DetectionState(options)) {
  return new DetectionEngine({ rulesets: [loadBuiltinRuleset().ruleset], state });
}

function rules(alerts: readonly Alert[]): string[] {
  return alerts.map((alert) => alert.rule);
}

function exec(pod: string, overrides: Record<string, unknown> = {}): AuditEvent {
  return auditEvent({
    stage: 'ResponseStarted',
    verb: 'create',
    requestURI: `/api/v1/namespaces/default/pods/${pod}/exec?command=sh&stdin=true&tty=true`,
    objectRef: { resource: 'pods', namespace: 'default', name: pod, subresource: 'exec', apiVersion: 'v1' },
    responseStatus: { code: 101 },
    ...overrides,
  });
}

describe('stateful built-in detections', () => {
  it('knows an exec target is privileged from the pod creation it saw, once per request across stages', () => {
    const engine = engineWith();
    const created = podCreate({
      containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }],
    });
    assert.ok(rules(engine.process(created)).includes('Privileged Pod Created'));
    const started = exec('web');
    assert.deepEqual(rules(engine.process(started)).sort(), [
      'Exec Into Pod',
      'Exec Into Privileged Or Host-Mounting Pod',
    ]);
    // The same request's ResponseComplete stage raises nothing more.
    assert.deepEqual(rules(engine.process({ ...started, stage: 'ResponseComplete' })), []);
    // An exec into a pod it knows nothing about is only an exec.
    assert.deepEqual(rules(engine.process(exec('other'))), ['Exec Into Pod']);
  });

  it('learns pods from a snapshot and forgets deleted ones', () => {
    const state = new DetectionState();
    state.learnObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'node-debug', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'h', hostPath: { path: '/' } }] },
    });
    const engine = engineWith({}, state);
    const alerts = engine.process(exec('node-debug'));
    const critical = alerts.find((alert) => alert.rule === 'Exec Into Privileged Or Host-Mounting Pod');
    assert.ok(critical);
    assert.equal(critical.output_fields['palisade.target.pod.source'], 'snapshot');
    engine.process(
      auditEvent({
        verb: 'delete',
        objectRef: { resource: 'pods', namespace: 'default', name: 'node-debug' },
        responseStatus: { code: 200 },
      }),
    );
    assert.deepEqual(rules(engine.process(exec('node-debug'))), ['Exec Into Pod']);
  });

  it('raises one alert when an identity reaches the Secret read threshold in the window', () => {
    const engine = engineWith({ secretBurstThreshold: 5, secretBurstWindowMs: 10_000 });
    const read = (second: number, name: string) =>
      engine.process(
        auditEvent({
          verb: 'get',
          objectRef: { resource: 'secrets', namespace: 'default', name },
          responseStatus: { code: 200 },
          requestReceivedTimestamp: at(second),
          stageTimestamp: at(second),
        }),
      );
    const bursts: Alert[] = [];
    // Four reads spread beyond the window, then five within it.
    for (const second of [0, 20, 40, 60, 100, 101, 102, 103, 104])
      bursts.push(...read(second, `s${second}`).filter((alert) => alert.rule === 'Secret Read Burst'));
    assert.equal(bursts.length, 1);
    assert.equal(bursts[0]?.output_fields['palisade.user.secret_read_burst'], 5);
  });

  it('flags the first use of a powerful binding within the window, and only the first', () => {
    const engine = engineWith({ bindingUseWindowMs: 60_000 });
    const binding = auditEvent({
      verb: 'create',
      objectRef: { resource: 'clusterrolebindings', name: 'backdoor', apiGroup: 'rbac.authorization.k8s.io' },
      requestObject: {
        kind: 'ClusterRoleBinding',
        metadata: { name: 'backdoor' },
        roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'ServiceAccount', name: 'builder', namespace: 'ci' }],
      },
      requestReceivedTimestamp: at(0),
      stageTimestamp: at(0),
    });
    assert.ok(rules(engine.process(binding)).includes('Binding To Powerful Role Created'));
    const use = (second: number) =>
      engine.process(
        auditEvent({
          user: { username: 'system:serviceaccount:ci:builder', groups: [] },
          verb: 'list',
          objectRef: { resource: 'nodes' },
          responseStatus: { code: 200 },
          requestReceivedTimestamp: at(second),
          stageTimestamp: at(second),
        }),
      );
    const first = use(30);
    assert.ok(rules(first).includes('Powerful Binding Used'));
    assert.match(
      String(
        first.find((a) => a.rule === 'Powerful Binding Used')?.output_fields[
          'palisade.user.recent_powerful_binding'
        ],
      ),
      /backdoor -> ClusterRole cluster-admin/,
    );
    assert.ok(!rules(use(31)).includes('Powerful Binding Used'));
    // Token requests for that ServiceAccount are now known to be for a powerful one.
    const token = engine.process(
      auditEvent({
        verb: 'create',
        objectRef: { resource: 'serviceaccounts', subresource: 'token', namespace: 'ci', name: 'builder' },
        responseStatus: { code: 201 },
      }),
    );
    assert.ok(rules(token).includes('Token Requested For Powerful ServiceAccount'));
  });

  it('learns a role is powerful from its creation, so binding it is flagged', () => {
    const engine = engineWith();
    engine.process(
      auditEvent({
        objectRef: { resource: 'roles', namespace: 'default', name: 'reader' },
        requestObject: {
          kind: 'Role',
          rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
        },
      }),
    );
    const alerts = engine.process(
      auditEvent({
        objectRef: { resource: 'rolebindings', namespace: 'default', name: 'reader' },
        requestObject: {
          kind: 'RoleBinding',
          roleRef: { kind: 'Role', name: 'reader' },
          subjects: [{ kind: 'User', name: 'mallory' }],
        },
      }),
    );
    assert.equal(
      alerts.find((alert) => alert.rule === 'Binding To Powerful Role Created')?.output_fields[
        'palisade.binding.role_power'
      ],
      'reads Secrets',
    );
  });

  it('flags requests from outside the allowed source ranges only when ranges are configured', () => {
    const allowed = new SourceRanges(['10.0.0.0/8', 'fd00::/8']);
    const engine = engineWith({ allowedSources: allowed });
    assert.ok(!rules(engine.process(auditEvent())).includes('Request From Unexpected Source IP'));
    const outside = engine.process(auditEvent({ sourceIPs: ['203.0.113.7', '10.0.0.1'] }));
    assert.equal(
      outside.find((alert) => alert.rule === 'Request From Unexpected Source IP')?.output_fields[
        'palisade.source_ip.unexpected'
      ],
      '203.0.113.7',
    );
    assert.ok(
      !rules(engineWith().process(auditEvent({ sourceIPs: ['203.0.113.7'] }))).includes(
        'Request From Unexpected Source IP',
      ),
    );
    assert.throws(() => new SourceRanges(['10.0.0.0/33']), /prefix/);
    assert.throws(() => new SourceRanges(['not-an-ip']), /not an IP/);
  });

  it('drops repeated deliveries of the same (auditID, stage)', () => {
    const engine = engineWith();
    const event = podCreate({
      containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }],
    });
    assert.equal(engine.process(event).length > 0, true);
    assert.deepEqual(engine.process(structuredClone(event)), []);
    assert.equal(engine.stats.duplicates, 1);
  });

  it('does not take another request reusing an auditID (the client sets it) for a repeat', () => {
    const engine = engineWith();
    const first = podCreate({ containers: [{ name: 'c', image: 'x' }] });
    engine.process(first);
    // Same auditID, another request: an exec received later.
    const reused = exec('web', {
      auditID: first.auditID,
      requestReceivedTimestamp: '2026-11-22T10:05:00.000000Z',
      stageTimestamp: '2026-11-22T10:05:00.100000Z',
    });
    assert.deepEqual(rules(engine.process(reused)), ['Exec Into Pod']);
    assert.equal(engine.stats.duplicates, 0);
  });

  it('judges host paths as the kubelet resolves them, whatever the spelling', () => {
    const mounting = (path: string) =>
      podCreate({
        containers: [{ name: 'c', image: 'x' }],
        volumes: [{ name: 'h', hostPath: { path } }],
      });
    for (const path of [
      '/etc/',
      '//',
      '/./',
      '/etc/.',
      '/etc//',
      '/dev/',
      '/var/log/',
      '/etc/shadow',
      '/var/lib/docker/',
    ])
      assert.ok(rules(engineWith().process(mounting(path))).includes('Sensitive HostPath Mounted'), path);
    for (const path of ['/run/containerd', '/var/run//docker.sock', '/var/run/containerd/'])
      assert.ok(
        rules(engineWith().process(mounting(path))).includes('Container Runtime Socket Mounted'),
        path,
      );
    assert.deepEqual(rules(engineWith().process(mounting('/opt/app-data'))), []);
  });

  it('names the Secret read in the alert text (a name is not a secret; the text masking hid it as secret=)', () => {
    const read = auditEvent({
      verb: 'get',
      requestURI: '/api/v1/namespaces/payments/secrets/payment-db',
      objectRef: { resource: 'secrets', namespace: 'payments', name: 'payment-db', apiVersion: 'v1' },
      responseStatus: { code: 200 },
    });
    const alert = engineWith()
      .process(read)
      .find((a) => a.rule === 'Secret Read By User');
    assert.match(alert?.output ?? '', /name=payment-db ns=payments/);
  });

  it('flags a workload identity listing the Secrets of one namespace, not only a get', () => {
    const listing = auditEvent({
      verb: 'list',
      requestURI: '/api/v1/namespaces/payments/secrets',
      user: { username: 'system:serviceaccount:payments:app', groups: ['system:serviceaccounts'] },
      userAgent: 'python-requests/2.31',
      objectRef: { resource: 'secrets', namespace: 'payments', apiVersion: 'v1' },
      responseStatus: { code: 200 },
    });
    assert.ok(rules(engineWith().process(listing)).includes('Namespace Secrets Listed'));
  });

  it('judges a JSON patch of pods/ephemeralcontainers by what it adds: a privileged debug container', () => {
    const patch = auditEvent({
      verb: 'patch',
      requestURI: '/api/v1/namespaces/default/pods/web/ephemeralcontainers',
      objectRef: {
        resource: 'pods',
        namespace: 'default',
        name: 'web',
        subresource: 'ephemeralcontainers',
        apiVersion: 'v1',
      },
      responseStatus: { code: 200 },
      requestObject: [
        {
          op: 'add',
          path: '/spec/ephemeralContainers/-',
          value: { name: 'debugger', image: 'busybox', securityContext: { privileged: true } },
        },
      ],
    });
    assert.ok(rules(engineWith().process(patch)).includes('Privileged Pod Created'));
    const harmless = structuredClone(patch);
    (harmless.requestObject as { value: { securityContext?: unknown } }[])[0]!.value.securityContext =
      undefined;
    assert.ok(!rules(engineWith().process(harmless)).includes('Privileged Pod Created'));
  });

  it('sees a Pod Security enforce label weakened by update, merge patch or JSON patch, or removed', () => {
    const write = (verb: string, requestObject: unknown) =>
      auditEvent({
        verb,
        requestURI: '/api/v1/namespaces/payments',
        objectRef: { resource: 'namespaces', name: 'payments', apiVersion: 'v1' },
        responseStatus: { code: 200 },
        requestObject,
      });
    const label = 'pod-security.kubernetes.io/enforce';
    const pointer = '/metadata/labels/pod-security.kubernetes.io~1enforce';
    const weakened = [
      write('update', {
        kind: 'Namespace',
        metadata: { name: 'payments', labels: { [label]: 'privileged' } },
      }),
      write('patch', { metadata: { labels: { [label]: null } } }),
      write('patch', [{ op: 'remove', path: pointer }]),
      write('patch', [{ op: 'replace', path: pointer, value: 'privileged' }]),
    ];
    for (const event of weakened)
      assert.ok(
        rules(engineWith().process(event)).includes('Pod Security Enforcement Weakened'),
        JSON.stringify(event.requestObject),
      );
    for (const event of [
      write('patch', [{ op: 'replace', path: pointer, value: 'restricted' }]),
      write('patch', { metadata: { labels: { team: 'payments' } } }),
    ])
      assert.ok(!rules(engineWith().process(event)).includes('Pod Security Enforcement Weakened'));
  });

  it('sees credentials put in a ConfigMap by JSON patch or in binaryData, as well as in data', () => {
    const write = (verb: string, requestObject: unknown) =>
      auditEvent({
        verb,
        requestURI: '/api/v1/namespaces/default/configmaps/app',
        objectRef: { resource: 'configmaps', namespace: 'default', name: 'app', apiVersion: 'v1' },
        responseStatus: { code: 200 },
        requestObject,
      });
    const aws = 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG';
    for (const event of [
      write('create', { kind: 'ConfigMap', data: { 'credentials.ini': aws } }),
      write('create', {
        kind: 'ConfigMap',
        binaryData: { 'credentials.ini': Buffer.from(aws).toString('base64') },
      }),
      write('patch', [{ op: 'add', path: '/data/credentials.ini', value: aws }]),
    ])
      assert.ok(
        rules(engineWith().process(event)).includes('ConfigMap With Credentials'),
        JSON.stringify(event.requestObject),
      );
    const plain = write('patch', [{ op: 'add', path: '/data/app.properties', value: 'log.level = debug' }]);
    assert.ok(!rules(engineWith().process(plain)).includes('ConfigMap With Credentials'));
  });

  it('does not trust a user agent: a kube-system account claiming to be the controller manager is a user', () => {
    const engine = engineWith();
    const spoofed = exec('web', {
      user: { username: 'system:serviceaccount:kube-system:default', groups: ['system:serviceaccounts'] },
      userAgent: 'kube-controller-manager/v1.30.0',
    });
    assert.deepEqual(rules(engine.process(spoofed)), ['Exec Into Pod']);
  });
});

describe('reads, bindings and probes the review found missed', () => {
  const rbac = 'rbac.authorization.k8s.io';
  const adminBinding = (name: string, subjects: unknown[], second = 0) =>
    auditEvent({
      user: { username: 'admin', groups: ['system:masters'] },
      verb: 'create',
      objectRef: { resource: 'clusterrolebindings', name, apiGroup: rbac },
      requestObject: {
        kind: 'ClusterRoleBinding',
        metadata: { name },
        roleRef: { kind: 'ClusterRole', name: 'cluster-admin', apiGroup: rbac },
        subjects,
      },
      requestReceivedTimestamp: at(second),
      stageTimestamp: at(second),
    });
  const builder = [{ kind: 'ServiceAccount', name: 'builder', namespace: 'ci' }];
  const tokenFor = (namespace: string, name: string) =>
    auditEvent({
      user: { username: 'bob', groups: ['system:authenticated'] },
      verb: 'create',
      objectRef: { resource: 'serviceaccounts', subresource: 'token', namespace, name },
      responseStatus: { code: 201 },
      requestReceivedTimestamp: at(20),
      stageTimestamp: at(20),
    });
  const builderUses = () =>
    auditEvent({
      user: {
        username: 'system:serviceaccount:ci:builder',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'],
      },
      userAgent: 'app/1.0',
      verb: 'get',
      objectRef: { resource: 'configmaps', namespace: 'ci', name: 'x' },
      responseStatus: { code: 200 },
      requestReceivedTimestamp: at(30),
      stageTimestamp: at(30),
    });
  const deleting = (resource: string, extra: Record<string, unknown>) =>
    auditEvent({
      user: { username: 'admin', groups: ['system:masters'] },
      verb: 'delete',
      objectRef: { resource, apiGroup: rbac },
      responseStatus: { code: 200 },
      requestReceivedTimestamp: at(10),
      stageTimestamp: at(10),
      ...extra,
    });

  it('takes a list or watch of Secrets selected by name (objectRef.name set) for a read of that Secret', () => {
    for (const verb of ['list', 'watch']) {
      const read = auditEvent({
        verb,
        requestURI: '/api/v1/namespaces/payments/secrets?fieldSelector=metadata.name%3Ddb&watch=true',
        objectRef: { resource: 'secrets', namespace: 'payments', name: 'db', apiVersion: 'v1' },
        responseStatus: { code: 200 },
      });
      assert.ok(rules(engineWith().process(read)).includes('Secret Read By User'), verb);
    }
    // A list of the whole namespace stays a listing, not a read of one.
    const listing = auditEvent({
      verb: 'list',
      objectRef: { resource: 'secrets', namespace: 'payments', apiVersion: 'v1' },
      responseStatus: { code: 200 },
    });
    assert.deepEqual(rules(engineWith().process(listing)), ['Namespace Secrets Listed']);
  });

  it('forgets a deleted binding: no powerful token or first use afterwards', () => {
    const engine = engineWith();
    engine.process(adminBinding('oops', builder));
    engine.process(
      deleting('clusterrolebindings', { objectRef: { resource: 'clusterrolebindings', name: 'oops' } }),
    );
    assert.deepEqual(rules(engine.process(tokenFor('ci', 'builder'))), [
      'ServiceAccount Token Requested By User',
    ]);
    assert.deepEqual(rules(engine.process(builderUses())), []);
  });

  it('forgets bindings emptied by deletecollection, and bindings whose role was deleted', () => {
    const collection = engineWith();
    collection.process(adminBinding('oops', builder));
    collection.process(
      deleting('clusterrolebindings', {
        verb: 'deletecollection',
        requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
        objectRef: { resource: 'clusterrolebindings', apiGroup: rbac },
      }),
    );
    assert.ok(
      !rules(collection.process(tokenFor('ci', 'builder'))).includes(
        'Token Requested For Powerful ServiceAccount',
      ),
    );

    const roleGone = engineWith();
    roleGone.process(
      auditEvent({
        verb: 'create',
        objectRef: { resource: 'roles', namespace: 'ci', name: 'everything', apiGroup: rbac },
        requestObject: { kind: 'Role', rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
      }),
    );
    roleGone.process(
      auditEvent({
        verb: 'create',
        objectRef: { resource: 'rolebindings', namespace: 'ci', name: 'b', apiGroup: rbac },
        requestObject: {
          kind: 'RoleBinding',
          roleRef: { kind: 'Role', name: 'everything' },
          subjects: builder,
        },
      }),
    );
    assert.ok(
      rules(roleGone.process(tokenFor('ci', 'builder'))).includes(
        'Token Requested For Powerful ServiceAccount',
      ),
    );
    roleGone.process(
      deleting('roles', { objectRef: { resource: 'roles', namespace: 'ci', name: 'everything' } }),
    );
    assert.ok(
      !rules(roleGone.process(tokenFor('ci', 'builder'))).includes(
        'Token Requested For Powerful ServiceAccount',
      ),
    );
  });

  it('knows a ServiceAccount is powerful through its groups when a token is minted for it', () => {
    for (const group of ['system:serviceaccounts:ci', 'system:serviceaccounts']) {
      const engine = engineWith();
      engine.process(adminBinding('ci-admin', [{ kind: 'Group', name: group, apiGroup: rbac }]));
      const token = engine.process(tokenFor('ci', 'builder'));
      assert.ok(rules(token).includes('Token Requested For Powerful ServiceAccount'), group);
    }
    const other = engineWith();
    other.process(
      adminBinding('ci-admin', [{ kind: 'Group', name: 'system:serviceaccounts:ci', apiGroup: rbac }]),
    );
    assert.ok(
      !rules(other.process(tokenFor('prod', 'builder'))).includes(
        'Token Requested For Powerful ServiceAccount',
      ),
    );
  });

  it('judges a JSON patch of a role or a Service by the resulting object in the response', () => {
    const patch = (objectRef: Record<string, unknown>, requestObject: unknown[], responseObject: unknown) =>
      auditEvent({ verb: 'patch', objectRef, responseStatus: { code: 200 }, requestObject, responseObject });
    const wildcard = patch(
      { resource: 'clusterroles', name: 'viewer', apiGroup: rbac },
      [{ op: 'add', path: '/rules/-', value: { apiGroups: ['*'], resources: ['*'], verbs: ['*'] } }],
      {
        kind: 'ClusterRole',
        metadata: { name: 'viewer' },
        rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
      },
    );
    assert.ok(rules(engineWith().process(wildcard)).includes('Wildcard Role Created'));
    const secrets = patch(
      { resource: 'clusterroles', name: 'view', apiGroup: rbac },
      [{ op: 'add', path: '/rules/0/resources/-', value: 'secrets' }],
      {
        kind: 'ClusterRole',
        metadata: { name: 'view' },
        rules: [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'list'] }],
      },
    );
    assert.ok(rules(engineWith().process(secrets)).includes('Secret Reader Role Created'));
    const nodePort = patch(
      { resource: 'services', namespace: 'd', name: 'web' },
      [{ op: 'replace', path: '/spec/type', value: 'NodePort' }],
      { kind: 'Service', spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] } },
    );
    const alert = engineWith()
      .process(nodePort)
      .find((a) => a.rule === 'NodePort Service Created');
    assert.match(alert?.output ?? '', /nodePort/);
  });

  it('takes /version with a query string (kubectl adds ?timeout=) for a health probe', () => {
    const anonymous = (requestURI: string) =>
      auditEvent({
        verb: 'get',
        requestURI,
        user: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
        objectRef: undefined,
        responseStatus: { code: 200 },
      });
    assert.deepEqual(rules(engineWith().process(anonymous('/version?timeout=32s'))), [
      'Anonymous Health Probe Allowed',
    ]);
    assert.deepEqual(rules(engineWith().process(anonymous('/versions?x=1'))), ['Anonymous Request Allowed']);
  });
});

describe('built-in rule metadata', () => {
  const ruleset = loadBuiltinRuleset().ruleset;
  const known = new Set(mitreAttack.controls.map((control) => control.id));

  it('maps every built-in rule to MITRE ATT&CK for Containers techniques that exist', () => {
    assert.ok(ruleset.rules.length >= 35);
    for (const rule of ruleset.rules) {
      const techniques = rule.tags.filter((tag) => /^T\d{4}/.test(tag));
      assert.ok(techniques.length > 0, `${rule.name} has no technique`);
      for (const technique of techniques)
        assert.ok(known.has(technique), `${rule.name}: ${technique} is not in the framework`);
      assert.ok(rule.tags.includes('palisade'));
      assert.ok(rule.description.length > 20);
    }
  });

  it('loads with no problems and runs every rule', () => {
    assert.deepEqual(loadBuiltinRuleset().problems, []);
    assert.equal(ruleset.matching, 'all');
  });

  it('can be tuned from a user file (disable a rule, extend a list)', () => {
    const tuned = loadBuiltinRuleset([
      {
        text: '- rule: Exec Into Pod\n  enabled: false\n- list: pal_control_plane_users\n  items: [alice]\n  append: true\n',
        file: 'tuning.yaml',
      },
    ]);
    const engine = new DetectionEngine({ rulesets: [tuned.ruleset] });
    assert.deepEqual(rules(engine.process(exec('web'))), []);
  });
});

describe('hostile events', () => {
  it('never stop detection: odd shapes and deep nesting are survived and counted', () => {
    const engine = engineWith();
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const odd = [
      auditEvent({
        objectRef: 'pods',
        user: 42,
        sourceIPs: 'x',
        annotations: [],
        requestObject: { spec: { containers: 'nope', volumes: [null, 1] } },
      }),
      auditEvent({ requestObject: deep, objectRef: { resource: 'configmaps' } }),
      auditEvent({ responseObject: { kind: 'PodList', items: [null, { metadata: 1 }] }, verb: 'list' }),
    ];
    for (const event of odd) assert.doesNotThrow(() => engine.process(event));
    assert.equal(engine.stats.events, 3);
  });
});
