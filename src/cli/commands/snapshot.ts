// `palisade snapshot`: placeholder until its issue lands; it fails clearly instead of pretending.
import { PalisadeError } from '../../core/errors.ts';
import type { CliIo, ExitCode } from '../io.ts';

export async function runSnapshot(_args: readonly string[], _io: CliIo): Promise<ExitCode> {
  throw new PalisadeError('unsupported', 'snapshot is not implemented yet');
}
