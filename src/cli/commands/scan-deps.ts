// `palisade scan-deps`: placeholder until its issue lands; it fails clearly instead of pretending.
import { PalisadeError } from '../../core/errors.ts';
import type { CliIo, ExitCode } from '../io.ts';

export async function runScanDeps(_args: readonly string[], _io: CliIo): Promise<ExitCode> {
  throw new PalisadeError('unsupported', 'scan-deps is not implemented yet');
}
