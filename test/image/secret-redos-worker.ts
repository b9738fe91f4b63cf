// Runs in a worker thread (see secret-rules-redos.test.ts): every secret rule, and the ENV/history assignment
// scanner, over adversarial inputs. A pattern that backtracks super-linearly blocks this thread, not the test
// runner, which terminates the worker and names the input it was stuck on.
import { parentPort } from 'node:worker_threads';
import { secretAssignments } from '../../src/image/config-findings.ts';
import { isPlaceholder, SECRET_RULES } from '../../src/image/secrets/secret-rules.ts';
import { findSecrets } from '../../src/image/secrets/secret-scanner.ts';

export interface RedosProgress {
  type: 'start' | 'done';
  label: string;
  ms?: number;
}

const SIZE = 100 * 1024;
const PRINTABLE = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '\n', '\t'];

/** Text that gets a rule's regex past its literal prefix, so the repeated classes after it are exercised. */
const SEEDS: Record<string, string[]> = {
  'aws-access-key-id': ['AKIA', 'ASIA'],
  'aws-secret-access-key': ['aws_secret_access_key = ', 'secretaccesskey:'],
  'github-token': ['ghp_', 'github_pat_'],
  'gitlab-token': ['glpat-'],
  'slack-token': ['xoxb-', 'xoxb-12345678-'],
  'slack-webhook': ['https://hooks.slack.com/services/T', 'https://hooks.slack.com/services/TAAAAAAA/B'],
  'stripe-secret-key': ['sk_live_'],
  'google-api-key': ['AIza'],
  'npm-token': ['npm_'],
  'pypi-token': ['pypi-AgEIcHlwaS5vcmc'],
  'azure-storage-key': ['AccountKey='],
  'private-key': [
    '-----BEGIN PRIVATE KEY-----\n',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n',
    '-----BEGIN OPENSSH PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n-----END ',
  ],
  'docker-config-auth': ['"auth": "', '"auth":'],
  'url-credentials': ['ab://', 'https://user:', 'x://a:'],
  'config-password': ['password=', ' a.b-c_password: "', 'client_secret', ' a.'],
};

/** Rules whose `find` goes beyond their pattern: the characters their matches may repeat. */
const BODY_CLASSES: Record<string, RegExp> = { 'private-key': /[A-Za-z0-9+/=:,\s-]/ };

/** Representative characters of each character class in a pattern: letters, digits, and every symbol it allows. */
function classCharacters(pattern: RegExp): string[] {
  const found = new Set<string>();
  for (const [cls] of pattern.source.matchAll(/\\[sdw]|\[(?:\\.|[^\]\\])*\]/g)) {
    const re = new RegExp(`^${cls}$`, pattern.flags.replace(/[gy]/g, ''));
    const members = PRINTABLE.filter((char) => re.test(char));
    for (const char of members) if (!/[B-Zb-z1-9]/.test(char)) found.add(char);
  }
  return [...found];
}

function* inputs(): Generator<[string, string, string]> {
  for (const rule of SECRET_RULES) {
    const seeds = SEEDS[rule.id] ?? [rule.keywords[0]!];
    const chars = classCharacters(BODY_CLASSES[rule.id] ?? rule.pattern);
    const path =
      rule.paths === undefined
        ? 'notes.txt'
        : rule.id === 'config-password'
          ? 'app.env'
          : '.docker/config.json';
    for (const seed of seeds) {
      // A truncated token: the prefix alone, and the prefix many times over.
      yield [`${rule.id} ${JSON.stringify(seed)} repeated`, seed.repeat(Math.ceil(SIZE / seed.length)), path];
      for (const char of chars) {
        const label = `${rule.id} ${JSON.stringify(seed)} + ${JSON.stringify(char)}`;
        // One 100 KB line: the prefix, then a long run of one class character with no valid ending.
        yield [`${label} x100K`, `${seed}${char.repeat(SIZE)}!`, path];
        // Many prefixes each followed by a shorter run (the quadratic case for patterns restarted at each).
        const unit = `${seed}${char.repeat(48)}`;
        yield [`${label} x48 repeated`, unit.repeat(Math.ceil(SIZE / unit.length)), path];
      }
    }
  }
  // The review's reproduction: a PEM key cut off before its END line.
  const truncated = `-----BEGIN PRIVATE KEY-----\n${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n'.repeat(2000)}`;
  yield ['private-key truncated PEM', truncated, 'notes.txt'];
  yield ['private-key truncated PEM, many headers', truncated.repeat(3), 'notes.txt'];
  // Thousands of findings in one file: the scanner's own bookkeeping (lines, duplicates) must stay linear too.
  const line = `password=Pr0dPassw0rd AKIA${'QWERTYUIOPASDFGH'} url=https://u:Pr0dPassw0rd@db.internal\n`;
  yield ['many findings', line.repeat(Math.ceil(SIZE / line.length)), 'app.env'];
}

function* assignmentInputs(): Generator<[string, string]> {
  for (const unit of [' A="', " A='", ' A=', ' PASSWORD="x', 'A', '_', ' A_=', ';A=\'"'])
    yield [`assignments ${JSON.stringify(unit)} repeated`, unit.repeat(Math.ceil(SIZE / unit.length))];
  yield ['assignments long name', `${'A'.repeat(SIZE)}!`];
  yield ['placeholder long run', `${'a'.repeat(SIZE)}b`];
}

const port = parentPort;
if (port !== null) {
  for (const [label, text, path] of inputs()) {
    port.postMessage({ type: 'start', label } satisfies RedosProgress);
    const start = performance.now();
    findSecrets(text, path);
    port.postMessage({ type: 'done', label, ms: performance.now() - start } satisfies RedosProgress);
  }
  for (const [label, text] of assignmentInputs()) {
    port.postMessage({ type: 'start', label } satisfies RedosProgress);
    const start = performance.now();
    secretAssignments(text);
    isPlaceholder(text);
    port.postMessage({ type: 'done', label, ms: performance.now() - start } satisfies RedosProgress);
  }
  port.close();
}
