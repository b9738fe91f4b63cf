// Dispatches a command line to its command and maps errors to exit codes.
import { PalisadeError } from '../core/errors.ts';
import { runDb } from './commands/db.ts';
import { runDocs } from './commands/docs.ts';
import { runExplain } from './commands/explain.ts';
import { runLedger } from './commands/ledger.ts';
import { runNetpol } from './commands/netpol.ts';
import { runRbac } from './commands/rbac.ts';
import { runRules } from './commands/rules.ts';
import { runSbom } from './commands/sbom.ts';
import { runScan } from './commands/scan.ts';
import { runScanDeps } from './commands/scan-deps.ts';
import { runScanImage } from './commands/scan-image.ts';
import { runScanSbom } from './commands/scan-sbom.ts';
import { runSnapshot } from './commands/snapshot.ts';
import { runPolicyTest } from './commands/test.ts';
import { runWatch } from './commands/watch.ts';
import { runWebhook } from './commands/webhook.ts';
import { HELP } from './help.ts';
import { type CliIo, EXIT, type ExitCode } from './io.ts';
import { PALISADE_VERSION } from './version.ts';

type Command = (args: readonly string[], io: CliIo) => Promise<ExitCode>;

const COMMANDS: Record<string, Command> = {
  scan: runScan,
  rules: runRules,
  explain: runExplain,
  docs: runDocs,
  rbac: runRbac,
  netpol: runNetpol,
  snapshot: runSnapshot,
  webhook: runWebhook,
  test: runPolicyTest,
  watch: runWatch,
  ledger: runLedger,
  sbom: runSbom,
  db: runDb,
  'scan-image': runScanImage,
  'scan-deps': runScanDeps,
  'scan-sbom': runScanSbom,
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(HELP);
    return name === undefined ? EXIT.usage : EXIT.clean;
  }
  if (name === 'version' || name === '--version') {
    io.stdout.write(`palisade ${PALISADE_VERSION}\n`);
    return EXIT.clean;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`palisade: unknown command "${name}"\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    // Ctrl-C while a command works: say so plainly, no stack trace (the command has cleaned up on its way out).
    if (io.signal?.aborted) {
      io.stderr.write(`palisade ${name}: interrupted\n`);
      return EXIT.runtime;
    }
    if (error instanceof PalisadeError) {
      io.stderr.write(`palisade ${name}: ${error.message}\n`);
      const usage =
        error.code === 'usage' || error.code === 'unknown-rule' || error.code === 'config-invalid';
      return usage ? EXIT.usage : EXIT.runtime;
    }
    io.stderr.write(
      `palisade ${name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.runtime;
  }
}
