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
  /**
   * Finds the matches instead of `pattern` when a regex could not do it in linear time (key blocks, whose body
   * and END line share characters); `pattern` is then only where a match starts.
   */
  find?: (text: string) => Iterable<RuleMatch>;
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

/** One match of a rule: where it starts, the whole matched text, and the secret value within it. */
export interface RuleMatch {
  index: number;
  text: string;
  secret: string;
}

const KEY_HEADER = /-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|PGP|ENCRYPTED) )?PRIVATE KEY(?: BLOCK)?-----/g;
const KEY_FOOTER = /-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----/y;
/** A character that cannot be part of a key body (base64, PEM headers such as `DEK-Info: ...`, whitespace). */
const NOT_KEY_BODY = /[^A-Za-z0-9+/=:,\s-]/g;
const FOOTER_START = '-----END ';
const HEADER_START = '-----BEGIN ';

/**
 * Private key blocks: a BEGIN line, a body of key characters with at least two non-space characters, and the
 * first private-key END line after it. Linear in the text: each region of key characters is measured once, and
 * END lines are searched with indexOf, forward only, however many BEGIN lines there are.
 */
export function* findKeyBlocks(text: string): Generator<RuleMatch> {
  const header = new RegExp(KEY_HEADER.source, 'g');
  const footer = new RegExp(KEY_FOOTER.source, 'y');
  const outside = new RegExp(NOT_KEY_BODY.source, 'g');
  /** The next BEGIN line at or after the current body; Infinity when there is none. */
  let nextBegin = -1;
  /** End of the run of key-body characters the current body lies in. */
  let regionEnd = -1;
  /** The first private-key END line at or after `searchedFrom` in that region; -1 when there is none. */
  let footerAt = -1;
  let footerLength = 0;
  let searchedFrom = Number.POSITIVE_INFINITY;
  for (let begin = header.exec(text); begin !== null; begin = header.exec(text)) {
    const bodyStart = begin.index + begin[0].length;
    if (bodyStart > regionEnd) {
      outside.lastIndex = bodyStart;
      regionEnd = outside.exec(text)?.index ?? text.length;
      searchedFrom = Number.POSITIVE_INFINITY;
    }
    // The cached answer holds when it was searched from here or earlier and the END line it found (if any) is
    // still ahead: there is no END line between the two starting points.
    if (!(searchedFrom <= bodyStart && (footerAt === -1 || footerAt >= bodyStart))) {
      searchedFrom = bodyStart;
      footerAt = -1;
      for (let at = text.indexOf(FOOTER_START, bodyStart); at >= 0 && at < regionEnd; ) {
        footer.lastIndex = at;
        const end = footer.exec(text);
        if (end !== null) {
          footerAt = at;
          footerLength = end[0].length;
          break;
        }
        at = text.indexOf(FOOTER_START, at + 1);
      }
    }
    if (footerAt === -1) continue;
    // A BEGIN line before the END line: that inner block is the key, not this header and all that follows.
    if (nextBegin < bodyStart) {
      const at = text.indexOf(HEADER_START, bodyStart);
      nextBegin = at === -1 ? Number.POSITIVE_INFINITY : at;
    }
    if (nextBegin < footerAt) continue;
    const secret = text.slice(bodyStart, footerAt).trimStart();
    // An empty block is not a key (and must not reach for the END line of the next one).
    if (secret.replace(/\s/g, '').length < 2) continue;
    const end = footerAt + footerLength;
    yield { index: begin.index, text: text.slice(begin.index, end), secret };
    header.lastIndex = end;
  }
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
    keywords: ['pypi-ageichlwas5vcmc'],
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
    // A whole block with a body, not a mention of the header in code or docs. Found by findKeyBlocks: as one
    // regex, a body pattern that may contain `-`, spaces and capitals before an END line backtracks
    // exponentially on a block cut off before its END line.
    pattern: new RegExp(KEY_HEADER.source, 'g'),
    find: findKeyBlocks,
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
