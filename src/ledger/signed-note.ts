// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519: the text, a blank line, then signature lines
// "— <key name> <base64(key ID || signature)>". The key ID is SHA-256(name || 0x0A || 0x01 || public key)[:4].
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

export const ED25519_SIGNATURE_TYPE = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
const MAX_SIGNATURES = 100;

/** Ed25519 public key: the 32 raw bytes plus its note name and key ID. */
export interface NoteVerifier {
  name: string;
  keyId: Buffer;
  publicKey: KeyObject;
}

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

export type OpenedNote =
  | { ok: true; text: string; signatures: NoteSignature[] }
  | { ok: false; reason: string; text?: string };

/** Names are non-empty and contain neither Unicode spaces nor '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !hasLoneSurrogate(name);
}

/** In a `u` regex a surrogate range matches only unpaired halves, which UTF-8 cannot carry. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDFFF]/u.test(text);
}

export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new TypeError('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

export function ed25519KeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new TypeError(`an Ed25519 public key is 32 bytes, not ${raw.length}`);
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

export function noteKeyId(name: string, rawPublicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ED25519_SIGNATURE_TYPE]))
    .update(rawPublicKey)
    .digest()
    .subarray(0, 4);
}

export function makeVerifier(name: string, publicKey: KeyObject): NoteVerifier {
  if (!isValidKeyName(name)) throw new TypeError(`invalid note key name "${name}"`);
  const publicKeyObject = publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey;
  return { name, keyId: noteKeyId(name, rawEd25519PublicKey(publicKeyObject)), publicKey: publicKeyObject };
}

/** The verifier key text: "<name>+<hex key ID>+<base64(0x01 || public key)>". */
export function formatVerifierKey(verifier: NoteVerifier): string {
  const raw = rawEd25519PublicKey(verifier.publicKey);
  const typed = Buffer.concat([Buffer.from([ED25519_SIGNATURE_TYPE]), raw]);
  return `${verifier.name}+${verifier.keyId.toString('hex')}+${typed.toString('base64')}`;
}

export function parseVerifierKey(
  text: string,
): { ok: true; verifier: NoteVerifier } | { ok: false; reason: string } {
  // The base64 key may itself contain '+': only the first two separate fields.
  const trimmed = text.trim();
  const first = trimmed.indexOf('+');
  const second = first < 0 ? -1 : trimmed.indexOf('+', first + 1);
  if (second < 0) return { ok: false, reason: 'a verifier key has the form name+keyid+base64key' };
  const name = trimmed.slice(0, first);
  const hexId = trimmed.slice(first + 1, second);
  const encoded = trimmed.slice(second + 1);
  if (!isValidKeyName(name)) return { ok: false, reason: `invalid key name "${name}"` };
  if (!/^[0-9a-f]{8}$/.test(hexId)) return { ok: false, reason: 'the key ID must be 8 lowercase hex digits' };
  const typed = strictBase64(encoded);
  if (typed === undefined) return { ok: false, reason: 'the key is not valid base64' };
  if (typed[0] !== ED25519_SIGNATURE_TYPE || typed.length !== 33)
    return { ok: false, reason: 'only Ed25519 verifier keys (type 0x01, 32 bytes) are supported' };
  const verifier = makeVerifier(name, ed25519KeyFromRaw(typed.subarray(1)));
  if (verifier.keyId.toString('hex') !== hexId)
    return {
      ok: false,
      reason: `key ID ${hexId} does not match the key (expected ${verifier.keyId.toString('hex')})`,
    };
  return { ok: true, verifier };
}

/** Signs note text (non-empty, ending in a newline, no blank line) and returns the whole note. */
export function signNote(text: string, name: string, privateKey: KeyObject): string {
  if (text.length === 0 || !text.endsWith('\n') || text.includes('\n\n'))
    throw new TypeError('note text must be non-empty lines ending in a newline');
  const verifier = makeVerifier(name, privateKey);
  const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
  const encoded = Buffer.concat([verifier.keyId, signature]).toString('base64');
  return `${text}\n${SIGNATURE_PREFIX}${name} ${encoded}\n`;
}

/** Decodes canonical base64 only: Node's decoder otherwise skips stray characters silently. */
export function strictBase64(text: string): Buffer | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64');
  return decoded.toString('base64') === text ? decoded : undefined;
}

/**
 * Opens a note: splits text from signatures, and requires a valid signature by `verifier`. A signature
 * line that names the verifier's key but does not verify rejects the note (it is not merely skipped);
 * signatures by other keys are ignored, as the spec requires.
 */
export function openNote(note: string, verifier: NoteVerifier): OpenedNote {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return { ok: false, reason: 'no blank line before the signatures' };
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) return { ok: false, reason: 'too many signatures', text };
  const signatures: NoteSignature[] = [];
  for (const [index, line] of lines.entries()) {
    const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const decoded = match ? strictBase64(match[2]!) : undefined;
    if (!match || decoded === undefined || decoded.length < 5)
      return { ok: false, reason: `signature line ${index + 1} is malformed`, text };
    signatures.push({ name: match[1]!, keyId: decoded.subarray(0, 4), signature: decoded.subarray(4) });
  }
  let verified = false;
  for (const candidate of signatures) {
    if (candidate.name !== verifier.name || !candidate.keyId.equals(verifier.keyId)) continue;
    if (!verify(null, Buffer.from(text, 'utf8'), verifier.publicKey, candidate.signature))
      return { ok: false, reason: `the signature by ${verifier.name} does not verify`, text };
    verified = true;
  }
  if (!verified)
    return {
      ok: false,
      reason: `not signed by ${verifier.name}+${verifier.keyId.toString('hex')} (signed by ${
        signatures.map((s) => `${s.name}+${s.keyId.toString('hex')}`).join(', ') || 'nobody'
      })`,
      text,
    };
  return { ok: true, text, signatures };
}
