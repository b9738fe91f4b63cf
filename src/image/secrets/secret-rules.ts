// Secret rules: precise patterns (vendor prefixes and fixed lengths, complete key blocks), keywords as a cheap
// prefilter, and allow-lists for documented example values and placeholders.
import type { Severity } from '../../core/severity.ts';

export interface SecretRule {
  id: string;
  title: string;
  severity: Severity;
  /** Lowercase substrings, one of which must occur before the regex runs. */
  keywords: readonly string[];
  /** Global regex; the `secret` named group is the value (else the whole match). */
  pattern: RegExp;
  /** Only for files whose path matches (config files, docker config). */
  paths?: RegExp;
  /** Values that are documented examples or placeholders. */
  allow?: (value: string) => boolean;
}

const CONFIG_FILE =
  /(?:^|\/)(?:\.env(?:\.[\w-]+)?|[^/]+\.(?:env|ini|conf|cfg|cnf|properties|ya?ml|toml|json|xml|npmrc|pypirc|netrc)|\.npmrc|\.pypirc|\.netrc|\.git-credentials)$/i;

const PLACEHOLDER_VALUES = new Set([
  'password',
  'passwd',
  'secret',
  'changeit',
  'example',
  'required',
  'optional',
  'null',
  'none',
  'undefined',
  'true',
  'false',
  'string',
  'your_password',
  'yourpassword',
  'mypassword',
  'placeholder',
  'redacted',
  'empty',
  'xxxxxx',
]);

export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  return (
    PLACEHOLDER_VALUES.has(lower) ||
    /^[$%]|^\{\{|^<|^\[|^\(/.test(value) ||
    /^(.)\1+$/.test(value) ||
    /^\*+$/.test(value) ||
    lower.includes('example') ||
    /^(?:your|my|some|enter|insert|replace)[_-]/.test(lower) ||
    /^env[.:(]|^process\.env|^os\.environ|^getenv/i.test(value)
  );
}

export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    severity: 'critical',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    pattern: /\b(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g,
    allow: (value) => value.endsWith('EXAMPLE'),
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    severity: 'critical',
    keywords: ['aws_secret', 'aws-secret', 'secretaccesskey', 'secret_access_key'],
    pattern:
      /(?:aws[_-]?secret[_-]?access[_-]?key|secretaccesskey)["']?\s*[:=]\s*["']?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    allow: (value) => value.includes('EXAMPLEKEY'),
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    severity: 'critical',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    pattern: /\b(?<secret>(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82}))\b/g,
  },
  {
    id: 'gitlab-token',
    title: 'GitLab personal access token',
    severity: 'critical',
    keywords: ['glpat-'],
    pattern: /\b(?<secret>glpat-[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/g,
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    severity: 'high',
    keywords: ['xoxb-', 'xoxa-', 'xoxp-', 'xoxr-', 'xoxs-'],
    pattern: /\b(?<secret>xox[baprs]-[0-9]{8,}-[A-Za-z0-9-]{8,})\b/g,
  },
  {
    id: 'slack-webhook',
    title: 'Slack webhook URL',
    severity: 'medium',
    keywords: ['hooks.slack.com'],
    pattern:
      /https:\/\/hooks\.slack\.com\/services\/(?<secret>T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,})/g,
  },
  {
    id: 'stripe-secret-key',
    title: 'Stripe live secret key',
    severity: 'critical',
    keywords: ['sk_live_', 'rk_live_'],
    pattern: /\b(?<secret>[sr]k_live_[A-Za-z0-9]{24,})\b/g,
  },
  {
    id: 'google-api-key',
    title: 'Google API key',
    severity: 'high',
    keywords: ['aiza'],
    pattern: /\b(?<secret>AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
  },
  {
    id: 'npm-token',
    title: 'npm access token',
    severity: 'critical',
    keywords: ['npm_'],
    pattern: /\b(?<secret>npm_[A-Za-z0-9]{36})\b/g,
  },
  {
    id: 'pypi-token',
    title: 'PyPI upload token',
    severity: 'critical',
    keywords: ['pypi-ageichlwas5wcmc'],
    pattern: /\b(?<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})/g,
  },
  {
    id: 'azure-storage-key',
    title: 'Azure storage account key',
    severity: 'critical',
    keywords: ['accountkey='],
    pattern: /AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/g,
  },
  {
    id: 'private-key',
    title: 'Private key',
    severity: 'high',
    keywords: ['private key'],
    // A whole block with a body, not a mention of the header in code or docs.
    pattern:
      /-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|PGP|ENCRYPTED) )?PRIVATE KEY(?: BLOCK)?-----\s*(?<secret>(?:[A-Za-z0-9+/=:,-]+\s*){2,}?)-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----/g,
    allow: (value) => value.replace(/\s/g, '').length < 64,
  },
  {
    id: 'docker-config-auth',
    title: 'Registry credentials in a Docker config',
    severity: 'high',
    keywords: ['"auth"'],
    paths: /(?:^|\/)\.docker\/config\.json$|(?:^|\/)\.dockercfg$/,
    pattern: /"auth"\s*:\s*"(?<secret>[A-Za-z0-9+/]{8,}={0,2})"/g,
  },
  {
    id: 'url-credentials',
    title: 'Password in a URL',
    severity: 'high',
    keywords: ['://'],
    pattern:
      /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s/:@"'<>]{1,64}:(?<secret>[^\s/@"'<>]{3,128})@[A-Za-z0-9][\w.-]*/g,
    allow: isPlaceholder,
  },
  {
    id: 'config-password',
    title: 'Password or secret in a configuration file',
    severity: 'medium',
    keywords: ['pass', 'pwd', 'secret', 'token', 'key'],
    paths: CONFIG_FILE,
    pattern:
      /(?:^|[\s"'{,;])(?:[A-Za-z0-9]+[_.-])*(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)["']?\s*[:=]\s*["']?(?<secret>[^\s"'#;,<>{}]{6,200})/gim,
    allow: isPlaceholder,
  },
];
