import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findSecrets, imageConfigFindings, scanTarget } from '../../src/image/index.ts';
import type { ImageInfo } from '../../src/image/package.ts';
import { parsePlatform } from '../../src/image/platform.ts';
import { SECRET_RULES } from '../../src/image/secrets/secret-rules.ts';
import { buildImage, ociLayoutFiles, writeFiles } from './image-builder.ts';
import { tempDir } from './temp-dir.ts';

// Built at run time so that this file itself holds no token-shaped literal.
const GITHUB_TOKEN = `ghp_${'A1b2C3d4E5'.repeat(3)}a1b2c3`;
const AWS_KEY = `AKIA${'QWERTYUIOPASDFGH'}`;
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz';
const PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----\n${'MIIEpAIBAAKCAQEA7b'.repeat(4)}\n${'q'.repeat(64)}\n-----END RSA PRIVATE KEY-----\n`;

describe('secret scanner', () => {
  it('finds precise secrets with their line, and masks every value', () => {
    const text = [
      'export GH=' + GITHUB_TOKEN,
      `aws_access_key_id = ${AWS_KEY}`,
      `aws_secret_access_key = ${AWS_SECRET}`,
      'db_url = postgres://app:Sup3rS3cretPw@db.internal:5432/app',
      PRIVATE_KEY,
    ].join('\n');
    const matches = findSecrets(text, 'home/app/.env');
    assert.deepEqual(
      matches.map((match) => [match.rule.id, match.line]),
      [
        ['aws-access-key-id', 2],
        ['aws-secret-access-key', 3],
        ['github-token', 1],
        ['private-key', 5],
        ['url-credentials', 4],
      ],
    );
    const shown = JSON.stringify(matches.map((match) => match.masked));
    for (const secret of [GITHUB_TOKEN, AWS_KEY, AWS_SECRET, 'Sup3rS3cretPw', 'MIIEpAIBAAKCAQEA7b'])
      assert.ok(!shown.includes(secret), `masked: ${secret.slice(0, 6)}`);
  });

  it('finds registry tokens in scripts and CI files, where no key name gives them away', () => {
    // Real formats: PyPI's macaroon prefix (base64 of `pypi.org`), npm's granular token.
    const pypi = `pypi-AgEIcHlwaS5vcmc${'CJGFiY2RlZmFiLTEyMzQtNTY3OC05MGFi'.repeat(3)}`;
    const npm = `npm_${'a1B2c3D4e5F6'.repeat(3)}`;
    const matches = findSecrets(
      `twine upload -p ${pypi} dist/*\nnpm publish --token ${npm}\n`,
      'ci/release.sh',
    );
    assert.deepEqual(
      matches.map((match) => [match.rule.id, match.line]),
      [
        ['npm-token', 2],
        ['pypi-token', 1],
      ],
    );
    // The scanner looks for keywords in the lowercased text: a keyword with a capital could never match.
    for (const rule of SECRET_RULES)
      for (const keyword of rule.keywords) assert.equal(keyword, keyword.toLowerCase(), rule.id);
  });

  it('does not flag documented examples, placeholders or mentions', () => {
    const text = [
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder as written in config files
      'password: ${DB_PASSWORD}',
      'password = changeme-please-from-env'.replace('changeme-please-from-env', '<your-password>'),
      'const header = "-----BEGIN RSA PRIVATE KEY-----";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder as written in config files
      'url = https://user:${TOKEN}@example.com/',
      'token: ********',
    ].join('\n');
    assert.deepEqual(findSecrets(text, 'app/config.yaml'), []);
  });

  it('scans image layers, reports the layer, and can skip the base image layers', async (t) => {
    const dir = await tempDir(t);
    const image = buildImage({
      layers: [
        [{ name: 'etc/ssh/ssh_host_rsa_key', content: PRIVATE_KEY }],
        [
          {
            name: 'app/config/application.properties',
            content: `spring.datasource.password=Pr0d-Passw0rd!\nserver.port=8080\n`,
          },
        ],
        [
          { name: 'app/.git-credentials', content: `https://bot:${GITHUB_TOKEN}@github.com\n` },
          { name: 'app/bin/tool', content: Buffer.concat([Buffer.from([0]), Buffer.from(GITHUB_TOKEN)]) },
        ],
      ],
      history: [
        { created_by: '/bin/sh -c #(nop) ADD file:abc in /' },
        { created_by: '/bin/sh -c #(nop)  CMD ["/bin/sh"]', empty_layer: true },
        { created_by: 'COPY config /app/config' },
        { created_by: 'COPY .git-credentials /app/' },
      ],
    });
    await writeFiles(join(dir, 'image'), ociLayoutFiles([{ image }]));
    const platform = parsePlatform('linux/amd64');
    const all = await scanTarget('image', { cwd: dir, platform, secrets: true });
    assert.deepEqual(
      all.findings.map((finding) => [
        finding.ruleId,
        finding.location.path,
        finding.location.line,
        image.layers.findIndex((layer) => layer.diffId === finding.location.layer),
      ]),
      [
        ['secret-private-key', 'etc/ssh/ssh_host_rsa_key', 1, 0],
        ['secret-config-password', 'app/config/application.properties', 1, 1],
        ['secret-github-token', 'app/.git-credentials', 1, 2],
      ],
    );
    assert.ok(!JSON.stringify(all.findings).includes('Pr0d-Passw0rd'));
    assert.ok(!JSON.stringify(all.findings).includes(GITHUB_TOKEN));
    const withoutBase = await scanTarget('image', {
      cwd: dir,
      platform,
      secrets: true,
      skipBaseLayers: true,
    });
    assert.deepEqual(
      withoutBase.findings.map((finding) => finding.ruleId),
      ['secret-config-password', 'secret-github-token'],
    );
  });

  it('scans directories too', async (t) => {
    const dir = await tempDir(t);
    await mkdir(join(dir, 'deploy'));
    await writeFile(
      join(dir, 'deploy', 'values.yaml'),
      `image: app\nslackToken: xoxb-123456789012-abcdefghijkl\n`,
    );
    const { findings } = await scanTarget('.', {
      cwd: dir,
      platform: parsePlatform('linux/amd64'),
      secrets: true,
    });
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.location.path, f.location.line]),
      [['secret-slack-token', 'deploy/values.yaml', 2]],
    );
  });
});

function imageInfo(
  config: Partial<ImageInfo['config']>,
  annotations: Record<string, string> = {},
): ImageInfo {
  return {
    configDigest: 'sha256:0',
    platform: 'linux/amd64',
    layers: [],
    annotations,
    config: {
      os: 'linux',
      architecture: 'amd64',
      diffIds: [],
      user: '',
      env: [],
      exposedPorts: [],
      labels: {},
      entrypoint: [],
      cmd: [],
      history: [],
      ...config,
    },
  };
}

describe('image configuration findings', () => {
  it('flags root, no healthcheck, SSH, secrets in ENV and history, and an unpinned base', () => {
    const findings = imageConfigFindings(
      imageInfo({
        user: '0:0',
        exposedPorts: ['80/tcp', '22/tcp'],
        env: [
          'PATH=/usr/bin',
          'DB_PASSWORD=hunter2-prod',
          'GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305',
          'PASSWORD_FILE=/run/secrets/db',
          `GH=${GITHUB_TOKEN}`,
        ],
        history: [
          { createdBy: '/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2-prod', emptyLayer: true },
          {
            createdBy: '|1 NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789 /bin/sh -c npm ci',
            emptyLayer: false,
          },
          { createdBy: 'RUN ./configure --prefix=/usr', emptyLayer: false },
        ],
        labels: { 'org.opencontainers.image.base.name': 'docker.io/library/node:20' },
      }),
      'img',
    );
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      [
        'image-runs-as-root',
        'image-no-healthcheck',
        'image-exposes-ssh',
        'image-secret-in-env',
        'image-secret-in-env',
        'image-secret-in-history',
        'image-secret-in-history',
        'image-unpinned-base',
      ],
    );
    const text = JSON.stringify(findings);
    for (const secret of ['hunter2-prod', 'npm_abcdefghijklmnop', GITHUB_TOKEN])
      assert.ok(!text.includes(secret), secret.slice(0, 5));
    assert.match(findings[3]!.message, /DB_PASSWORD/);
  });

  it('finds secrets after quotes and dashes, and curl credentials, in history; never references or variables', () => {
    const history = (createdBy: string) =>
      imageConfigFindings(imageInfo({ user: '10001', history: [{ createdBy, emptyLayer: false }] }), 'img')
        .filter((f) => f.ruleId === 'image-secret-in-history')
        .map((f) => f.message);
    const quoted = history("/bin/sh -c echo 'password=CorrectHorseBattery' > /etc/app.conf");
    assert.equal(quoted.length, 1);
    assert.match(quoted[0]!, /password=\w{0,4}\*+ /);
    assert.ok(!quoted[0]!.includes('CorrectHorse'));
    assert.equal(history('/bin/sh -c ./setup --db-password=Tr0ub4dor3xyz').length, 1);
    const curl = history(
      '/bin/sh -c curl -fsSL -u admin:Tr0ub4dor3xyz https://repo.example.net/x.tgz | tar xz',
    );
    assert.equal(curl.length, 1);
    assert.match(curl[0]!, /-u admin=/);
    assert.ok(!curl[0]!.includes('Tr0ub4dor3xyz'));
    assert.equal(history('/bin/sh -c curl --user "deploy:s3cr3tPass" https://x.example.net').length, 1);
    // Variables, files and plain users are not secrets.
    assert.deepEqual(
      history('/bin/sh -c curl -u "$USER:$PASS" https://x && ./setup --password-file=/run/s'),
      [],
    );
    assert.deepEqual(history('/bin/sh -c curl -u admin https://x && useradd -u 1000 app'), []);
  });

  it('is quiet for a well-built image', () => {
    const findings = imageConfigFindings(
      imageInfo(
        {
          user: '10001',
          healthcheck: ['CMD', '/healthz'],
          exposedPorts: ['8080/tcp'],
          env: ['PATH=/usr/bin', 'APP_PORT=8080'],
        },
        {
          'org.opencontainers.image.base.name': 'docker.io/library/node:20',
          'org.opencontainers.image.base.digest': 'sha256:abc',
        },
      ),
      'img',
    );
    assert.deepEqual(findings, []);
  });
});
