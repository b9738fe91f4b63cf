// The C2SP tlog-checkpoint body (https://c2sp.org/tlog-checkpoint): origin, decimal tree size, base64 root
// hash, optional extension lines; carried as the text of a signed note.
import { HASH_SIZE } from './merkle-hash.ts';
import { strictBase64 } from './signed-note.ts';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  extensions: string[];
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  const lines = [checkpoint.origin, String(checkpoint.size), checkpoint.rootHash.toString('base64')];
  return `${[...lines, ...checkpoint.extensions].join('\n')}\n`;
}

export function parseCheckpoint(
  text: string,
): { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string } {
  if (!text.endsWith('\n')) return { ok: false, reason: 'checkpoint text does not end with a newline' };
  const [origin, sizeText, rootText, ...extensions] = text.slice(0, -1).split('\n');
  if (!origin) return { ok: false, reason: 'the origin line is empty' };
  if (sizeText === undefined || !/^(?:0|[1-9][0-9]*)$/.test(sizeText))
    return { ok: false, reason: `tree size "${sizeText ?? ''}" is not a decimal number` };
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) return { ok: false, reason: `tree size ${sizeText} is too large` };
  const rootHash = rootText === undefined ? undefined : strictBase64(rootText);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE)
    return { ok: false, reason: `root hash "${rootText ?? ''}" is not ${HASH_SIZE} bytes of base64` };
  if (extensions.some((line) => line.length === 0)) return { ok: false, reason: 'empty extension line' };
  return { ok: true, checkpoint: { origin, size, rootHash, extensions } };
}
