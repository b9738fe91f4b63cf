// `palisade ledger`: keys, verification, proofs and repair for the tamper-evident alert ledger.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PalisadeError } from '../../core/errors.ts';
import {
  consistencyProofFor,
  formatVerificationText,
  generateLedgerKeys,
  inclusionProofFor,
  loadVerifier,
  repairLedger,
  verifyLedger,
} from '../../ledger/index.ts';
import { parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';

export const LEDGER_HELP = `Usage:
  palisade ledger keygen [--name NAME] [--out PREFIX] [--force]
      new Ed25519 checkpoint key: PREFIX.key (private, PKCS#8 PEM, mode 0600), PREFIX.pub (SPKI PEM)
      and PREFIX.vkey (signed-note verifier key); NAME is the ledger origin (default palisade/alerts),
      PREFIX defaults to palisade-ledger
  palisade ledger verify DIR --key FILE [--origin NAME] [--checkpoint FILE]... [--allow-unsigned-tail]
                         [--format text|json]
      check every entry, leaf hash, checkpoint signature and proof; report where the log was altered,
      truncated, reordered or extended. --key takes the .vkey or .pub file (a .pub needs --origin);
      --checkpoint adds a checkpoint kept elsewhere that the log must still contain
  palisade ledger proof DIR ENTRY-INDEX [--size N]
      inclusion proof (JSON) of an entry in the tree of size N (default: the latest checkpoint)
  palisade ledger consistency DIR SIZE1 [SIZE2]
      consistency proof (JSON) between two tree sizes (SIZE2 default: the latest checkpoint)
  palisade ledger repair DIR
      move a torn final write, and entry lines without a leaf hash, aside (kept in files beside the
      ledger) so the ledger can be opened again

Exit codes: 0 verified, 1 verification found problems, 2 usage error, 3 runtime error.
`;

type Subcommand = (args: readonly string[], io: CliIo) => Promise<ExitCode>;

const SUBCOMMANDS: Record<string, Subcommand> = {
  keygen: runKeygen,
  verify: runVerify,
  proof: runProof,
  consistency: runConsistency,
  repair: runRepair,
};

export async function runLedger(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(LEDGER_HELP);
    return name === undefined ? EXIT.usage : EXIT.clean;
  }
  const subcommand = SUBCOMMANDS[name];
  if (!subcommand)
    throw new PalisadeError(
      'usage',
      `unknown subcommand "${name}": expected ${Object.keys(SUBCOMMANDS).join(', ')}`,
    );
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(LEDGER_HELP);
    return EXIT.clean;
  }
  return subcommand(rest, io);
}

function wholeNumber(text: string, what: string): number {
  if (!/^(?:0|[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new PalisadeError('usage', `${what} must be a whole number, got "${text}"`);
  return Number(text);
}

function onePositional(positionals: string[], command: string, names: string): string[] {
  if (positionals.length === 0) throw new PalisadeError('usage', `ledger ${command}: give ${names}`);
  return positionals;
}

async function runKeygen(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      name: { type: 'string', default: 'palisade/alerts' },
      out: { type: 'string', default: 'palisade-ledger' },
      force: { type: 'boolean', default: false },
    },
    'ledger keygen',
  );
  if (positionals.length > 0)
    throw new PalisadeError('usage', `ledger keygen: unexpected argument "${positionals[0]}"`);
  const keys = generateLedgerKeys(values.name);
  const prefix = resolve(io.cwd, values.out);
  // --force removes old files first: writeFile's mode applies only to a file it creates.
  if (values.force)
    await Promise.all(
      ['key', 'pub', 'vkey'].map((extension) => rm(`${prefix}.${extension}`, { force: true })),
    );
  const files: [string, string, number][] = [
    [`${prefix}.key`, keys.privateKeyPem, 0o600],
    [`${prefix}.pub`, keys.publicKeyPem, 0o644],
    [`${prefix}.vkey`, `${keys.verifierKey}\n`, 0o644],
  ];
  for (const [file, content, mode] of files)
    try {
      await writeFile(file, content, { mode, flag: 'wx' });
    } catch (error) {
      const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
      throw new PalisadeError(
        exists ? 'usage' : 'output-unwritable',
        exists
          ? `${file} exists: choose another --out or give --force`
          : `cannot write ${file}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  io.stdout.write(
    `wrote ${prefix}.key (private: keep it secret; openLedger's signingKeyFile), ${prefix}.pub and ${prefix}.vkey\n` +
      `verifier key: ${keys.verifierKey}\n`,
  );
  return EXIT.clean;
}

async function runVerify(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      key: { type: 'string' },
      origin: { type: 'string' },
      checkpoint: { type: 'string', multiple: true },
      'allow-unsigned-tail': { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
    },
    'ledger verify',
  );
  const [dir] = onePositional(positionals, 'verify', 'the ledger directory');
  if (positionals.length > 1)
    throw new PalisadeError('usage', `ledger verify: unexpected argument "${positionals[1]}"`);
  if (values.key === undefined)
    throw new PalisadeError('usage', 'ledger verify: --key FILE (the .vkey or .pub) is required');
  if (values.format !== 'text' && values.format !== 'json')
    throw new PalisadeError('usage', `ledger verify: --format must be text or json, got "${values.format}"`);
  const verifier = await loadVerifier(resolve(io.cwd, values.key), values.origin);
  const trustedCheckpoints: { source: string; note: string }[] = [];
  for (const file of values.checkpoint ?? [])
    try {
      trustedCheckpoints.push({ source: file, note: await readFile(resolve(io.cwd, file), 'utf8') });
    } catch (error) {
      throw new PalisadeError(
        'input-not-found',
        `cannot read checkpoint ${file}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  let result: Awaited<ReturnType<typeof verifyLedger>>;
  try {
    result = await verifyLedger({
      dir: resolve(io.cwd, dir!),
      verifier,
      ...(values.origin !== undefined ? { origin: values.origin } : {}),
      trustedCheckpoints,
      allowUnsignedTail: values['allow-unsigned-tail'],
      ...(io.signal ? { signal: io.signal } : {}),
    });
  } catch (error) {
    if (io.signal?.aborted !== true) throw error;
    io.stderr.write('palisade ledger verify: interrupted before the verification finished\n');
    return EXIT.runtime;
  }
  result.dir = dir!;
  io.stdout.write(
    values.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatVerificationText(result),
  );
  return result.ok ? EXIT.clean : EXIT.findings;
}

async function runProof(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, { size: { type: 'string' } }, 'ledger proof');
  if (positionals.length !== 2) throw new PalisadeError('usage', 'ledger proof: give DIR and ENTRY-INDEX');
  const [dir, index] = positionals as [string, string];
  const size = values.size === undefined ? undefined : wholeNumber(values.size, '--size');
  const document = await inclusionProofFor(resolve(io.cwd, dir), wholeNumber(index, 'ENTRY-INDEX'), size);
  io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  return EXIT.clean;
}

async function runConsistency(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { positionals } = parseCommandArgs(args, {}, 'ledger consistency');
  if (positionals.length < 2 || positionals.length > 3)
    throw new PalisadeError('usage', 'ledger consistency: give DIR, SIZE1 and optionally SIZE2');
  const [dir, first, second] = positionals as [string, string, string | undefined];
  const document = await consistencyProofFor(
    resolve(io.cwd, dir),
    wholeNumber(first, 'SIZE1'),
    second === undefined ? undefined : wholeNumber(second, 'SIZE2'),
  );
  io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  return EXIT.clean;
}

async function runRepair(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { positionals } = parseCommandArgs(args, {}, 'ledger repair');
  if (positionals.length !== 1) throw new PalisadeError('usage', 'ledger repair: give the ledger directory');
  const actions = await repairLedger(resolve(io.cwd, positionals[0]!));
  if (actions.length === 0) io.stdout.write('nothing to repair\n');
  for (const action of actions)
    io.stdout.write(`${action.file} byte ${action.offset}: ${action.bytes} byte(s) ${action.action}\n`);
  return EXIT.clean;
}
