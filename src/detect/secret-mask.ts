// Masks credential-looking values in alert text: alerts travel to chat rooms and SIEMs, and some rule outputs
// (Falco's configmap rule prints the whole ConfigMap data) would otherwise carry the secret they detected.

export const SENSITIVE_KEY =
  /(pass(word|wd|phrase)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)/i;
const JSON_PAIR = /"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
// The same pair inside a JSON string (one or more escape levels: `\"password\": \"v\"`), value without escapes.
const ESCAPED_JSON_PAIR = /(\\{1,8})"([^"\\]*)\1"\s*:\s*\1"([^"\\]*)\1"/g;
// Kubernetes name/value lists (container env): `{"name":"DB_PASSWORD","value":"..."}`.
const NAME_VALUE_PAIR = /"name"\s*:\s*"([^"\\]*)"\s*,\s*"value"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
// `key = value` and `key: value` (properties, INI, YAML, env files, command lines). The value is quoted (also
// with escaped quotes, as inside a JSON string), single-quoted, or bare up to a separator or a backslash: in
// text that was rendered as a JSON string, `\n` ends the line, and the next key must not be taken as the value.
const KEY_VALUE =
  /\b([A-Za-z0-9_.-]*(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|access[_-]?key)[A-Za-z0-9_.-]*)\s*[=:]\s*(?:(\\*)"[^"\\]*\2"|'[^'\r\n]*'|[^\s,;"'}\]\\<]+)/gi;
// `<password>value</password>` (XML configuration files).
const XML_ELEMENT =
  /<([A-Za-z0-9_.:-]*(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|access[_-]?key|credential)[A-Za-z0-9_.:-]*)>[^<]+<\/\1>/gi;
const AWS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g;
const PEM_PRIVATE = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/g;

export const MASK = '***';

export function maskSecrets(text: string): string {
  if (text.length === 0) return text;
  return text
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
    )
    .replace(KEY_VALUE, (_whole, key: string) => `${key}=${MASK}`)
    .replace(XML_ELEMENT, (_whole, element: string) => `<${element}>${MASK}</${element}>`)
    .replace(AWS_KEY_ID, (_whole, prefix: string) => `${prefix}${MASK}`)
    .replace(BEARER, `$1 ${MASK}`);
}
