// Masks credential-looking values in alert text: alerts travel to chat rooms and SIEMs, and some rule outputs
// (Falco's configmap rule prints the whole ConfigMap data) would otherwise carry the secret they detected.

/**
 * Words that make a key's value a credential, for every masking here and in redact-configmap.ts. kubeconfig's
 * client-key-data holds a private key (base64 PEM, which PEM_PRIVATE cannot see).
 */
export const CREDENTIAL_WORDS =
  'pass(?:word|wd|phrase)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|client-key-data|client-certificate-data';
/** A key whose value is masked in JSON objects: the credential words, and `auth` (a field name, not free text). */
export const SENSITIVE_KEY = new RegExp(`${CREDENTIAL_WORDS}|auth`, 'i');
const JSON_PAIR = /"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
// The same pair inside a JSON string (one or more escape levels: `\"password\": \"v\"`), value without escapes.
const ESCAPED_JSON_PAIR = /(\\{1,8})"([^"\\]*)\1"\s*:\s*\1"([^"\\]*)\1"/g;
// Kubernetes name/value lists (container env): `{"name":"DB_PASSWORD","value":"..."}`.
const NAME_VALUE_PAIR = /"name"\s*:\s*"([^"\\]*)"\s*,\s*"value"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
// `key = value` and `key: value` (properties, INI, YAML, env files, command lines), found in one linear pass
// (maskKeyValues): a word from KEY_WORD, the rest of its key, then SEPARATED_VALUE right after that. The value
// is quoted (also with escaped quotes, as inside a JSON string), single-quoted, or bare up to a separator or a
// backslash: in text rendered as a JSON string, `\n` ends the line, and the next key must not be taken as the
// value. (One regular expression with the word inside the key, `[...]*word[...]*`, takes quadratic time on a
// long key-like run: ConfigMap data is user input.) `auth` is left out: author, oauth-url.
const KEY_WORD = new RegExp(CREDENTIAL_WORDS, 'gi');
const SEPARATED_VALUE = /\s*[=:]\s*(?:(\\*)"[^"\\]*\1"|'[^'\r\n]*'|[^\s,;"'}\]\\<]+)/y;
// `<password>value</password>` (XML configuration files): any element, kept when its name is not sensitive. Names
// and content stop at `<`, so each `<` starts one bounded attempt.
const XML_ELEMENT = /<([A-Za-z0-9_.:-]+)>[^<]+<\/\1>/g;
const XML_SENSITIVE = new RegExp(CREDENTIAL_WORDS, 'i');
const AWS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g;
// The body stops at the next BEGIN, so many unterminated keys cost one pass, not one pass each.
const PEM_PRIVATE =
  /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:(?!-----BEGIN )[\s\S])*?-----END [A-Z ]*PRIVATE KEY-----/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/g;

export const MASK = '***';

function isKeyChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 95 || // _
    code === 46 || // .
    code === 45 // -
  );
}

/** Every `key = value` whose key holds a KEY_WORD, as `key=***`; each character is looked at a bounded number of times. */
function maskKeyValues(text: string): string {
  let out = '';
  let copied = 0;
  KEY_WORD.lastIndex = 0;
  for (let word = KEY_WORD.exec(text); word !== null; word = KEY_WORD.exec(text)) {
    let end = word.index + word[0].length;
    while (end < text.length && isKeyChar(text.charCodeAt(end))) end++;
    SEPARATED_VALUE.lastIndex = end;
    if (SEPARATED_VALUE.exec(text) === null) {
      KEY_WORD.lastIndex = end;
      continue;
    }
    // The key (whatever precedes the word in it) is copied as it stands; only separator and value change.
    out += `${text.slice(copied, end)}=${MASK}`;
    copied = SEPARATED_VALUE.lastIndex;
    KEY_WORD.lastIndex = copied;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

export function maskSecrets(text: string): string {
  if (text.length === 0) return text;
  const structured = text
    .replace(PEM_PRIVATE, `-----PRIVATE KEY ${MASK}-----`)
    .replace(JSON_PAIR, (whole, key: string, value: string) =>
      SENSITIVE_KEY.test(key) && value !== '' ? `"${key}":"${MASK}"` : whole,
    )
    .replace(ESCAPED_JSON_PAIR, (whole, slashes: string, key: string, value: string) =>
      SENSITIVE_KEY.test(key) && value !== ''
        ? `${slashes}"${key}${slashes}":${slashes}"${MASK}${slashes}"`
        : whole,
    )
    .replace(NAME_VALUE_PAIR, (whole, name: string, value: string) =>
      SENSITIVE_KEY.test(name) && value !== '' ? `"name":"${name}","value":"${MASK}"` : whole,
    );
  return maskKeyValues(structured)
    .replace(XML_ELEMENT, (whole, element: string) =>
      XML_SENSITIVE.test(element) ? `<${element}>${MASK}</${element}>` : whole,
    )
    .replace(AWS_KEY_ID, (_whole, prefix: string) => `${prefix}${MASK}`)
    .replace(BEARER, `$1 ${MASK}`);
}
