// Dispatches a command line to its command and maps errors to exit codes.
import { PalisadeError } from '../core/errors.ts';
import { terminalSafe, terminalSafeLines } from '../outputs/terminal-text.ts';
import { HELP } from './help.ts';
import { type CliIo, EXIT, type ExitCode } from './io.ts';
import { PALISADE_VERSION } from './version.ts';

type Command = (args: readonly string[], io: CliIo) => Promise<ExitCode>;

// Each command is loaded when it runs: `palisade scan` does not pay for parsing the webhook, image and
// detection code at start-up.
const COMMANDS: Record<string, () => Promise<Command>> = {
  scan: async () => (await import('./commands/scan.ts')).runScan,
  rules: async () => (await import('./commands/rules.ts')).runRules,
  explain: async () => (await import('./commands/explain.ts')).runExplain,
  docs: async () => (await import('./commands/docs.ts')).runDocs,
  rbac: async () => (await import('./commands/rbac.ts')).runRbac,
  netpol: async () => (await import('./commands/netpol.ts')).runNetpol,
  snapshot: async () => (await import('./commands/snapshot.ts')).runSnapshot,
  webhook: async () => (await import('./commands/webhook.ts')).runWebhook,
  test: async () => (await import('./commands/test.ts')).runPolicyTest,
  watch: async () => (await import('./commands/watch.ts')).runWatch,
  ledger: async () => (await import('./commands/ledger.ts')).runLedger,
  sbom: async () => (await import('./commands/sbom.ts')).runSbom,
  db: async () => (await import('./commands/db.ts')).runDb,
  'scan-image': async () => (await import('./commands/scan-image.ts')).runScanImage,
  'scan-deps': async () => (await import('./commands/scan-deps.ts')).runScanDeps,
  'scan-sbom': async () => (await import('./commands/scan-sbom.ts')).runScanSbom,
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  // `palisade help scan` is `palisade scan --help`, as git and kubectl read it.
  if (argv[0] === 'help' && argv[1] !== undefined && Object.hasOwn(COMMANDS, argv[1]))
    return runCli([argv[1], '--help'], io);
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(HELP);
    return name === undefined ? EXIT.usage : EXIT.clean;
  }
  if (name === 'version' || name === '--version') {
    io.stdout.write(`palisade ${PALISADE_VERSION}\n`);
    return EXIT.clean;
  }
  // Own keys only: `palisade toString` is an unknown command, not Object.prototype's.
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr.write(`palisade: unknown command "${terminalSafe(name)}"\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (error) {
    // Ctrl-C while a command works: say so plainly, no stack trace (the command has cleaned up on its way out).
    if (io.signal?.aborted) {
      io.stderr.write(`palisade ${name}: interrupted\n`);
      return EXIT.runtime;
    }
    if (error instanceof PalisadeError) {
      // Messages quote file names, object names and server answers: none of them may drive the terminal.
      io.stderr.write(`palisade ${name}: ${terminalSafeLines(error.message)}\n`);
      const usage =
        error.code === 'usage' || error.code === 'unknown-rule' || error.code === 'config-invalid';
      return usage ? EXIT.usage : EXIT.runtime;
    }
    io.stderr.write(
      `palisade ${name}: internal error: ${terminalSafeLines(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
    );
    return EXIT.runtime;
  }
}
