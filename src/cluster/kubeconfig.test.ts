import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, test } from 'node:test';
import { tempDir } from '../../test/cluster/replay-fixtures.ts';
import { describeConnection } from './connection.ts';
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
    write(sub, 'client.crt', 'CERT');
    write(sub, 'client.key', 'KEY');
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
    assert.equal(connection.cert?.toString(), 'CERT');
    assert.equal(connection.key?.toString(), 'KEY');
    assert.equal(connection.ca?.toString(), CA);
  });

  test('client certificate data wins over files, and a certificate without its key is refused', () => {
    const both = load(
      write(
        directory,
        'data.yaml',
        kubeconfig(
          `    client-certificate-data: ${b64('C')}\n    client-key-data: ${b64('K')}\n    client-certificate: /nonexistent`,
        ),
      ),
    );
    assert.equal(both.cert?.toString(), 'C');
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
});
