// Finds a control-plane component's process in a Pod (a kubeadm static pod, as a file or its mirror pod in the
// cluster), or kube-proxy's in a Pod or DaemonSet, and reads its flags as the component does. Kubernetes components
// use pflag with component-base's normalisation; etcd uses Go's standard flag package and ETCD_* environment
// variables.
import type { FieldPath, KubeObject } from '../../core/kube-object.ts';
import { isRecord } from '../../core/kube-object.ts';
import { LastUsedCache } from '../../core/last-used-cache.ts';
import { type PodTemplateView, podTemplateOf } from '../../core/pod-spec.ts';
import type { Violation } from '../../core/rule.ts';
import { expandContainerWords } from './container-env-expansion.ts';
import { basename, componentArgv, type Word } from './control-plane-command.ts';

export type ControlPlaneComponent = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';
/** The components whose flags are read: the control plane's, and kube-proxy's (a DaemonSet on most clusters). */
export type Component = ControlPlaneComponent | 'kube-proxy';

export interface Flag {
  /** The effective value: the last occurrence, or all occurrences joined by commas for list flags. */
  value: string;
  /** Where the flag is written: its last occurrence (the first for list flags), or its ETCD_* variable. */
  path: FieldPath;
}

export interface ComponentProcess {
  component: Component;
  container: string;
  /** The command (or args) list of the container: where a missing flag belongs. */
  argvPath: FieldPath;
  flags: Map<string, Flag>;
  /**
   * String flags written with an empty value (`--client-ca-file=`): the component takes its default, as if the flag
   * were not given, so they are not in `flags`; violations about them point here.
   */
  emptyFlags: Map<string, FieldPath>;
  /** Set when the flags do not show the configuration (unreadable command, etcd `--config-file`): not evaluated. */
  unobservable?: { reason: string; path: FieldPath };
}

/**
 * Kubernetes flags whose repeated occurrences add up instead of replacing each other (pflag StringSlice and
 * StringArray, component-base's feature gates): `--authorization-mode=AlwaysAllow --authorization-mode=Node,RBAC`
 * runs with AlwaysAllow,Node,RBAC.
 */
const LIST_FLAGS = new Set([
  'admission-control',
  'api-audiences',
  'authorization-mode',
  'controllers',
  'disable-admission-plugins',
  'enable-admission-plugins',
  'etcd-servers',
  'feature-gates',
  'service-account-issuer',
  'service-account-key-file',
  'tls-cipher-suites',
]);

/** Boolean flags: a lone `--flag` is true and the next word is not its value. Others take the next word. */
const BOOLEAN_FLAGS: Record<'kubernetes' | 'etcd', ReadonlySet<string>> = {
  kubernetes: new Set([
    'allow-privileged',
    'alsologtostderr',
    'anonymous-auth',
    'audit-log-compress',
    'audit-log-truncate-enabled',
    'audit-webhook-truncate-enabled',
    'bind-address-hard-fail',
    'cleanup',
    'contention-profiling',
    'enable-aggregator-routing',
    'enable-bootstrap-token-auth',
    'enable-garbage-collector',
    'enable-priority-and-fairness',
    'help',
    'init-only',
    'iptables-localhost-nodeports',
    'ipvs-strict-arp',
    'leader-elect',
    'logtostderr',
    'masquerade-all',
    'permit-address-sharing',
    'permit-port-sharing',
    'profiling',
    'protect-kernel-defaults',
    'rotate-certificates',
    'service-account-lookup',
    'use-service-account-credentials',
    'version',
  ]),
  etcd: new Set([
    'auto-tls',
    'client-cert-auth',
    'debug',
    'enable-grpc-gateway',
    'enable-pprof',
    'enable-v2',
    'force-new-cluster',
    'peer-auto-tls',
    'peer-client-cert-auth',
    'pre-vote',
    'strict-reconfig-check',
    'version',
  ]),
};

/**
 * Flags known to take a value: like the component, they take the next word even when it looks like a flag
 * (`--audit-log-path --authorization-mode=Node` runs with that path and the default mode). A flag in neither list
 * followed by a flag is read as a lone boolean, since an unknown boolean must not swallow the next flag.
 */
const VALUED_FLAGS: Record<'kubernetes' | 'etcd', ReadonlySet<string>> = {
  kubernetes: new Set([
    'admission-control',
    'admission-control-config-file',
    'advertise-address',
    'api-audiences',
    'audit-log-format',
    'audit-log-maxage',
    'audit-log-maxbackup',
    'audit-log-maxsize',
    'audit-log-mode',
    'audit-log-path',
    'audit-policy-file',
    'audit-webhook-config-file',
    'audit-webhook-mode',
    'authentication-config',
    'authentication-kubeconfig',
    'authentication-token-webhook-config-file',
    'authorization-config',
    'authorization-kubeconfig',
    'authorization-mode',
    'authorization-policy-file',
    'authorization-webhook-config-file',
    'bind-address',
    'cert-dir',
    'client-ca-file',
    'cluster-cidr',
    'cluster-name',
    'cluster-signing-cert-file',
    'cluster-signing-key-file',
    'config',
    'controllers',
    'disable-admission-plugins',
    'egress-selector-config-file',
    'enable-admission-plugins',
    'encryption-provider-config',
    'etcd-cafile',
    'etcd-certfile',
    'etcd-keyfile',
    'etcd-prefix',
    'etcd-servers',
    'feature-gates',
    'kubeconfig',
    'kubelet-certificate-authority',
    'kubelet-client-certificate',
    'kubelet-client-key',
    'log-file',
    'metrics-bind-address',
    'proxy-client-cert-file',
    'proxy-client-key-file',
    'requestheader-allowed-names',
    'requestheader-client-ca-file',
    'root-ca-file',
    'runtime-config',
    'secure-port',
    'service-account-issuer',
    'service-account-key-file',
    'service-account-private-key-file',
    'service-account-signing-key-file',
    'service-cluster-ip-range',
    'tls-cert-file',
    'tls-cipher-suites',
    'tls-min-version',
    'tls-private-key-file',
    'token-auth-file',
    'v',
  ]),
  etcd: new Set([
    'advertise-client-urls',
    'cert-file',
    'cipher-suites',
    'config-file',
    'data-dir',
    'initial-advertise-peer-urls',
    'initial-cluster',
    'initial-cluster-state',
    'initial-cluster-token',
    'key-file',
    'listen-client-urls',
    'listen-metrics-urls',
    'listen-peer-urls',
    'log-level',
    'logger',
    'name',
    'peer-cert-file',
    'peer-key-file',
    'peer-trusted-ca-file',
    'snapshot-count',
    'tls-min-version',
    'trusted-ca-file',
    'wal-dir',
  ]),
};

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/** `registry.k8s.io/kube-apiserver:v1.26.4` -> `kube-apiserver`. */
export function imageName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const last = basename(withoutDigest);
  const colon = last.indexOf(':');
  return colon === -1 ? last : last.slice(0, colon);
}

function setFlag(
  flags: Map<string, Flag>,
  name: string,
  value: string,
  path: FieldPath,
  list: boolean,
): void {
  const previous = flags.get(name);
  if (previous && list) previous.value = previous.value === '' ? value : `${previous.value},${value}`;
  else flags.set(name, { value, path });
}

/**
 * pflag (Kubernetes): `--name=value`, `--name value` (whatever the next word is for a valued flag), flags anywhere
 * until `--`, `_` read as `-`. Go's flag (etcd): one or two dashes, parsing stops at the first non-flag word.
 */
function parseFlags(words: readonly Word[], grammar: 'kubernetes' | 'etcd'): Map<string, Flag> {
  const flags = new Map<string, Flag>();
  const booleans = BOOLEAN_FLAGS[grammar];
  const valued = VALUED_FLAGS[grammar];
  const looksLikeFlag = (text: string) =>
    grammar === 'etcd' ? /^--?[^-=]/.test(text) : /^--[^-=]/.test(text);
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as Word;
    if (word.text === '--') break;
    const dashes = grammar === 'etcd' ? /^--?(?=[^-=])/.exec(word.text) : /^--(?=[^-=])/.exec(word.text);
    if (!dashes) {
      if (grammar === 'etcd' && (word.text === '-' || !word.text.startsWith('-'))) break;
      continue;
    }
    const body = word.text.slice(dashes[0].length);
    const equals = body.indexOf('=');
    let name = equals === -1 ? body : body.slice(0, equals);
    if (grammar === 'kubernetes') name = name.replaceAll('_', '-');
    const list = grammar === 'kubernetes' && LIST_FLAGS.has(name);
    if (equals !== -1) {
      setFlag(flags, name, body.slice(equals + 1), word.path, list);
      continue;
    }
    const next = words[index + 1];
    if (booleans.has(name) || !next || (looksLikeFlag(next.text) && !valued.has(name)))
      setFlag(flags, name, 'true', word.path, list);
    else {
      setFlag(flags, name, next.text, word.path, list);
      index++;
    }
  }
  return flags;
}

/**
 * Takes out string flags whose value is empty: the components test a path or name flag's length (`if
 * len(s.ClientCAFile) != 0`), so `--client-ca-file=` runs as if unset. A boolean given an empty value does not parse
 * (the component refuses to start) and stays; list flags stay as empty lists; a number written empty does not parse
 * either, and is taken as unset. An etcd flag given empty on the command line still hides its ETCD_* variable, so
 * this runs after those are read.
 */
function takeEmptyValues(flags: Map<string, Flag>, grammar: 'kubernetes' | 'etcd'): Map<string, FieldPath> {
  const empty = new Map<string, FieldPath>();
  for (const [name, flag] of flags) {
    if (flag.value !== '' || BOOLEAN_FLAGS[grammar].has(name)) continue;
    if (grammar === 'kubernetes' && LIST_FLAGS.has(name)) continue;
    empty.set(name, flag.path);
    flags.delete(name);
  }
  return empty;
}

/** etcd reads `ETCD_<FLAG>` for each flag not given on the command line. */
function addEtcdEnvironment(flags: Map<string, Flag>, env: unknown, base: FieldPath): void {
  if (!Array.isArray(env)) return;
  env.forEach((variable: unknown, at) => {
    if (!isRecord(variable) || typeof variable.name !== 'string' || typeof variable.value !== 'string')
      return;
    if (!variable.name.startsWith('ETCD_')) return;
    const name = variable.name.slice(5).toLowerCase().replaceAll('_', '-');
    if (!flags.has(name)) flags.set(name, { value: variable.value, path: [...base, 'env', at, 'value'] });
  });
}

function inSystemNamespace(object: KubeObject): boolean {
  const namespace = object.metadata.namespace;
  return namespace === undefined || namespace === 'kube-system';
}

/**
 * Every string a container of the pod could name a component in (name, image, command, args), in one text, shell
 * quotes removed as shellWords removes them. A component this text does not contain runs in no container: an
 * ordinary pod is screened out once, instead of once by each of the fifteen control-plane rules.
 */
function containerText(containers: readonly unknown[]): string {
  let text = '';
  for (const container of containers) {
    if (!isRecord(container)) continue;
    for (const field of [container.name, container.image])
      if (typeof field === 'string') text += `${field}\n`;
    for (const list of [container.command, container.args])
      if (Array.isArray(list)) for (const word of list) if (typeof word === 'string') text += `${word}\n`;
  }
  return /["']/.test(text) ? text.replace(/["']/g, '') : text;
}

const containerTexts = new LastUsedCache<readonly unknown[], string>(4);

const COMPONENTS: readonly Component[] = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'etcd',
  'kube-proxy',
];

/**
 * False when no container of the object can run any component: the screen (Rule.screen) of the rules that read
 * components' flags, so that an ordinary pod costs one test instead of one per rule and component.
 */
export function mayRunComponent(object: KubeObject): boolean {
  const text = podContainers(object)?.text;
  return text !== undefined && COMPONENTS.some((component) => text.includes(component));
}

/** A Pod's or DaemonSet's pod template, its containers, and their text (containerText); undefined for others. */
function podContainers(
  object: KubeObject,
): { pod: PodTemplateView; containers: readonly unknown[]; text: string } | undefined {
  if (object.kind !== 'Pod' && object.kind !== 'DaemonSet') return undefined;
  const pod = podTemplateOf(object);
  const containers: unknown = pod?.spec.containers;
  if (!pod || !Array.isArray(containers)) return undefined;
  return { pod, containers, text: containerTexts.get(containers, containerText) };
}

/**
 * The containers of `object` running `component` (normally one), with their flags: a Pod's, or a DaemonSet's
 * (kube-proxy runs as one; a self-hosted control plane did too).
 */
export function componentProcesses(object: KubeObject, component: Component): ComponentProcess[] {
  const template = podContainers(object);
  if (!template?.text.includes(component)) return [];
  const { pod, containers } = template;
  const found: ComponentProcess[] = [];
  containers.forEach((container: unknown, index) => {
    if (!isRecord(container)) return;
    // `$(VAR)` references are expanded from the container's environment before the process starts.
    const written = [...(strings(container.command) ?? []), ...(strings(container.args) ?? [])];
    const expansion = expandContainerWords(written, container.env, container.envFrom);
    const commandLength = strings(container.command)?.length ?? 0;
    const expanded = expansion.ok ? expansion.words : written;
    const command = expanded.slice(0, commandLength);
    const args = expanded.slice(commandLength);
    const image = typeof container.image === 'string' ? imageName(container.image) : '';
    const name = typeof container.name === 'string' ? container.name : `#${index}`;
    const base: FieldPath = [...pod.specPath, 'containers', index];
    const named = image === component || name === component;
    // Only a system pod named like the component is reported as unreadable; elsewhere it is someone's own etcd.
    // (A DaemonSet's pod template has no namespace of its own: the DaemonSet's is read.)
    const system = named && inSystemNamespace(object);
    // Without a command the image's entrypoint runs: the component's only when the image is named after it.
    const argv =
      command.length === 0 && image !== component
        ? system
          ? {
              found: 'opaque' as const,
              reason: `it has no command and its image (${image}) is not ${component}'s`,
            }
          : { found: 'none' as const }
        : componentArgv(component, command, args, base, system);
    if (argv.found === 'none') return;
    const process: ComponentProcess = {
      component,
      container: name,
      argvPath: command.length > 0 ? [...base, 'command'] : [...base, 'args'],
      flags: new Map(),
      emptyFlags: new Map(),
    };
    const unreadable = argv.found === 'opaque' ? argv.reason : expansion.ok ? undefined : expansion.reason;
    if (unreadable !== undefined || argv.found === 'opaque') {
      process.unobservable = { reason: `the flags are not readable: ${unreadable}`, path: process.argvPath };
      found.push(process);
      return;
    }
    const grammar = component === 'etcd' ? 'etcd' : 'kubernetes';
    process.flags = parseFlags(argv.words, grammar);
    if (component === 'etcd') addEtcdEnvironment(process.flags, container.env, base);
    process.emptyFlags = takeEmptyValues(process.flags, grammar);
    if (component === 'etcd') {
      const configFile = process.flags.get('config-file');
      if (configFile)
        process.unobservable = {
          reason: `--config-file=${configFile.value} makes etcd ignore its other flags and environment variables`,
          path: configFile.path,
        };
    }
    found.push(process);
  });
  return found;
}

/** A URL with the plain-text scheme; Go's url.Parse lowercases the scheme, so `HTTP://` is plain text too. */
export function isPlainHttpUrl(url: string): boolean {
  return /^http:\/\//i.test(url);
}

/**
 * An integer flag's value as pflag reads it (strconv.ParseInt with base 0): `030` is octal 24, `0x1e` hex, `0b11`
 * binary, `0o17` octal, `_` allowed between digits after a base prefix. Undefined when Go would refuse it.
 */
export function goInteger(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  let rest = /^[+-]/.test(text) ? text.slice(1) : text;
  let base = 10;
  let prefixed = false;
  const prefix = /^0[xXbBoO]/.exec(rest)?.[0];
  if (prefix) {
    base = { x: 16, b: 2, o: 8 }[(prefix[1] as string).toLowerCase()] as number;
    rest = rest.slice(2);
    prefixed = true;
  } else if (rest.length > 1 && rest.startsWith('0')) {
    base = 8;
    rest = rest.slice(1);
    prefixed = true;
  }
  // Underscores only after a base prefix, between digits (one may follow the prefix): Go's underscoreOK.
  if (rest.includes('_')) {
    const body = rest.startsWith('_') ? rest.slice(1) : rest;
    if (!prefixed || body === '' || /^_|__|_$/.test(body)) return undefined;
    rest = body.replaceAll('_', '');
  }
  const digits = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base];
  if (!digits?.test(rest)) return undefined;
  return sign * Number.parseInt(rest, base);
}

/** Comma-separated flag values (`--authorization-mode=Node,RBAC`), trimmed, empty parts dropped. */
export function listValue(flag: Flag | undefined): string[] {
  if (!flag) return [];
  return flag.value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** A violation about a flag: at the flag when it is written, else at the command where it belongs. */
export function flagViolation(process: ComponentProcess, flag: string, message: string): Violation {
  const empty = !process.flags.has(flag) && process.emptyFlags.has(flag);
  return {
    message: `${process.component} (container "${process.container}"): ${message}${empty ? ` (--${flag}= is empty, which leaves it unset)` : ''}`,
    path: process.flags.get(flag)?.path ?? process.emptyFlags.get(flag) ?? process.argvPath,
    container: process.container,
  };
}

/** A boolean flag that is on unless turned off: a violation when it is true, written or by default. */
export function onByDefaultViolations(process: ComponentProcess, flag: string): Violation[] {
  if (!flagIsTrue(process.flags.get(flag), true)) return [];
  const message = process.flags.has(flag) ? `--${flag} is true` : `--${flag} is not set (default true)`;
  return [flagViolation(process, flag, message)];
}

/** Runs `check` on every observable process of `component` in the object and gathers the violations. */
export function checkComponent(
  object: KubeObject,
  component: Component,
  check: (process: ComponentProcess) => Violation[],
): Violation[] {
  return componentProcesses(object, component)
    .filter((process) => process.unobservable === undefined)
    .flatMap(check);
}

/** Go's strconv.ParseBool: 1, t, T, TRUE, true, True are true; 0, f, F, FALSE, false, False are false. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** The flag read as a Go boolean; `defaultValue` when it is missing or not a boolean. */
export function flagIsTrue(flag: Flag | undefined, defaultValue: boolean): boolean {
  if (!flag) return defaultValue;
  return parseGoBool(flag.value) ?? defaultValue;
}
