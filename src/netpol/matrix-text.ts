// The namespace matrix as a table: rows are sources, columns destinations; each cell says all, none or how many
// pairs of pods/workloads can talk (and on what, when it is not everything).
import { formatConnections, isAll } from './connection-set.ts';
import { type NamespaceMatrix, OUTSIDE } from './namespace-matrix.ts';

function cellText(cell: NamespaceMatrix['cells'][number]): string {
  switch (cell.verdict) {
    case 'all':
      return 'all';
    case 'none':
      return 'none';
    case 'n/a':
      return '-';
    case 'partial': {
      const connections =
        isAll(cell.connections) || cell.reachable === 0 ? '' : ` ${formatConnections(cell.connections)}`;
      const dependent = cell.dependent > 0 ? ` (${cell.dependent} node-dependent)` : '';
      return `${cell.reachable}/${cell.pairs}${connections}${dependent}`;
    }
  }
}

export function renderMatrixText(matrix: NamespaceMatrix): string {
  const axis = [...matrix.namespaces, OUTSIDE];
  const text = new Map(matrix.cells.map((cell) => [`${cell.from}\u0000${cell.to}`, cellText(cell)]));
  const header = ['from \\ to', ...axis];
  const rows = axis.map((from) => [
    from,
    ...axis.map((to) => (from === OUTSIDE && to === OUTSIDE ? '' : (text.get(`${from}\u0000${to}`) ?? '-'))),
  ]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((value, column) => value.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    ...rows.map(line),
    '',
    'Cells: all = every pair fully open, none = no pair can connect, n/m = pairs with some allowed connection (with what is allowed), - = no pairs.',
    `${OUTSIDE} stands for addresses outside the pod network; a workload counts once and is paired with itself for its replicas;`,
    "a pod's traffic to itself is always allowed (NetworkPolicy cannot block it) and not counted.",
    ...(matrix.cells.some((cell) => cell.dependent > 0)
      ? [
          'node-dependent: pairs with a host-network pod that an ipBlock admits only if the node address is in it.',
        ]
      : []),
    '',
  ].join('\n');
}
