// uv.lock: the packages uv locked for a project or workspace, and which of them only development needs, worked out
// from the dependency graph (uv records dependency groups on the project, not per package).
import { languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { normalisedPythonName } from '../purl.ts';
import { type LockfileWarn, lockfileReader } from './lockfile-reader.ts';
import { type InlineTable, readTomlTables, type TableArrays, type TomlTable } from './toml-tables.ts';

/**
 * uv's sources that are local code (the project itself, workspace members, a directory or file on disk), not a
 * package from an index, a URL or a git repository.
 */
const LOCAL_UV_SOURCES = ['editable', 'virtual', 'directory', 'path'];

/** A dependency edge as uv.lock writes it: the name, and the version or source when several packages share it. */
interface UvEdge {
  name: string;
  version: string | undefined;
  source: Map<string, string>;
  extras: string[];
}

interface UvPackage {
  table: TomlTable;
  name: string | undefined;
  version: string | undefined;
  /** The project itself or a workspace member: where the dependency graph starts. */
  member: boolean;
  local: boolean;
  dependencies: UvEdge[];
  /** The package's extras (`[package.optional-dependencies]`), by name. */
  extras: Map<string, UvEdge[]>;
  /** Its dependency groups (`[package.dev-dependencies]`, PEP 735 groups included): development only. */
  groups: UvEdge[];
}

/** `target.push(...items)` without spreading: a hostile lock's million-edge list would overflow the call stack. */
function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

function uvEdges(tables: readonly InlineTable[] | undefined): UvEdge[] {
  const edges: UvEdge[] = [];
  for (const table of tables ?? []) {
    const name = table.get('name');
    if (typeof name !== 'string') continue;
    const version = table.get('version');
    const extras = table.get('extra');
    const source = new Map<string, string>();
    for (const [key, value] of table)
      if (key.startsWith('source.') && typeof value === 'string') source.set(key.slice(7), value);
    edges.push({
      name,
      version: typeof version === 'string' ? version : undefined,
      source,
      extras: Array.isArray(extras) ? extras : [],
    });
  }
  return edges;
}

function uvPackages(tables: readonly TomlTable[]): UvPackage[] {
  const packages: UvPackage[] = [];
  // `[package.optional-dependencies]` and `[package.dev-dependencies]` follow the `[[package]]` they belong to.
  let last: UvPackage | undefined;
  for (const table of tables) {
    if (table.header === 'package') {
      last = {
        table,
        name: table.values.get('name'),
        version: table.values.get('version'),
        member: table.values.has('source.editable') || table.values.has('source.virtual'),
        local: LOCAL_UV_SOURCES.some((source) => table.values.has(`source.${source}`)),
        dependencies: uvEdges(table.tableArrays.get('dependencies')),
        extras: new Map(),
        groups: [],
      };
      packages.push(last);
    } else if (table.header === 'package.optional-dependencies' && last !== undefined) {
      for (const [extra, edges] of table.tableArrays) last.extras.set(extra, uvEdges(edges));
    } else if (table.header === 'package.dev-dependencies' && last !== undefined) {
      for (const edges of table.tableArrays.values()) pushAll(last.groups, uvEdges(edges));
    }
  }
  return packages;
}

/** A graph whose walk would take longer than MAX_UV_GRAPH_STEPS (a hostile lock). */
class GraphTooLarge extends Error {}

/** Packages looked at while following edges: a real lock needs some tens of thousands. */
const MAX_UV_GRAPH_STEPS = 1_000_000;

/**
 * The packages an edge names: by name, and by version or source when the lock holds several of that name (a forked
 * resolution); an edge that still matches several names them all. Every package looked at, filtered out or not,
 * takes a step: many same-name packages times many edges is what a hostile lock would cost.
 */
function edgeTargets(packages: readonly UvPackage[]): (edge: UvEdge) => UvPackage[] {
  const byName = new Map<string, UvPackage[]>();
  for (const pkg of packages) {
    if (pkg.name === undefined) continue;
    const key = normalisedPythonName(pkg.name);
    const named = byName.get(key);
    if (named) named.push(pkg);
    else byName.set(key, [pkg]);
  }
  let steps = MAX_UV_GRAPH_STEPS;
  return (edge) => {
    let found = byName.get(normalisedPythonName(edge.name)) ?? [];
    steps -= found.length;
    if (steps < 0) throw new GraphTooLarge();
    if (found.length > 1 && edge.version !== undefined)
      found = found.filter((pkg) => pkg.version === edge.version);
    if (found.length > 1 && edge.source.size > 0)
      found = found.filter((pkg) =>
        [...edge.source].every(([key, value]) => pkg.table.values.get(`source.${key}`) === value),
      );
    return found;
  };
}

/**
 * The packages reached from `edges`, following each package's dependencies and the extras asked of it. Markers are
 * not evaluated: a package needed on any platform counts.
 */
function uvReach(edges: readonly UvEdge[], targets: (edge: UvEdge) => UvPackage[]): Set<UvPackage> {
  const reached = new Set<UvPackage>();
  const extrasTaken = new Map<UvPackage, Set<string>>();
  // An edge met again (the same name, version, source and extras) reaches nothing new.
  const followed = new Set<string>();
  const pending = [...edges];
  for (let edge = pending.pop(); edge !== undefined; edge = pending.pop()) {
    const key = [edge.name, edge.version ?? '', ...edge.source, '', ...edge.extras].join('\u0000');
    if (followed.has(key)) continue;
    followed.add(key);
    for (const pkg of targets(edge)) {
      if (!reached.has(pkg)) {
        reached.add(pkg);
        pushAll(pending, pkg.dependencies);
      }
      for (const extra of edge.extras) {
        let taken = extrasTaken.get(pkg);
        if (!taken) {
          taken = new Set();
          extrasTaken.set(pkg, taken);
        }
        if (taken.has(extra)) continue;
        taken.add(extra);
        pushAll(pending, pkg.extras.get(extra) ?? []);
      }
    }
  }
  return reached;
}

/**
 * Whether each package only serves development, from the dependency graph: uv.lock does not say it per package.
 * What the project and the workspace members need (their dependencies and their own extras, transitively) is
 * runtime; what only their dependency groups bring in is development. Unknown without a member to start from, and
 * for a package neither reaches.
 */
function uvDevelopmentOnly(packages: readonly UvPackage[]): (pkg: UvPackage) => boolean | undefined {
  const members = packages.filter((pkg) => pkg.member);
  if (members.length === 0) return () => undefined;
  const memberEdge = (pkg: UvPackage): UvEdge => ({
    name: pkg.name ?? '',
    version: pkg.version,
    source: new Map(),
    extras: [...pkg.extras.keys()],
  });
  // One index and one step allowance for both walks.
  const targets = edgeTargets(packages);
  const runtime = uvReach(members.filter((pkg) => pkg.name !== undefined).map(memberEdge), targets);
  for (const member of members) runtime.add(member);
  const development = uvReach(
    members.flatMap((member) => member.groups),
    targets,
  );
  return (pkg) => (runtime.has(pkg) ? false : development.has(pkg) ? true : undefined);
}

/** Dependency edges read from one uv.lock: a large workspace has some tens of thousands, each a few hundred bytes. */
const MAX_UV_EDGES = 200_000;

/** The arrays of inline tables the graph is made of: a package's dependencies, extras and dependency groups. */
function uvGraphArrays(header: string, key: string): boolean {
  if (header === 'package') return key === 'dependencies';
  return header === 'package.optional-dependencies' || header === 'package.dev-dependencies';
}

/**
 * uv.lock: every `[[package]]` with its `source` (`{ registry = ... }`, `{ git = ... }`, `{ url = ... }`); the
 * project and other local code left out. `dev` follows from the graph (uvDevelopmentOnly).
 */
export function parseUvLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  // Far more edges than any real project's lock: the graph would be incomplete, so `dev` is left unknown.
  const arrays: TableArrays = { keep: uvGraphArrays, maxElements: MAX_UV_EDGES };
  const packages = uvPackages(readTomlTables(text, warn, arrays));
  let developmentOnly: (pkg: UvPackage) => boolean | undefined = () => undefined;
  if (!arrays.exceeded)
    try {
      developmentOnly = uvDevelopmentOnly(packages);
    } catch (error) {
      if (!(error instanceof GraphTooLarge)) throw error;
      warn(`the dependency graph takes more than ${MAX_UV_GRAPH_STEPS} steps to follow: dev is not set`, 1);
    }
  const found: Package[] = [];
  for (const pkg of packages) {
    if (pkg.local) continue;
    if (pkg.name === undefined || pkg.version === undefined) {
      warn('[[package]] without a name or version string is left out', pkg.table.line);
      continue;
    }
    const dev = developmentOnly(pkg);
    found.push(
      languagePackage({
        type: 'pypi',
        name: pkg.name,
        version: pkg.version,
        path,
        line: pkg.table.line,
        foundBy: 'uv-lock',
        ...(dev === undefined ? {} : { dev }),
      }),
    );
  }
  return found;
}

export const uvLockReader = lockfileReader('uv-lock', ['uv.lock'], parseUvLock);
