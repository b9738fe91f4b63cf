// Heuristics for credentials written into manifests: by what a value looks like (key formats that are never
// anything else) and by the name it is stored under (PASSWORD, apiKey, ...) together with a plausible literal value.
// Never return or log a raw value: callers get a masked form only.

export interface CredentialMatch {
  /** What it looks like: "private key", "password", "AWS access key id", ... */
  kind: string;
  /** Masked form of the value, safe to show: `****`, nothing of the value itself. */
  masked: string;
  /** 1-based line inside a multi-line value, when the match is in one. */
  line?: number;
  /** Name of the assignment inside a file (`password` in `password=...`), when the match is one. */
  key?: string;
}

/**
 * What a report shows in place of a secret value: nothing of it. Not a prefix (it narrows guessing), not a hash
 * (short passwords are brute-forced from it), not the length.
 */
export const MASK = '****';

interface ValuePattern {
  kind: string;
  pattern: RegExp;
  /** Show nothing of the value at all (key material). */
}

const VALUE_PATTERNS: readonly ValuePattern[] = [
  { kind: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { kind: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { kind: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'Stripe secret key', pattern: /\b[sr]k_live_[0-9A-Za-z]{20,}\b/ },
  { kind: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
];

/** scheme://user:password@host, with a literal password; the user may be empty (Redis: `redis://:password@host`). */
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:([^\s@/'"]+)@[^\s/'"]+/gi;

/** Placeholders, documentation values and non-secrets that look like assignments. */
const PLACEHOLDER =
  /^(?:x+|\*+|\.+|-+|_+|#+|\?+|changeme|change[-_]?me|change[-_]?it|replace[-_]?me|replace[-_]?this|your[-_].*|my[-_]?password|placeholder|redacted|hidden|masked|secret|secrets|password|passwd|token|none|null|nil|undefined|true|false|yes|no|on|off|enabled|disabled|required|optional|default|empty|example|sample|dummy|todo|tbd|fixme|n\/a|na|string|str|value|test)$/i;

/** True when a value could be a literal credential rather than a reference, path, template or placeholder. */
export function isLiteralSecretValue(raw: string): boolean {
  const value = raw
    .trim()
    .replace(/^["']|["']$/g, '')
    .trim();
  if (value.length < 3) return false;
  if (PLACEHOLDER.test(value)) return false;
  // CHANGEME0000, replace-me-please, __SERVICEACCOUNT_TOKEN__, YOUR_API_KEY: values meant to be substituted.
  if (
    /^(?:change[-_]?me|change[-_]?it|replace[-_]?me|replace[-_]?with|insert[-_]|put[-_]|enter[-_]|your[-_])/i.test(
      value,
    )
  )
    return false;
  if (/^__\w+__$/.test(value) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) return false;
  // References and templates: $(VAR), ${VAR}, $VAR, {{ .x }}, %(x)s, <your-token>, @Microsoft.KeyVault(...)
  if (/\$\(|\$\{|^\$[A-Za-z_]|\{\{|\{%|%\(|%\{|^<.*>$|^@|^\[\[/.test(value)) return false;
  // Paths and file references.
  if (/^(?:\/|\.{1,2}\/|~\/|file:|[A-Za-z]:\\)/.test(value)) return false;
  // Numbers with units, dots or colons are sizes, durations, versions, ports; bare digits under a credential name
  // (`DB_PASSWORD: "12345678"`) are a PIN or password, unless too short to be one.
  if (/^\d+$/.test(value)) return value.length >= 4;
  if (/^[\d.:]+[a-z]{0,2}$/i.test(value)) return false;
  // URLs without a password in them are endpoints.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/:\/\/[^/@\s]*:[^/@\s]+@/.test(value)) return false;
  // Masked or documented example keys.
  if (/EXAMPLE|\*{3,}|x{6,}/i.test(value)) return false;
  return true;
}

/** Splits a name into lower-case words: `DB_PASSWORD`, `dbPassword`, `db.password`, `APIKey` → [db, password] / [api, key]. */
export function nameWords(name: string): string[] {
  // One pass, linear in the name: names come from submitted objects, and a backtracking expression over a long
  // run of capitals took quadratic time.
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= name.length; i++) {
    const code = i < name.length ? name.charCodeAt(i) : -1;
    if (!isAsciiUpper(code) && !isAsciiLower(code) && !isAsciiDigit(code)) {
      if (start !== -1) words.push(name.slice(start, i).toLowerCase());
      start = -1;
      continue;
    }
    if (start === -1) {
      start = i;
      continue;
    }
    // A capital starts a word after a lower-case letter or digit (`dbPassword`), and ends a run of capitals when a
    // lower-case letter follows it (`APIKey`).
    const previous = name.charCodeAt(i - 1);
    const splits =
      isAsciiUpper(code) &&
      (isAsciiLower(previous) ||
        isAsciiDigit(previous) ||
        (isAsciiUpper(previous) && isAsciiLower(name.charCodeAt(i + 1))));
    if (splits) {
      words.push(name.slice(start, i).toLowerCase());
      start = i;
    }
  }
  return words;
}

function isAsciiUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

function isAsciiLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'secretkey',
  'privatekey',
  'credential',
  'credentials',
  'pwd',
]);
/** One word that ends in a password: libpq's PGPASSWORD, REDISPASSWORD. */
const PASSWORD_SUFFIX = /(?:password|passwd|passphrase)$/;
const SECRET_PAIRS = new Set([
  'api key',
  'access key',
  'secret key',
  'private key',
  'auth key',
  'master key',
  'encryption key',
  'signing key',
  'client secret',
  'account key',
  'shared key',
]);
/** A name ending in one of these describes a credential (where it is, how long it lives) without being one. */
const DESCRIPTIVE_LAST_WORDS = new Set([
  'file',
  'files',
  'path',
  'dir',
  'directory',
  'location',
  'mount',
  'name',
  'names',
  'ref',
  'reference',
  'id',
  'ids',
  'user',
  'username',
  'length',
  'len',
  'min',
  'max',
  'size',
  'ttl',
  'timeout',
  'expiry',
  'expiration',
  'expires',
  'lifetime',
  'duration',
  'interval',
  'period',
  'seconds',
  'secs',
  'ms',
  'enabled',
  'enable',
  'disabled',
  'required',
  'type',
  'mode',
  'header',
  'endpoint',
  'uri',
  'url',
  'host',
  'port',
  'source',
  'field',
  'prefix',
  'format',
  'algorithm',
  'audience',
  'issuer',
  'count',
  'retries',
  'version',
  'provider',
  'store',
  'backend',
  'class',
  'label',
  'selector',
  'namespace',
  'key',
  'keys',
  'config',
  'env',
  'var',
  'regex',
  'pattern',
  'hint',
  'generator',
  'command',
  'cmd',
  'script',
  'method',
  'scheme',
  'flag',
  'option',
  'options',
  'secret',
  'template',
]);
const DESCRIPTIVE_WORDS = new Set([
  'policy',
  'reset',
  'forgot',
  'complexity',
  'validation',
  'strength',
  'rotation',
]);

// Names repeat across workloads (APP_MODE, POD_NAME, DB_PASSWORD): remember recent answers, up to a bound in
// count and, since names come from submitted objects, only for names of ordinary length.
const CREDENTIAL_NAME_CACHE_LIMIT = 4096;
const CACHED_NAME_MAX_LENGTH = 128;
const credentialNameCache = new Map<string, boolean>();

/** True when a variable, key or field name says it holds a credential. */
export function isCredentialName(name: string): boolean {
  if (name.length > CACHED_NAME_MAX_LENGTH) return judgeCredentialName(name);
  let answer = credentialNameCache.get(name);
  if (answer === undefined) {
    answer = judgeCredentialName(name);
    if (credentialNameCache.size >= CREDENTIAL_NAME_CACHE_LIMIT) credentialNameCache.clear();
    credentialNameCache.set(name, answer);
  }
  return answer;
}

function judgeCredentialName(name: string): boolean {
  // A numbered copy is the same credential: PASSWORD1, DB_PASSWORD3, API_KEY2, GITHUB_TOKEN2.
  const words = nameWords(name)
    .map((word) => word.replace(/\d+$/, ''))
    .filter((word) => word !== '');
  if (words.length === 0) return false;
  if (words.length === 1 && words[0] === 'pwd') return false; // the shell's working directory
  if (words.some((word) => DESCRIPTIVE_WORDS.has(word))) return false;
  // `pass` is a password only as the last word (DB_PASS, RABBITMQ_DEFAULT_PASS), not in PASS_RATE or PASS_THROUGH.
  let sensitive =
    words.some((word) => SECRET_WORDS.has(word) || PASSWORD_SUFFIX.test(word)) || words.at(-1) === 'pass';
  for (let i = 0; i + 1 < words.length && !sensitive; i++)
    sensitive = SECRET_PAIRS.has(`${words[i]} ${words[i + 1]}`);
  if (!sensitive) return false;
  const last = words[words.length - 1] as string;
  if (!DESCRIPTIVE_LAST_WORDS.has(last)) return true;
  // `SECRET_KEY`, `API_KEY`, `JWT_SECRET`: the last word is descriptive elsewhere, but here it is the credential.
  if (last === 'key')
    return SECRET_PAIRS.has(words.slice(-2).join(' ')) || (words.length === 2 && words[0] === 'secret');
  if (last === 'secret')
    return words.length === 1 || !words.slice(0, -1).some((word) => SECRET_WORDS.has(word) || word === 'tls');
  return false;
}

/**
 * Literals of which every match of VALUE_PATTERNS and URL_WITH_PASSWORD holds one: values with none of them (most
 * environment values) skip the nine expressions. Keep it in step when a pattern is added.
 */
export const VALUE_PATTERN_MARKERS =
  /-----BEGIN |AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|AIza|[sr]k_live_|eyJ|:\/\/|[Bb]earer\s|[Bb]asic\s/;

/** An HTTP Authorization value with an opaque bearer token (token68 characters, with letters and digits). */
const BEARER = /\b[Bb]earer\s+([A-Za-z0-9\-._~+/]{20,}=*)/;
/** An HTTP Authorization value with basic credentials: base64 of `user:password`. */
const BASIC = /\b[Bb]asic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/;

/** The password inside basic credentials, when the text decodes to `user:password`. */
function basicPassword(encoded: string): string | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  // Text that is not base64 of printable `user:password` decodes to control characters or no colon.
  if (!/^[\x20-\x7e]*$/.test(decoded)) return undefined;
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/** Credentials recognised by the format of the value alone. */
export function matchValuePatterns(value: string): CredentialMatch[] {
  const out: CredentialMatch[] = [];
  if (!VALUE_PATTERN_MARKERS.test(value)) return out;
  for (const { kind, pattern } of VALUE_PATTERNS) {
    const found = pattern.exec(value);
    if (!found || /EXAMPLE/i.test(found[0])) continue;
    out.push({ kind, masked: MASK, line: lineOf(value, found.index) });
  }
  const bearer = BEARER.exec(value);
  const token = bearer?.[1] ?? '';
  if (bearer && /[0-9]/.test(token) && /[A-Za-z]/.test(token) && !/EXAMPLE/i.test(token))
    out.push({ kind: 'bearer token', masked: MASK, line: lineOf(value, bearer.index) });
  const basic = BASIC.exec(value);
  const password = basic ? basicPassword(basic[1] ?? '') : undefined;
  if (basic && password !== undefined && isLiteralSecretValue(password))
    out.push({ kind: 'HTTP basic credentials', masked: MASK, line: lineOf(value, basic.index) });
  for (const found of value.matchAll(URL_WITH_PASSWORD)) {
    const password = found[1] ?? '';
    if (!isLiteralSecretValue(password)) continue;
    out.push({
      kind: 'URL with an embedded password',
      masked: MASK,
      line: lineOf(value, found.index ?? 0),
    });
    break;
  }
  return out;
}

/** `key = value`, `key: value`, `"key": "value"`, `Password=...;` in configuration files. */
const ASSIGNMENT =
  /(?:^|[\s,;{"'(])["']?([A-Za-z][A-Za-z0-9_.-]{0,60})["']?[ \t]*[:=][ \t]*("[^"\n]*"|'[^'\n]*'|[^\s"',;#}\]]+)/gm;

/** Credential assignments inside a configuration file held in a value. */
export function matchAssignments(text: string): CredentialMatch[] {
  const out: CredentialMatch[] = [];
  for (const found of text.matchAll(ASSIGNMENT)) {
    const key = found[1] ?? '';
    const raw = found[2] ?? '';
    if (!isCredentialName(key)) continue;
    const value = raw.replace(/^["']|["']$/g, '');
    if (!isLiteralSecretValue(value) || isCodeOrSetting(key, value)) continue;
    out.push({ kind: `${key} assignment`, key, masked: MASK, line: lineOf(text, found.index ?? 0) });
  }
  return out;
}

/** Name service sources (`passwd: files sss` in nsswitch.conf). */
const NSSWITCH_SOURCES = new Set([
  'files',
  'compat',
  'sss',
  'nis',
  'nisplus',
  'ldap',
  'systemd',
  'db',
  'winbind',
  'dns',
  'myhostname',
]);

/** Program code (`token=os.environ["X"]`, `password = self.password`) and configuration words that are not credentials. */
function isCodeOrSetting(key: string, value: string): boolean {
  if (/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*[[(]/.test(value)) return true;
  if (/^(?:os|self|this|args|config|settings|env|process|request|params|options|opts)\./.test(value))
    return true;
  return key.toLowerCase() === 'passwd' && NSSWITCH_SOURCES.has(value.toLowerCase());
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
