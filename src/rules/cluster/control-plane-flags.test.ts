// How control-plane flags are read: pflag and component-base for Kubernetes components, Go's flag for etcd.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateObjects } from '../../core/engine.ts';
import type { KubeObject } from '../../core/kube-object.ts';
import { parsePssVersion } from '../../core/pss-version.ts';
import type { Rule } from '../../core/rule.ts';
import apiserverAdmissionPlugins from './apiserver-admission-plugins.ts';
import apiserverAuditLog from './apiserver-audit-log.ts';
import apiserverAuthorizationMode from './apiserver-authorization-mode.ts';
import apiserverEtcdTls from './apiserver-etcd-tls.ts';
import apiserverTls from './apiserver-tls.ts';
import apiserverTokenAuthFile from './apiserver-token-auth-file.ts';
import { staticPod } from './control-plane-examples.ts';
import { type ControlPlaneComponent, componentProcesses, goInteger } from './control-plane-flags.ts';
import controlPlaneNotObservable from './control-plane-not-observable.ts';
import controlPlaneProfiling from './control-plane-profiling.ts';
import etcdTls from './etcd-tls.ts';

const latest = parsePssVersion('latest');
const messages = (rule: Rule, objects: KubeObject[]) =>
  evaluateObjects(objects, { rules: [rule], pssVersion: latest }).findings.map((finding) => finding.message);

function pod(
  component: ControlPlaneComponent,
  container: Record<string, unknown>,
  namespace = 'kube-system',
) {
  const result = staticPod(component, []);
  result.metadata.namespace = namespace;
  const spec = result.spec as { containers: Record<string, unknown>[] };
  spec.containers = [{ name: component, image: `registry.k8s.io/${component}:v1.31.0`, ...container }];
  return result;
}

const flagsOf = (object: KubeObject, component: ControlPlaneComponent) => {
  const [process] = componentProcesses(object, component);
  assert.ok(process);
  return process;
};

describe('Kubernetes component flags (pflag)', () => {
  test('list flags add up over repeated occurrences; scalar flags take the last one', () => {
    const process = flagsOf(
      pod('kube-apiserver', {
        command: [
          'kube-apiserver',
          '--authorization-mode=AlwaysAllow',
          '--authorization-mode',
          'Node,RBAC',
          '--tls-cipher-suites=A',
          '--tls-cipher-suites=B',
          '--audit-log-path=/a',
          '--audit-log-path=/b',
        ],
      }),
      'kube-apiserver',
    );
    assert.equal(process.flags.get('authorization-mode')?.value, 'AlwaysAllow,Node,RBAC');
    assert.equal(process.flags.get('tls-cipher-suites')?.value, 'A,B');
    assert.equal(process.flags.get('audit-log-path')?.value, '/b');
  });

  test('a valued flag takes the next word whatever it is; a boolean flag does not', () => {
    const process = flagsOf(
      pod('kube-apiserver', {
        command: ['kube-apiserver', '--audit-log-path', '-', '--profiling', '--v', '2'],
      }),
      'kube-apiserver',
    );
    assert.equal(process.flags.get('audit-log-path')?.value, '-');
    assert.equal(process.flags.get('profiling')?.value, 'true');
    assert.equal(process.flags.get('v')?.value, '2');
  });

  test('a known valued flag takes even a flag-like next word, as pflag and Go flag do; an unknown one does not', () => {
    const apiserver = flagsOf(
      pod('kube-apiserver', {
        command: ['kube-apiserver', '--audit-log-path'],
        args: ['--authorization-mode=Node,RBAC', '--some-new-switch', '--anonymous-auth=false'],
      }),
      'kube-apiserver',
    );
    assert.equal(apiserver.flags.get('audit-log-path')?.value, '--authorization-mode=Node,RBAC');
    assert.equal(apiserver.flags.has('authorization-mode'), false);
    assert.equal(apiserver.flags.get('some-new-switch')?.value, 'true');
    assert.equal(apiserver.flags.get('anonymous-auth')?.value, 'false');
    const etcd = flagsOf(pod('etcd', { command: ['etcd', '--data-dir', '--client-cert-auth=true'] }), 'etcd');
    assert.equal(etcd.flags.get('data-dir')?.value, '--client-cert-auth=true');
    assert.equal(etcd.flags.has('client-cert-auth'), false);
  });

  test('`_` in a flag name is read as `-`; parsing stops at `--`', () => {
    const process = flagsOf(
      pod('kube-apiserver', {
        command: [
          'kube-apiserver',
          '--anonymous-auth=false',
          '--anonymous_auth=true',
          '--',
          '--profiling=true',
        ],
      }),
      'kube-apiserver',
    );
    assert.equal(process.flags.get('anonymous-auth')?.value, 'true');
    assert.equal(process.flags.has('profiling'), false);
  });

  test('without admission flags, ServiceAccount and NamespaceLifecycle are on (only NodeRestriction is missing)', () => {
    assert.deepEqual(
      messages(apiserverAdmissionPlugins, [pod('kube-apiserver', { command: ['kube-apiserver'] })]),
      ['kube-apiserver (container "kube-apiserver"): the NodeRestriction admission plugin is not enabled'],
    );
  });

  test('--authorization-config: not evaluated by authorization-mode, reported as not observable', () => {
    const object = pod('kube-apiserver', {
      command: ['kube-apiserver', '--authorization-config=/etc/kubernetes/authz.yaml'],
    });
    assert.deepEqual(messages(apiserverAuthorizationMode, [object]), []);
    assert.match(messages(controlPlaneNotObservable, [object]).join(), /authorization not observable/);
  });

  test('kube-scheduler with --config ignores --profiling', () => {
    const object = pod('kube-scheduler', {
      command: ['kube-scheduler', '--config=/etc/kubernetes/scheduler.yaml', '--profiling=false'],
    });
    assert.deepEqual(messages(controlPlaneProfiling, [object]), []);
    assert.match(messages(controlPlaneNotObservable, [object]).join(), /profiling not observable/);
  });
});

describe('values as the components read them', () => {
  test('a string flag written empty is the default, as if unset: reported at where it is written', () => {
    const object = pod('kube-apiserver', {
      command: [
        'kube-apiserver',
        '--client-ca-file=',
        '--token-auth-file=',
        '--authorization-mode=Node,RBAC',
      ],
    });
    const process = flagsOf(object, 'kube-apiserver');
    assert.equal(process.flags.has('client-ca-file'), false);
    assert.deepEqual(process.emptyFlags.get('client-ca-file'), ['spec', 'containers', 0, 'command', 1]);
    assert.match(
      messages(apiserverTls, [object]).join('\n'),
      /--client-ca-file is not set: .* \(--client-ca-file= is empty, which leaves it unset\)/,
    );
    assert.deepEqual(messages(apiserverTokenAuthFile, [object]), [], 'an empty token file names no file');
    const lists = flagsOf(
      pod('kube-apiserver', { command: ['kube-apiserver', '--enable-admission-plugins='] }),
      'kube-apiserver',
    );
    assert.equal(
      lists.flags.get('enable-admission-plugins')?.value,
      '',
      'a list flag written empty is an empty list',
    );
  });

  test('$(VAR) is expanded from the container environment before the flags are read', () => {
    const object = pod('kube-apiserver', {
      command: ['kube-apiserver', '--enable-admission-plugins=$(PLUGINS)', '--anonymous-auth=$(ANON)'],
      args: ['--audit-log-path=$$(literal)', '--audit-policy-file=$(UNDEFINED)', '--profiling=$(LATER)'],
      env: [
        { name: 'BASE', value: 'NodeRestriction' },
        { name: 'PLUGINS', value: '$(BASE),AlwaysAdmit' },
        { name: 'ANON', value: 'false' },
        { name: 'LATER', value: 'false' },
      ],
    });
    const process = flagsOf(object, 'kube-apiserver');
    assert.equal(process.flags.get('enable-admission-plugins')?.value, 'NodeRestriction,AlwaysAdmit');
    assert.equal(process.flags.get('anonymous-auth')?.value, 'false');
    assert.equal(process.flags.get('audit-log-path')?.value, '$(literal)', '$$ is a literal $');
    assert.equal(process.flags.get('audit-policy-file')?.value, '$(UNDEFINED)', 'an undefined name stays');
    assert.deepEqual(process.flags.get('enable-admission-plugins')?.path, [
      'spec',
      'containers',
      0,
      'command',
      1,
    ]);
    assert.match(
      messages(apiserverAdmissionPlugins, [object]).join(),
      /AlwaysAdmit admission plugin is enabled/,
    );
    for (const hidden of [
      { env: [{ name: 'ANON', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }] },
      { envFrom: [{ configMapRef: { name: 'c' } }] },
    ]) {
      const unreadable = flagsOf(
        pod('kube-apiserver', { command: ['kube-apiserver', '--anonymous-auth=$(ANON)'], ...hidden }),
        'kube-apiserver',
      );
      assert.match(unreadable.unobservable?.reason ?? '', /\$\(ANON\) comes from (a ConfigMap|envFrom)/);
    }
  });

  test('integers are read as Go reads them (base prefixes, a leading 0 is octal)', () => {
    assert.deepEqual(
      ['30', '030', '0x1e', '0b11', '0o17', '0x_1F', '-7', '+8', '0', '08', '1_000', '0x', ''].map(goInteger),
      [30, 24, 30, 3, 15, 31, -7, 8, 0, undefined, undefined, undefined, undefined],
    );
    const object = pod('kube-apiserver', {
      command: [
        'kube-apiserver',
        '--audit-policy-file=/etc/audit.yaml',
        '--audit-log-path=/var/log/audit.log',
        '--audit-log-maxage=030',
        '--audit-log-maxbackup=10',
        '--audit-log-maxsize=100',
      ],
    });
    assert.deepEqual(messages(apiserverAuditLog, [object]), [
      'kube-apiserver (container "kube-apiserver"): --audit-log-maxage=030 (24): fewer than 30 days of audit logs kept',
    ]);
  });

  test('an http URL is plain text whatever the case of its scheme; etcd without listeners serves plain http', () => {
    const apiserver = pod('kube-apiserver', {
      command: [
        'kube-apiserver',
        '--etcd-servers=HTTP://10.0.0.11:2379',
        '--etcd-cafile=/ca',
        '--etcd-certfile=/c',
        '--etcd-keyfile=/k',
      ],
    });
    assert.match(messages(apiserverEtcdTls, [apiserver]).join(), /without TLS: HTTP:\/\/10.0.0.11:2379/);
    const etcd = pod('etcd', {
      command: [
        'etcd',
        '--cert-file=/c',
        '--key-file=/k',
        '--client-cert-auth=true',
        '--trusted-ca-file=/ca',
      ],
    });
    assert.deepEqual(messages(etcdTls, [etcd]), [
      'etcd (container "etcd"): client connections are served without TLS: --listen-client-urls is not set, and etcd listens on its default http://localhost:2379 (loopback only)',
    ]);
  });
});

describe('wrapped commands', () => {
  test('kOps go-runner: the flags after the component program', () => {
    const process = flagsOf(
      pod('kube-apiserver', {
        command: ['/go-runner'],
        args: [
          '--log-file=/var/log/kube-apiserver.log',
          '--also-stdout',
          '/usr/local/bin/kube-apiserver',
          '--profiling=false',
        ],
      }),
      'kube-apiserver',
    );
    assert.equal(process.flags.get('profiling')?.value, 'false');
    assert.equal(process.flags.has('log-file'), false);
    assert.deepEqual(process.flags.get('profiling')?.path, ['spec', 'containers', 0, 'args', 3]);
  });

  test('sh -c: the script is split into words, quotes honoured, up to a shell operator', () => {
    const process = flagsOf(
      pod('kube-apiserver', {
        command: [
          '/bin/sh',
          '-c',
          "exec /usr/local/bin/kube-apiserver --profiling=false --audit-log-path '/var/log/a b' 2>&1 | tee x",
        ],
      }),
      'kube-apiserver',
    );
    assert.equal(process.flags.get('profiling')?.value, 'false');
    assert.equal(process.flags.get('audit-log-path')?.value, '/var/log/a b');
    assert.equal(process.flags.has('tee'), false);
  });

  test('found in a container named and imaged otherwise: behind a wrapper, or spelled with shell quotes', () => {
    const other = { name: 'api', image: 'example.com/control:1' };
    const wrapped = flagsOf(
      pod('kube-apiserver', {
        ...other,
        command: ['/go-runner', '--', '/usr/local/bin/kube-apiserver', '--profiling=false'],
      }),
      'kube-apiserver',
    );
    assert.equal(wrapped.flags.get('profiling')?.value, 'false');
    // The shell joins quoted pieces into one word: kube-"api"server runs kube-apiserver.
    const quoted = flagsOf(
      pod('kube-apiserver', { ...other, command: ['sh', '-c', 'exec kube-"api"server --profiling=true'] }),
      'kube-apiserver',
    );
    assert.equal(quoted.flags.get('profiling')?.value, 'true');
    assert.deepEqual(
      componentProcesses(pod('kube-apiserver', { ...other, command: ['/app'] }), 'kube-apiserver'),
      [],
    );
  });

  test('a component container whose command cannot be read is not observable, never a silent pass', () => {
    const object = pod('kube-apiserver', { command: ['/bin/sh', '-c', 'exec /start.sh "$@"'] });
    assert.match(componentProcesses(object, 'kube-apiserver')[0]?.unobservable?.reason ?? '', /not readable/);
    assert.deepEqual(messages(apiserverAuthorizationMode, [object]), []);
    assert.match(messages(controlPlaneNotObservable, [object]).join(), /configuration not observable/);
    // Outside kube-system an etcd image with its own entrypoint script is an application's etcd.
    assert.deepEqual(componentProcesses(pod('etcd', { command: ['/run.sh'] }, 'apps'), 'etcd'), []);
  });
});

describe('etcd flags (Go flag package and ETCD_* variables)', () => {
  test('one dash is a flag; parsing stops at the first non-flag word', () => {
    const process = flagsOf(
      pod('etcd', {
        command: ['etcd', '-client-cert-auth=true', '-name', 'one', 'extra', '--auto-tls=true'],
      }),
      'etcd',
    );
    assert.equal(process.flags.get('client-cert-auth')?.value, 'true');
    assert.equal(process.flags.get('name')?.value, 'one');
    assert.equal(process.flags.has('auto-tls'), false);
  });

  test('names are not normalised: client_cert_auth is not client-cert-auth', () => {
    const process = flagsOf(pod('etcd', { command: ['etcd', '--client_cert_auth=true'] }), 'etcd');
    assert.equal(process.flags.has('client-cert-auth'), false);
  });

  test('ETCD_* variables set flags not on the command line', () => {
    const process = flagsOf(
      pod('etcd', {
        command: ['etcd', '--auto-tls=false'],
        env: [
          { name: 'ETCD_CLIENT_CERT_AUTH', value: 'true' },
          { name: 'ETCD_AUTO_TLS', value: 'true' },
        ],
      }),
      'etcd',
    );
    assert.equal(process.flags.get('client-cert-auth')?.value, 'true');
    assert.deepEqual(process.flags.get('client-cert-auth')?.path, [
      'spec',
      'containers',
      0,
      'env',
      0,
      'value',
    ]);
    assert.equal(process.flags.get('auto-tls')?.value, 'false');
  });

  test('--config-file (flag or ETCD_CONFIG_FILE): the other flags are ignored, not observable', () => {
    for (const container of [
      { command: ['etcd', '--config-file=/etc/etcd.yaml', '--client-cert-auth=false'] },
      { command: ['etcd'], env: [{ name: 'ETCD_CONFIG_FILE', value: '/etc/etcd.yaml' }] },
    ]) {
      const object = pod('etcd', container);
      assert.deepEqual(messages(etcdTls, [object]), []);
      assert.match(messages(controlPlaneNotObservable, [object]).join(), /--config-file=\/etc\/etcd.yaml/);
    }
  });
});
