// `palisade ledger`: placeholder until its issue lands; it fails clearly instead of pretending.
import { PalisadeError } from '../../core/errors.ts';
import type { CliIo, ExitCode } from '../io.ts';

export async function runLedger(_args: readonly string[], _io: CliIo): Promise<ExitCode> {
  throw new PalisadeError('unsupported', 'ledger is not implemented yet');
}
