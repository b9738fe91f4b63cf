// Finds a control-plane component's process in a Pod (a kubeadm static pod, as a file or its mirror pod in the
// cluster) and reads its command-line flags as the component does: `--name=value`, `--name value`, last one wins.
import type { FieldPath, KubeObject } from '../../core/kube-object.ts';
import { isRecord } from '../../core/kube-object.ts';
import type { Violation } from '../../core/rule.ts';

export type ControlPlaneComponent = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';

export interface Flag {
  value: string;
  /** Where the flag is written (the command or args element). */
  path: FieldPath;
}

export interface ComponentProcess {
  component: ControlPlaneComponent;
  container: string;
  /** The command (or args) list of the container: where a missing flag belongs. */
  argvPath: FieldPath;
  flags: Map<string, Flag>;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function basename(text: string): string {
  return text.slice(text.lastIndexOf('/') + 1);
}

/** `registry.k8s.io/kube-apiserver:v1.26.4` -> `kube-apiserver`. */
export function imageName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const last = basename(withoutDigest);
  const colon = last.indexOf(':');
  return colon === -1 ? last : last.slice(0, colon);
}

function parseFlags(words: readonly { text: string; path: FieldPath }[]): Map<string, Flag> {
  const flags = new Map<string, Flag>();
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as { text: string; path: FieldPath };
    if (!word.text.startsWith('--')) continue;
    const body = word.text.slice(2);
    const equals = body.indexOf('=');
    if (equals !== -1) {
      flags.set(body.slice(0, equals), { value: body.slice(equals + 1), path: word.path });
      continue;
    }
    const next = words[index + 1];
    // `--flag value`: the next word is the value unless it is a flag itself; a lone `--flag` is a boolean true.
    if (next && !next.text.startsWith('-')) {
      flags.set(body, { value: next.text, path: word.path });
      index++;
    } else flags.set(body, { value: 'true', path: word.path });
  }
  return flags;
}

/** The containers of `object` running `component` (normally one), with their flags. */
export function componentProcesses(object: KubeObject, component: ControlPlaneComponent): ComponentProcess[] {
  if (object.kind !== 'Pod' || !isRecord(object.spec) || !Array.isArray(object.spec.containers)) return [];
  const found: ComponentProcess[] = [];
  object.spec.containers.forEach((container: unknown, index) => {
    if (!isRecord(container)) return;
    const command = strings(container.command) ?? [];
    const args = strings(container.args) ?? [];
    const image = typeof container.image === 'string' ? imageName(container.image) : '';
    const program = command[0] !== undefined ? basename(command[0]) : undefined;
    // With a command, the program decides; without one, the image's entrypoint runs (named like the image).
    const runs = program !== undefined ? program === component : image === component;
    if (!runs) return;
    const base: FieldPath = ['spec', 'containers', index];
    const words = [
      ...command.slice(1).map((text, at) => ({ text, path: [...base, 'command', at + 1] })),
      ...args.map((text, at) => ({ text, path: [...base, 'args', at] })),
    ];
    found.push({
      component,
      container: typeof container.name === 'string' ? container.name : `#${index}`,
      argvPath: command.length > 0 ? [...base, 'command'] : [...base, 'args'],
      flags: parseFlags(words),
    });
  });
  return found;
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
  return {
    message: `${process.component} (container "${process.container}"): ${message}`,
    path: process.flags.get(flag)?.path ?? process.argvPath,
    container: process.container,
  };
}

/** Runs `check` on every process of `component` in the object and gathers the violations. */
export function checkComponent(
  object: KubeObject,
  component: ControlPlaneComponent,
  check: (process: ComponentProcess) => Violation[],
): Violation[] {
  return componentProcesses(object, component).flatMap(check);
}

/** True for `true`/`false` as Go's flag package reads booleans (1, t, T, TRUE, true, True...). */
export function flagIsTrue(flag: Flag | undefined, defaultValue: boolean): boolean {
  if (!flag) return defaultValue;
  const value = flag.value.toLowerCase();
  if (['1', 't', 'true'].includes(value)) return true;
  if (['0', 'f', 'false'].includes(value)) return false;
  return defaultValue;
}
