import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { object } from '../example-objects.ts';
import {
  type CredentialMatch,
  isCredentialName,
  isLiteralSecretValue,
  MASK,
  matchAssignments,
  matchValuePatterns,
} from './credential-detection.ts';

/** Binary values are only searched when they decode to text (a key file stored as binaryData). */
function decodeText(base64: string): string | undefined {
  const text = Buffer.from(base64, 'base64').toString('utf8');
  if (text.length === 0) return undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Control characters other than tab, newline and carriage return, or invalid UTF-8: not text.
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 0xfffd) return undefined;
  }
  return text;
}

function findCredential(key: string, value: string): CredentialMatch | undefined {
  const byFormat = matchValuePatterns(value)[0];
  if (byFormat) return byFormat;
  // A key named like a credential holding a single-line literal: `db-password: hunter2`.
  if (!value.includes('\n') && value.length <= 256 && isCredentialName(key) && isLiteralSecretValue(value))
    return { kind: 'literal credential', masked: MASK };
  return matchAssignments(value)[0];
}

function describe(field: string, key: string, match: CredentialMatch): string {
  const where = match.line !== undefined && match.line > 1 ? ` (line ${match.line})` : '';
  if (match.key !== undefined)
    return `ConfigMap ${field} key "${key}" assigns a literal value to "${match.key}"${where} (${match.masked})`;
  return `ConfigMap ${field} key "${key}" holds a ${match.kind}${where} (${match.masked})`;
}

const PASS: KubeObject[] = [
  object('v1', 'ConfigMap', 'web', {
    data: {
      'password-policy': 'min-length=12',
      'password-min-length': '12',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder as users write it, not a template
      'app.properties': 'db.user=app\ndb.password=${DB_PASSWORD}\ndb.password.file=/etc/secrets/db\n',
      'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n',
      token: '',
    },
  }),
];

const FAIL: KubeObject[] = [
  object('v1', 'ConfigMap', 'web', {
    data: {
      'app.properties': 'db.user=app\ndb.password=hunter2-in-git\n',
      'aws-key': 'AKIAZ7QWERTYUIOPASDF',
    },
  }),
  object('v1', 'ConfigMap', 'keys', {
    binaryData: {
      'tls.key': Buffer.from(
        '-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----\n',
      ).toString('base64'),
    },
  }),
];

export default defineRule({
  id: 'credentials-in-configmap',
  title: 'Credential stored in a ConfigMap',
  severity: 'high',
  domain: 'secrets',
  kinds: ['ConfigMap'],
  phase: 'develop',
  layer: 'code',
  frameworks: { 'cis-k8s': ['5.4.1'], 'nsa-cisa': ['secrets'], 'mitre-attack': ['T1552.001', 'T1552.007'] },
  description:
    'ConfigMaps are meant for non-confidential data: they are never encrypted at rest, read access to them is granted freely (many controllers and the `view` role have it), and they are printed in logs and dashboards. ' +
    'Flagged, per key of `data` and `binaryData`: private keys in PEM form, cloud and VCS tokens (AWS `AKIA...`, GitHub, GitLab, Slack, Google, Stripe), JWTs, URLs with an embedded password, HTTP bearer tokens and basic credentials (`Authorization` values), ' +
    'a key named like a credential (`db-password`) holding a literal, and assignments such as `password=...` or `"apiKey": "..."` in configuration files. ' +
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder as users write it, not a template
    'Not flagged: empty values, references and templates (`${VAR}`, `{{ }}`), paths, numbers, placeholders, certificates (public) and keys that describe a credential without holding one (`password-policy`, `token-ttl`, `password-file`). ' +
    'Messages never show the value, not even in part: they name the key or variable and show `****` in its place.',
  remediation:
    'Move the credential into a Secret (or an external secret store) and rotate it, since it has been exposed; reference it from the configuration through an environment variable or a mounted file.',
  references: [
    'https://kubernetes.io/docs/concepts/configuration/configmap/',
    'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (obj) => {
    const out: Violation[] = [];
    for (const field of ['data', 'binaryData'] as const) {
      const entries = obj[field];
      if (!isRecord(entries)) continue;
      for (const [key, raw] of Object.entries(entries)) {
        if (typeof raw !== 'string' || raw === '') continue;
        const value = field === 'binaryData' ? decodeText(raw) : raw;
        if (value === undefined) continue;
        const match = findCredential(key, value);
        if (match) out.push({ message: describe(field, key, match), path: [field, key] });
      }
    }
    return out;
  },
});
