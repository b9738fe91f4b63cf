import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, test } from 'node:test';
import { TLS, tempDir } from '../../test/cluster/replay-fixtures.ts';
import { connectionWarnings, describeConnection, maskUserinfo } from './connection.ts';
import { connectionFromKubeconfig, readKubeconfigs } from './kubeconfig.ts';
import { inClusterConnection, resolveConnection } from './resolve-connection.ts';

const CA = '-----BEGIN CERTIFICATE-----\nTEST-CA\n-----END CERTIFICATE-----\n';
const b64 = (text: string) => Buffer.from(text).toString('base64');

function write(directory: string, name: string, text: string): string {
  const file = join(directory, name);
  writeFileSync(file, text);
  return file;
}

function kubeconfig(
  user: string,
  cluster = `    certificate-authority-data: ${b64(CA)}`,
  extra = '',
): string {
  return `apiVersion: v1
kind: Config
current-context: dev
contexts:
- name: dev
  context: {cluster: c1, user: u1, namespace: team-a}
- name: other
  context: {cluster: c1, user: missing}
clusters:
- name: c1
  cluster:
    server: https://10.0.0.1:6443/
${cluster}
users:
- name: u1
  user:
${user}
${extra}`;
}

const load = (file: string, context?: string) => connectionFromKubeconfig(readKubeconfigs([file]), context);

describe('kubeconfig', () => {
  const directory = tempDir('palisade-kubeconfig-');

  test('token, CA data and the context namespace; the server without its trailing slash', () => {
    const connection = load(write(directory, 'token.yaml', kubeconfig('    token: abc.def')));
    assert.equal(connection.context, 'dev');
    assert.equal(connection.server, 'https://10.0.0.1:6443');
    assert.equal(connection.token, 'abc.def');
    assert.equal(connection.ca?.toString(), CA);
    assert.equal(connection.namespace, 'team-a');
    assert.equal(connection.insecureSkipTlsVerify, false);
    assert.ok(!describeConnection(connection).includes('abc.def'));
  });

  test('tokenFile, client certificate and CA files are read relative to the kubeconfig', () => {
    const sub = join(directory, 'files');
    mkdirSync(sub, { recursive: true });
    write(sub, 'token', 'from-file\n');
    write(sub, 'ca.crt', CA);
    write(sub, 'client.crt', TLS.clientCert.toString());
    write(sub, 'client.key', TLS.clientKey.toString());
    const file = write(
      sub,
      'config',
      kubeconfig(
        '    tokenFile: token\n    client-certificate: client.crt\n    client-key: client.key',
        '    certificate-authority: ca.crt',
      ),
    );
    const connection = load(file);
    assert.equal(connection.token, 'from-file');
    assert.deepEqual(connection.cert, TLS.clientCert);
    assert.deepEqual(connection.key, TLS.clientKey);
    assert.equal(connection.ca?.toString(), CA);
  });

  test('client certificate data wins over files, and a certificate without its key is refused', () => {
    const both = load(
      write(
        directory,
        'data.yaml',
        kubeconfig(
          `    client-certificate-data: ${TLS.clientCert.toString('base64')}\n    client-key-data: ${TLS.clientKey.toString('base64')}\n    client-certificate: /nonexistent`,
        ),
      ),
    );
    assert.deepEqual(both.cert, TLS.clientCert);
    assert.throws(
      () => load(write(directory, 'half.yaml', kubeconfig(`    client-certificate-data: ${b64('C')}`))),
      /needs both the certificate and the key/,
    );
  });

  test('insecure-skip-tls-verify only when the kubeconfig says so, and never together with a CA', () => {
    const insecure = load(
      write(directory, 'insecure.yaml', kubeconfig('    token: t', '    insecure-skip-tls-verify: true')),
    );
    assert.equal(insecure.insecureSkipTlsVerify, true);
    assert.match(describeConnection(insecure), /NOT VERIFIED/);
    const stringTrue = load(
      write(directory, 'string.yaml', kubeconfig('    token: t', '    insecure-skip-tls-verify: "true"')),
    );
    assert.equal(stringTrue.insecureSkipTlsVerify, false, 'only the boolean true turns verification off');
    // kubectl reads kubeconfig as YAML 1.1 (sigs.k8s.io/yaml): an unquoted `yes` is the boolean true.
    const yes = load(
      write(directory, 'yes.yaml', kubeconfig('    token: t', '    insecure-skip-tls-verify: yes')),
    );
    assert.equal(yes.insecureSkipTlsVerify, true);
    assert.throws(
      () =>
        load(
          write(
            directory,
            'both.yaml',
            kubeconfig(
              '    token: t',
              `    insecure-skip-tls-verify: true\n    certificate-authority-data: ${b64(CA)}`,
            ),
          ),
        ),
      /contradictory/,
    );
  });

  test('plugins and basic auth are refused clearly; http servers too', () => {
    const cases: [string, string, RegExp][] = [
      [
        'exec.yaml',
        '    exec:\n      command: aws\n      apiVersion: client.authentication.k8s.io/v1',
        /exec credential plugins is not supported yet/,
      ],
      ['provider.yaml', '    auth-provider:\n      name: oidc', /auth-provider plugins is not supported yet/],
      ['basic.yaml', '    username: admin\n    password: hunter2', /basic authentication/],
    ];
    for (const [name, user, message] of cases)
      assert.throws(() => load(write(directory, name, kubeconfig(user))), message);
    assert.throws(
      () =>
        load(
          write(
            directory,
            'http.yaml',
            kubeconfig('    token: t', '    server: http://x').replace(
              'server: https://10.0.0.1:6443/\n',
              '',
            ),
          ),
        ),
      /must be https/,
    );
  });

  test('errors name the file and the entry, never the secret values', () => {
    const file = write(
      directory,
      'bad64.yaml',
      kubeconfig('    token: s3cr3t-token', '    certificate-authority-data: "%%%"'),
    );
    assert.throws(
      () => load(file),
      (error: Error) =>
        error.message.includes(file) &&
        error.message.includes('clusters[0] (c1)') &&
        /not valid base64/.test(error.message) &&
        !error.message.includes('s3cr3t'),
    );
    assert.throws(() => load(file, 'nope'), /no context "nope" \(known: dev, other\)/);
    assert.throws(
      () => load(write(directory, 'u.yaml', kubeconfig('    token: t')), 'other'),
      /user "missing" is not defined/,
    );
    const broken = write(directory, 'broken.yaml', 'users: [\n  token: "s3cr3t');
    assert.throws(
      () => load(broken),
      (error: Error) => /not valid YAML at line \d+/.test(error.message) && !error.message.includes('s3cr3t'),
    );
  });

  test('read problems are told apart from YAML syntax errors, and YAML errors say where and why', () => {
    const cases: [string, RegExp][] = [
      [join(directory, 'missing.yaml'), /cannot read kubeconfig .*missing\.yaml: no such file/],
      [directory, /cannot read kubeconfig .*: is a directory, not a file/],
    ];
    const fifo = join(directory, 'kubeconfig.fifo');
    execFileSync('mkfifo', [fifo]);
    cases.push([fifo, /cannot read kubeconfig .*kubeconfig\.fifo: is not a regular file/]);
    const huge = join(directory, 'huge.yaml');
    writeFileSync(huge, '');
    truncateSync(huge, 17 * 1024 * 1024);
    cases.push([huge, /cannot read kubeconfig .*huge\.yaml: is \d+ bytes, over the limit/]);
    for (const [file, message] of cases)
      assert.throws(
        () => load(file),
        (error: Error) => message.test(error.message) && !/YAML/.test(error.message),
        file,
      );
    const broken = write(directory, 'indent.yaml', 'users:\n- name: u\n   user: {token: s3cr3t}\n');
    assert.throws(
      () => load(broken),
      (error: Error) =>
        /not valid YAML at line 3, column \d+ \(.+\)/.test(error.message) &&
        !error.message.includes('s3cr3t'),
    );
  });

  test('a token, impersonation or certificate a request cannot carry is refused by entry, not shown', () => {
    const tokenFile = write(directory, 'two-lines.token', 'line-one-s3cr3t\nline-two-s3cr3t\n');
    const cases: [string, string, RegExp][] = [
      ['nl.yaml', '    token: "abc-s3cr3t\\ndef"', /users\[0\] \(u1\): token contains a line break/],
      [
        'tf.yaml',
        `    tokenFile: ${tokenFile}`,
        /users\[0\] \(u1\): the token in tokenFile contains a line break/,
      ],
      [
        'as.yaml',
        '    token: t\n    as: "admin\\r\\nX-Evil: 1"',
        /users\[0\] \(u1\): as contains a line break/,
      ],
      [
        'grp.yaml',
        '    token: t\n    as: a\n    as-groups: [ok, 7]',
        /as-groups must be a list of group names/,
      ],
      [
        'cert.yaml',
        `    client-certificate-data: ${b64('not a certificate')}\n    client-key-data: ${b64('s3cr3t key')}`,
        /users\[0\] \(u1\): the client certificate and key are not a usable PEM/,
      ],
      [
        'pair.yaml',
        `    client-certificate-data: ${TLS.clientCert.toString('base64')}\n    client-key-data: ${b64(TLS.key.toString())}`,
        /users\[0\] \(u1\): the client certificate and key are not a usable PEM/,
      ],
    ];
    for (const [name, user, message] of cases)
      assert.throws(
        () => load(write(directory, name, kubeconfig(user))),
        (error: Error) =>
          message.test(error.message) &&
          error.message.includes(name) &&
          !error.message.includes('s3cr3t') &&
          (error as { code?: string }).code === 'config-invalid',
        name,
      );
  });

  test('a user name and password in the server URL are kept out of the server shown and stored', () => {
    const connection = load(
      write(
        directory,
        'userinfo.yaml',
        kubeconfig('    token: t').replace(
          'https://10.0.0.1:6443/',
          'https://admin:hunter2%40x@10.0.0.1:6443/',
        ),
      ),
    );
    assert.equal(connection.server, 'https://10.0.0.1:6443');
    assert.deepEqual(connection.basicAuth, { username: 'admin', password: 'hunter2@x' });
    assert.ok(!describeConnection(connection).includes('hunter2'));
    assert.equal(maskUserinfo('https://a:b@h:1/p'), 'https://***@h:1/p');
    assert.equal(maskUserinfo('https:a:b@h'), 'https://***@h/');
    assert.equal(maskUserinfo('https://h:1'), 'https://h:1');
  });

  test('turning TLS verification off gives a warning', () => {
    const insecure = load(
      write(directory, 'warn.yaml', kubeconfig('    token: t', '    insecure-skip-tls-verify: true')),
    );
    assert.match(
      connectionWarnings(insecure).join('\n'),
      /TLS verification is OFF for https:\/\/10\.0\.0\.1:6443/,
    );
    assert.deepEqual(connectionWarnings(load(write(directory, 'safe.yaml', kubeconfig('    token: t')))), []);
  });

  test('KUBECONFIG lists merge with the first definition winning, as kubectl does', () => {
    const first = write(directory, 'first.yaml', kubeconfig('    token: first'));
    const second = write(
      directory,
      'second.yaml',
      'current-context: prod\ncontexts:\n- name: prod\n  context: {cluster: c2, user: u1}\nclusters:\n- name: c2\n  cluster: {server: "https://prod:6443"}\nusers:\n- name: u1\n  user: {token: second}\n',
    );
    const connection = resolveConnection({
      cwd: directory,
      env: { KUBECONFIG: [first, second].join(delimiter) },
    });
    assert.equal(connection.context, 'dev');
    const prod = resolveConnection({
      cwd: directory,
      env: { KUBECONFIG: [first, second].join(delimiter) },
      context: 'prod',
    });
    assert.equal(prod.server, 'https://prod:6443');
    assert.equal(prod.token, 'first', 'user u1 comes from the first file');
  });

  test('KUBECONFIG files that do not exist are skipped, as kubectl does; none existing is an error', () => {
    const first = write(directory, 'present.yaml', kubeconfig('    token: first'));
    const missing = join(directory, 'missing.yaml');
    const connection = resolveConnection({
      cwd: directory,
      env: { KUBECONFIG: [missing, first].join(delimiter) },
    });
    assert.equal(connection.token, 'first');
    assert.throws(
      () => resolveConnection({ cwd: directory, env: { KUBECONFIG: missing } }),
      /KUBECONFIG names no file that exists \(.*missing\.yaml\)/,
    );
    // An explicit --kubeconfig that is missing stays an error.
    assert.throws(
      () => resolveConnection({ cwd: directory, env: {}, kubeconfig: missing }),
      /cannot read kubeconfig .*missing\.yaml: no such file/,
    );
  });
});

describe('in-cluster configuration', () => {
  test('service-account token, CA and namespace, with the service address from the environment', () => {
    const directory = tempDir('palisade-sa-');
    write(directory, 'token', 'pod-token\n');
    write(directory, 'ca.crt', CA);
    write(directory, 'namespace', 'palisade');
    const env = { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' };
    const connection = inClusterConnection(env, directory);
    assert.equal(connection?.server, 'https://[fd00::1]:443');
    assert.equal(connection?.token, 'pod-token');
    assert.equal(connection?.namespace, 'palisade');
    const chosen = resolveConnection({
      cwd: directory,
      env: { ...env, HOME: directory },
      serviceAccountDir: directory,
    });
    assert.equal(chosen.context, 'in-cluster');
    assert.equal(inClusterConnection({}, directory), undefined);
    assert.throws(
      () =>
        resolveConnection({
          cwd: directory,
          env: { HOME: directory },
          serviceAccountDir: join(directory, 'none'),
        }),
      /no cluster credentials/,
    );
  });

  test('a service-account token a header cannot carry is refused, naming the file, not the token', () => {
    const directory = tempDir('palisade-sa-bad-');
    write(directory, 'token', 'tok-s3cr3t\u0000x\n');
    write(directory, 'ca.crt', CA);
    assert.throws(
      () => inClusterConnection({ KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '443' }, directory),
      (error: Error) =>
        /in-cluster config: the token in .*token contains a control character/.test(error.message) &&
        !error.message.includes('s3cr3t'),
    );
  });
});
