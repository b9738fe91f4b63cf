// Kubernetes expands `$(VAR)` in a container's command and args from the container's environment before the process
// starts (k8s.io/kubernetes third_party/forked/golang/expansion): `$$` is a literal `$`, a reference to a variable the
// container does not define stays as written. Flags are read after that expansion, as the component sees them.
import { isRecord } from '../../core/kube-object.ts';

export type Expanded = { ok: true; words: string[] } | { ok: false; reason: string };

/** What a variable holds: its text, or why the manifest does not show it. */
type Value = { known: true; text: string } | { known: false; from: string };

function valueSource(valueFrom: Record<string, unknown>): string {
  if (isRecord(valueFrom.secretKeyRef)) return 'a Secret';
  if (isRecord(valueFrom.configMapKeyRef)) return 'a ConfigMap';
  if (isRecord(valueFrom.fieldRef)) return 'a field of the pod';
  if (isRecord(valueFrom.resourceFieldRef)) return "the container's resources";
  return 'a reference';
}

/** Replaces each `$(NAME)` the lookup knows; undefined names stay. References to values not shown go to `unknown`. */
function expand(text: string, lookup: (name: string) => Value | undefined, unknown: string[]): string {
  let out = '';
  for (let at = 0; at < text.length; at++) {
    const char = text[at] as string;
    const next = text[at + 1];
    if (char !== '$' || next === undefined) {
      out += char;
      continue;
    }
    if (next === '$') {
      out += '$';
      at++;
      continue;
    }
    const close = next === '(' ? text.indexOf(')', at + 2) : -1;
    if (close === -1) {
      out += char;
      continue;
    }
    const name = text.slice(at + 2, close);
    const value = lookup(name);
    if (value === undefined) out += text.slice(at, close + 1);
    else if (value.known) out += value.text;
    else {
      unknown.push(`$(${name}) comes from ${value.from}`);
      out += text.slice(at, close + 1);
    }
    at = close;
  }
  return out;
}

/** The command line as the container's process receives it, or why it cannot be known from the manifest. */
export function expandContainerWords(words: readonly string[], env: unknown, envFrom: unknown): Expanded {
  if (!words.some((word) => word.includes('$'))) return { ok: true, words: [...words] };
  const values = new Map<string, Value>();
  const lookup = (name: string) => values.get(name);
  const unknown: string[] = [];
  // Each variable's value is expanded with the variables defined before it, as the kubelet does.
  if (Array.isArray(env))
    for (const variable of env) {
      if (!isRecord(variable) || typeof variable.name !== 'string') continue;
      if (isRecord(variable.valueFrom)) {
        values.set(variable.name, { known: false, from: valueSource(variable.valueFrom) });
        continue;
      }
      const raw = typeof variable.value === 'string' ? variable.value : '';
      const hidden: string[] = [];
      const text = expand(raw, lookup, hidden);
      values.set(
        variable.name,
        hidden.length > 0 ? { known: false, from: hidden.join(', ') } : { known: true, text },
      );
    }
  // envFrom may define any name the env list does not (the env list wins where both do).
  const fromSources = Array.isArray(envFrom) && envFrom.length > 0;
  const lookupWithSources = (name: string): Value | undefined =>
    values.get(name) ?? (fromSources ? { known: false, from: 'envFrom' } : undefined);
  const expanded = words.map((word) => expand(word, lookupWithSources, unknown));
  return unknown.length > 0 ? { ok: false, reason: unknown.join('; ') } : { ok: true, words: expanded };
}
