// `palisade snapshot`: reads a live cluster into a file (Secret values removed) that `palisade scan` reads offline.
import { resolve } from 'node:path';
import { maskUserinfo } from '../../cluster/connection.ts';
import { kindsToList } from '../../cluster/context-kinds.ts';
import { readLiveCluster } from '../../cluster/live-snapshot.ts';
import { TerminalProgress } from '../../cluster/progress.ts';
import { serializeSnapshot } from '../../cluster/snapshot.ts';
import { writeSnapshotFile } from '../../cluster/snapshot-file.ts';
import { snapshotInventory } from '../../cluster/snapshot-inventory.ts';
import { PalisadeError } from '../../core/errors.ts';
import { terminalSafe } from '../../outputs/terminal-text.ts';
import { builtinRules } from '../../rules/index.ts';
import { parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { CLUSTER_OPTIONS, clusterOptionsFrom } from '../scan-pipeline.ts';
import { PALISADE_VERSION } from '../version.ts';

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h', default: false },
  ...CLUSTER_OPTIONS,
} as const;

export const SNAPSHOT_HELP = `Usage: palisade snapshot [--cluster] [--context NAME] [--kubeconfig PATH] [--namespace NS] -o FILE

Reads every kind the rules need from a live cluster and writes it to FILE (- for standard output), with
Secret values removed. \`palisade scan FILE\` scans it offline with the same results as a live scan.

Options:
  -o, --output FILE        where to write the snapshot (created with mode 0600)
      --cluster            read the cluster (implied)
      --context NAME       kubeconfig context (default: the current context)
      --kubeconfig PATH    kubeconfig file (default: KUBECONFIG, ~/.kube/config, then the in-cluster config)
  -n, --namespace NS       only this namespace's namespaced objects (cluster-scoped kinds are still read)
      --no-kubelet-config  do not read nodes' live kubelet configuration (nodes/proxy/configz)
      --page-size N        objects per LIST page (default 500)
`;

export async function runSnapshot(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'snapshot');
  if (values.help) {
    io.stdout.write(SNAPSHOT_HELP);
    return EXIT.clean;
  }
  if (positionals.length > 0)
    throw new PalisadeError(
      'usage',
      `unexpected argument "${positionals[0]}": snapshot reads a cluster, not files`,
    );
  if (values.output === undefined)
    throw new PalisadeError('usage', 'give the file to write with -o FILE (or -o - for standard output)');
  if (values['include-owned'])
    throw new PalisadeError(
      'usage',
      '--include-owned applies to scans: a snapshot always keeps every object',
    );
  const cluster = clusterOptionsFrom({ ...values, cluster: true }) ?? {};
  const progress =
    (io.stderr as { isTTY?: boolean }).isTTY === true ? new TerminalProgress(io.stderr) : undefined;
  let snapshot: Awaited<ReturnType<typeof readLiveCluster>>;
  try {
    snapshot = await readLiveCluster({
      ...cluster,
      cwd: io.cwd,
      env: io.env,
      kinds: kindsToList(builtinRules.flatMap((rule) => rule.kinds)),
      now: io.now(),
      userAgent: `palisade/${PALISADE_VERSION}`,
      ...(io.signal ? { signal: io.signal } : {}),
      ...(progress ? { progress } : {}),
    });
  } catch (error) {
    if (io.signal?.aborted) {
      io.stderr.write('palisade snapshot: interrupted; nothing written\n');
      return EXIT.runtime;
    }
    throw error;
  }

  if (values.output === '-') for (const chunk of serializeSnapshot(snapshot)) io.stdout.write(chunk);
  else await writeSnapshotFile(resolve(io.cwd, values.output), snapshot, values.output);

  const { issues, notices } = snapshotInventory(snapshot, { includeOwned: true });
  const listed = snapshot.coverage.filter((entry) => entry.status === 'listed').length;
  // The context comes from the kubeconfig and messages quote what the API server answered: never raw to the terminal.
  io.stderr.write(
    `palisade snapshot: ${snapshot.items.length} objects of ${listed} kinds from ${terminalSafe(`${snapshot.context} (${maskUserinfo(snapshot.server)})`)}\n`,
  );
  // Warnings first (an unverified server puts everything else in doubt), then what could not be read.
  for (const notice of notices)
    if (notice.severity === 'warning') io.stderr.write(`  warning: ${terminalSafe(notice.message)}\n`);
  for (const issue of issues) io.stderr.write(`  ${issue.severity}: ${terminalSafe(issue.message)}\n`);
  const incomplete = issues.some((issue) => issue.severity === 'error');
  if (incomplete) io.stderr.write('palisade snapshot: the snapshot is incomplete (see above)\n');
  return incomplete ? EXIT.runtime : EXIT.clean;
}
