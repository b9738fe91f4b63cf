// Ed25519 keys for checkpoints: PKCS#8 PEM (private), SPKI PEM and note verifier-key text (public).
// Error messages name the file, never its contents.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { PalisadeError } from '../core/errors.ts';
import { MAX_SMALL_FILE_BYTES, readRegularFile } from '../core/regular-file.ts';
import { terminalSafe } from '../outputs/terminal-text.ts';
import {
  formatVerifierKey,
  isValidKeyName,
  makeVerifier,
  type NoteVerifier,
  parseVerifierKey,
} from './signed-note.ts';

export interface GeneratedKeys {
  privateKeyPem: string;
  publicKeyPem: string;
  verifierKey: string;
}

/**
 * A name for a new key, or an origin to verify against: valid in the signed-note format (non-empty, no space, no
 * "+"), and, stricter than the format, nothing a terminal would act on (what terminalSafe escapes), since the name
 * is printed and written into notes.
 */
function checkKeyName(name: string, what: string): void {
  if (!isValidKeyName(name) || terminalSafe(name) !== name)
    throw new PalisadeError(
      'usage',
      `${what} "${name}" must be non-empty, without spaces, "+" or control characters`,
    );
}

export function generateLedgerKeys(name: string): GeneratedKeys {
  checkKeyName(name, 'key name');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    verifierKey: formatVerifierKey(makeVerifier(name, publicKey)),
  };
}

async function readKeyFile(file: string, what: string): Promise<string> {
  try {
    return (await readRegularFile(file, MAX_SMALL_FILE_BYTES)).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'input-not-found' : 'input-unreadable';
    throw new PalisadeError(code, `cannot read ${what} ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export async function loadSigningKey(file: string): Promise<KeyObject> {
  const text = await readKeyFile(file, 'signing key');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch (error) {
    throw new PalisadeError('input-unreadable', `${file} is not a PEM private key`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new PalisadeError('input-unreadable', `${file} holds a ${key.asymmetricKeyType} key, not Ed25519`);
  return key;
}

/**
 * The verifier for checkpoints of `origin` from a public key file: either a verifier key line
 * (name+id+key, whose name must be the origin) or a PEM public key (named after the origin).
 */
export async function loadVerifier(file: string, origin?: string): Promise<NoteVerifier> {
  const text = (await readKeyFile(file, 'public key')).trim();
  if (!text.startsWith('-----BEGIN')) {
    const parsed = parseVerifierKey(text);
    if (!parsed.ok) throw new PalisadeError('input-unreadable', `${file}: ${parsed.reason}`);
    return parsed.verifier;
  }
  if (text.includes('PRIVATE KEY'))
    throw new PalisadeError('usage', `${file} is a private key: verify with the public key (.pub or .vkey)`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch (error) {
    throw new PalisadeError('input-unreadable', `${file} is not a PEM public key`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new PalisadeError('input-unreadable', `${file} holds a ${key.asymmetricKeyType} key, not Ed25519`);
  if (origin === undefined)
    throw new PalisadeError('usage', `${file} is a PEM key without a name: give --origin or a verifier key`);
  checkKeyName(origin, '--origin');
  return makeVerifier(origin, key);
}
