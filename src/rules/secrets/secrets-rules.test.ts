import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../core/kube-object.ts';
import type { Rule } from '../../core/rule.ts';
import { deployment, object } from '../example-objects.ts';
import { assertExamples, assertRobust, findingsOf } from '../workload/rule-test-support.ts';
import {
  isCredentialName,
  isLiteralSecretValue,
  MASK,
  matchValuePatterns,
  nameWords,
  VALUE_PATTERN_MARKERS,
} from './credential-detection.ts';
import { secretsRules } from './index.ts';

function rule(id: string): Rule {
  const found = secretsRules.find((candidate) => candidate.id === id);
  assert.ok(found, id);
  return found;
}

describe('secrets rules: examples and robustness', () => {
  for (const r of secretsRules)
    it(r.id, () => {
      assertExamples(r);
      assertRobust(r);
    });
});

describe('credential names', () => {
  const credential = [
    'DB_PASSWORD',
    'MYSQL_ROOT_PASSWORD',
    'dbPassword',
    'db.password',
    'API_KEY',
    'apiKey',
    'APIKey',
    'SECRET_KEY',
    'AWS_SECRET_ACCESS_KEY',
    'GITHUB_TOKEN',
    'JWT_SECRET',
    'client_secret',
    'SECRET',
    'webhook-secret',
    'PRIVATE_KEY',
    'REFRESH_TOKEN',
    'passphrase',
    'ACCESS_KEY',
    // libpq, RabbitMQ and the common short form.
    'PGPASSWORD',
    'RABBITMQ_DEFAULT_PASS',
    'DB_PASS',
    // Numbered and fused forms.
    'PASSWORD1',
    'DB_PASSWORD3',
    'ADMIN_PASSWORD2',
    'API_KEY2',
    'GITHUB_TOKEN2',
    'MYPASSWORD',
  ];
  const descriptive = [
    'PWD',
    'DB_PASSWORD_FILE',
    'PASSWORD_PATH',
    'password-policy',
    'password-min-length',
    'PASSWORD_MIN_LENGTH',
    'TOKEN_TTL',
    'TOKEN_URL',
    'token-expiry',
    'AWS_ACCESS_KEY_ID',
    'TLS_SECRET',
    'PASSWORD_SECRET',
    'secretName',
    'SECRET_NAME',
    'secretKeyRef',
    'bearer_token_file',
    'HOSTNAME',
    'KEY',
    'MONKEY',
    'TOKENIZER',
    'password-reset-url',
    'BYPASS',
    'PGPASSWORD_FILE',
    'COMPASS_URL',
    'K8S_VERSION',
    'V2_KEY',
    'PASS_RATE',
    'PASS_THROUGH',
  ];
  for (const name of credential)
    it(`${name} names a credential`, () => assert.equal(isCredentialName(name), true));
  for (const name of descriptive) it(`${name} does not`, () => assert.equal(isCredentialName(name), false));
});

describe('literal values', () => {
  const literal = ['hunter2-secret', 'S3cure!', 'password123', 'c2VjcmV0dmFsdWU=', 'admin'];
  // Bare digits under a credential name are a PIN or password (`DB_PASSWORD: "12345678"`).
  literal.push('12345678', '2024');
  const notLiteral = [
    '',
    '  ',
    '$(DB_PASSWORD)',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder as users write it, not a template
    '${DB_PASSWORD}',
    '$DB_PASSWORD',
    '{{ .Values.password }}',
    '/etc/secrets/password',
    './creds',
    'file:///x',
    '30',
    '443',
    '1.5',
    '1h',
    'true',
    'changeme',
    'CHANGEME000',
    '<your-token>',
    'xxxxxxxx',
    '********',
    'https://auth.example.com/token',
    'AKIAIOSFODNN7EXAMPLE',
    '__SERVICEACCOUNT_TOKEN__',
    'YOUR_API_KEY',
  ];
  for (const value of literal)
    it(`${JSON.stringify(value)} is a literal`, () => assert.equal(isLiteralSecretValue(value), true));
  for (const value of notLiteral)
    it(`${JSON.stringify(value)} is not`, () => assert.equal(isLiteralSecretValue(value), false));
  it('masks completely', () => {
    assert.equal(MASK, '****');
  });
});

describe('name words', () => {
  // The splitting as it was first written with expressions, kept here as the oracle of the one-pass version.
  const byExpressions = (name: string): string[] =>
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
      .split(/[^A-Za-z0-9]+/)
      .filter((word) => word !== '')
      .map((word) => word.toLowerCase());

  it('splits names as the expressions did', () => {
    for (const name of [
      'DB_PASSWORD',
      'dbPassword',
      'db.password',
      'APIKey',
      'aABc',
      'ABCdEFg',
      'a1B2C',
      'x-Y_z',
    ])
      assert.deepEqual(nameWords(name), byExpressions(name), name);
    // Seeded random names over the characters that matter: capitals, lower case, digits, separators, non-ASCII.
    let state = 7;
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state;
    };
    const alphabet = 'ABKYaby09_.-é ';
    for (let n = 0; n < 5000; n++) {
      let name = '';
      for (let length = next() % 12; length > 0; length--) name += alphabet[next() % alphabet.length];
      assert.deepEqual(nameWords(name), byExpressions(name), JSON.stringify(name));
    }
  });

  it('takes linear time on a long run of capitals (the expressions took quadratic time)', () => {
    const name = `${'A'.repeat(200_000)}b`;
    assert.deepEqual(nameWords(name), ['a'.repeat(199_999), 'ab']);
    assert.equal(isCredentialName(`${'P'.repeat(100_000)}assword`), true); // words: pp…p, password
  });
});

const SECRET_JWT =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe('credentials recognised by their format alone', () => {
  // One sample per value pattern, each inside other text: the marker pre-check must let every one through.
  const samples: [string, string][] = [
    ['private key', 'x -----BEGIN RSA PRIVATE KEY----- y'],
    ['AWS access key id', 'id=ASIAZ7QWERTYUIOPASDF'],
    ['GitHub token', `token ghp_${'a1B2c3D4e5'.repeat(4)}`],
    ['GitHub token', `github_pat_${'a1B2c3D4e5'.repeat(3)}`],
    ['GitLab token', 'glpat-abcdefghijklmnopqrstu'],
    ['Slack token', 'xoxb-1234567890-abcdef'],
    ['Google API key', 'AIzaSy0123456789abcdefghijklmnopqrstuvw'],
    ['Stripe secret key', `rk_live_${'a1B2c3D4e5'.repeat(2)}`],
    ['JSON Web Token', SECRET_JWT],
    ['URL with an embedded password', 'POSTGRES://app:Sup3rS3cretPw@db:5432/app'],
    // Redis takes a password with no user.
    ['URL with an embedded password', 'redis://:hunter2pass@redis:6379/0'],
    // HTTP Authorization values: an opaque bearer token, and basic credentials (base64 of app:Sup3rS3cretPw).
    ['bearer token', 'bearer 8f14e45fceea167a5a36dedd4bea2543'],
    ['HTTP basic credentials', `Authorization: Basic ${Buffer.from('app:Sup3rS3cretPw').toString('base64')}`],
  ];
  for (const [kind, value] of samples)
    it(kind, () => {
      assert.ok(VALUE_PATTERN_MARKERS.test(value), value);
      assert.deepEqual(
        matchValuePatterns(value).map((match) => match.kind),
        [kind],
      );
    });
  it('values without a marker match nothing', () => {
    for (const value of ['production', 'https://example.com/path', 'a'.repeat(200), 'user:pass'])
      assert.deepEqual(matchValuePatterns(value), []);
    // Placeholders and prose after the scheme words are not credentials.
    for (const value of [
      'Bearer YOUR_ACCESS_TOKEN_HERE_PLEASE',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder as users write it, not a template
      'Bearer ${TOKEN}',
      'Basic authentication is enabled',
      `Basic ${Buffer.from('user:changeme').toString('base64')}`,
      'Basic bm9jb2xvbmhlcmU=',
    ])
      assert.deepEqual(matchValuePatterns(value), [], value);
  });
});

// Raw secret values: none of them may appear in any message, whole or in part.
const SECRET_VALUES = {
  password: 'Tr0ub4dor&3-horse',
  aws: 'AKIAZ7QWERTYUIOPASDF',
  github: `ghp_${'a1B2c3D4e5'.repeat(4)}`,
  jwt: SECRET_JWT,
  url: 'mongodb://app:Sup3rS3cretPw@mongo:27017/db',
  key: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----',
  token: 'glpat-abcdefghijklmnopqrstu',
};

describe('secret values never appear in messages', () => {
  const env = Object.entries(SECRET_VALUES).map(([name, value]) => ({
    name: `X_${name.toUpperCase()}_TOKEN`,
    value,
  }));
  const workload = deployment('leaky', { containers: [{ name: 'app', image: 'x:1', env }] });
  const configMap = object('v1', 'ConfigMap', 'leaky', {
    data: {
      ...Object.fromEntries(Object.entries(SECRET_VALUES).map(([name, value]) => [`${name}-token`, value])),
      'app.ini': `[db]\npassword = ${SECRET_VALUES.password}\n`,
      'settings.json': `{"apiKey": "${SECRET_VALUES.password}"}`,
    },
    binaryData: { id_rsa: Buffer.from(SECRET_VALUES.key).toString('base64') },
  });
  const cases: [string, KubeObject, number][] = [
    ['secret-literal-in-env', workload, env.length],
    ['credentials-in-configmap', configMap, Object.keys(SECRET_VALUES).length + 3],
  ];
  for (const [id, target, count] of cases)
    it(id, () => {
      const messages = findingsOf(rule(id), target).map((finding) => finding.message);
      assert.equal(messages.length, count, messages.join('\n'));
      for (const message of messages)
        for (const value of Object.values(SECRET_VALUES)) {
          assert.ok(!message.includes(value), `raw value in: ${message}`);
          // No fragment of a value either: no four-character run of it.
          for (let i = 0; i + 4 <= value.length; i++) {
            const piece = value.slice(i, i + 4);
            if (/^[A-Za-z0-9]{4}$/.test(piece))
              assert.ok(!message.includes(piece), `fragment "${piece}" in: ${message}`);
          }
        }
    });
});

describe('cases', () => {
  const cases: [string, string, KubeObject, number][] = [
    [
      'secret-literal-in-env',
      'valueFrom is never flagged',
      deployment('a', {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            env: [
              { name: 'PASSWORD', value: 'hunter22', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
            ],
          },
        ],
      }),
      1,
    ],
    [
      'secret-literal-in-env',
      'init containers too',
      deployment('a', {
        initContainers: [{ name: 'i', image: 'x:1', env: [{ name: 'API_KEY', value: 'k3y-value-123' }] }],
        containers: [],
      }),
      1,
    ],
    [
      'secret-literal-in-env',
      'token in a non-credential name',
      deployment('a', {
        containers: [{ name: 'a', image: 'x:1', env: [{ name: 'CONFIG', value: SECRET_VALUES.github }] }],
      }),
      1,
    ],
    [
      'secret-literal-in-env',
      'harmless values',
      deployment('a', {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            env: [
              { name: 'PASSWORD_FILE', value: '/run/secrets/pw' },
              { name: 'TOKEN', value: '$(TOKEN_FROM_SECRET)' },
              { name: 'PASSWORD', value: '' },
              { name: 'PWD', value: 'home' },
            ],
          },
        ],
      }),
      0,
    ],
    [
      'credentials-in-configmap',
      'configuration without credentials',
      object('v1', 'ConfigMap', 'c', {
        data: {
          'nsswitch.conf': 'passwd: files\nshadow: files\n',
          'app.py': 'token=os.environ["TOKEN"]\n',
          'kiali.yaml': 'login_token:\n  signing_key: CHANGEME00000000\n',
          'password-policy': 'strict',
        },
      }),
      0,
    ],
    [
      'credentials-in-configmap',
      'binary data that is not text',
      object('v1', 'ConfigMap', 'c', {
        binaryData: { blob: Buffer.from([0, 1, 2, 255, 254]).toString('base64') },
      }),
      0,
    ],
    [
      'secret-in-env-var',
      'init container envFrom',
      deployment('a', {
        initContainers: [{ name: 'i', image: 'x:1', envFrom: [{ secretRef: { name: 's' } }] }],
        containers: [],
      }),
      1,
    ],
  ];
  for (const [id, name, target, count] of cases)
    it(`${id}: ${name}`, () => assert.equal(findingsOf(rule(id), target).length, count));
});
