import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import { containerViolations, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';
import { isCredentialName, isLiteralSecretValue, MASK, matchValuePatterns } from './credential-detection.ts';

const PASS: KubeObject[] = [
  deployment('web', {
    containers: [
      {
        name: 'app',
        image: 'web:1.0',
        env: [
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          { name: 'DB_PASSWORD_FILE', value: '/etc/secrets/db-password' },
          { name: 'API_TOKEN', value: '$(TOKEN_FROM_SECRET)' },
          { name: 'ADMIN_PASSWORD', value: '' },
          { name: 'PASSWORD_MIN_LENGTH', value: '12' },
          { name: 'TOKEN_URL', value: 'https://auth.example.com/token' },
          { name: 'TLS_SECRET', value: 'web-tls' },
        ],
      },
    ],
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', {
    containers: [
      {
        name: 'app',
        image: 'web:1.0',
        env: [
          { name: 'MYSQL_ROOT_PASSWORD', value: 'S3cure-but-hardcoded' },
          { name: 'DATABASE_URL', value: 'postgres://app:hunter2pass@db:5432/app' },
        ],
      },
    ],
  }),
];

export default defineRule({
  id: 'secret-literal-in-env',
  title: 'Credential written as a literal environment variable',
  severity: 'high',
  domain: 'secrets',
  kinds: WORKLOAD_KINDS,
  phase: 'develop',
  layer: 'code',
  frameworks: { 'cis-k8s': ['5.4.1'], 'nsa-cisa': ['secrets'], 'mitre-attack': ['T1552.001', 'T1552.007'] },
  description:
    'A credential written as `env[].value` is stored in plain text in the manifest, in Git, in the object in etcd (Secrets can be encrypted at rest, pod specs are not) and is readable by anyone allowed to read the workload. ' +
    'Flagged: literal values whose format is a credential (private keys, cloud and VCS tokens, JWTs, URLs with a password, HTTP bearer tokens and basic credentials) and literal values of variables named like one: a word of the name (split at `_`, `-`, `.` and case changes, a trailing number ignored) is a credential word such as `PASSWORD`, `PWD`, `TOKEN`, `SECRET`, `API_KEY` (or `PASS` as the last word), or ends in `password` (`PGPASSWORD`); `*_FILE`, `*_PATH`, `*_NAME` and similar name where a credential is, not one. ' +
    'Not flagged: `valueFrom`, empty values, `$(VAR)` references and templates, paths (`PASSWORD_FILE=/etc/...`), plain numbers, URLs without credentials, placeholders, and names that describe a credential without holding one (`*_FILE`, `*_PATH`, `*_TTL`, `*_LENGTH`, `*_SECRET_NAME`). ' +
    'Messages never show the value, not even in part: they name the key or variable and show `****` in its place.',
  remediation:
    'Move the value into a Secret (or an external secret store synced into one), rotate it since it has been exposed, and reference it:\n\n```yaml\nenv:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n        key: password\n```\n\nBetter still, mount the Secret as a file (CIS 5.4.1).',
  references: [
    'https://kubernetes.io/docs/concepts/configuration/secret/',
    'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (object) =>
    containerViolations(object, (container, out) => {
      const env = container.container.env;
      if (!Array.isArray(env)) return;
      env.forEach((variable, index) => {
        if (!isRecord(variable) || typeof variable.name !== 'string') return;
        const raw = variable.value;
        if (typeof raw !== 'string' && typeof raw !== 'number') return;
        const value = String(raw);
        const path = [...container.path, 'env', index, 'value'];
        const byFormat = matchValuePatterns(value)[0];
        if (byFormat) {
          out.push({
            message: `container "${container.name}" sets environment variable "${variable.name}" to a literal ${byFormat.kind} (${byFormat.masked})`,
            path,
            container: container.name,
          });
          return;
        }
        if (isCredentialName(variable.name) && isLiteralSecretValue(value))
          out.push({
            message: `container "${container.name}" sets credential-like environment variable "${variable.name}" to a literal value (${MASK})`,
            path,
            container: container.name,
          });
      });
    }),
});
