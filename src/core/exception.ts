// Exceptions: a finding a team has accepted, with a reason and an optional expiry. Suppressed findings stay counted.

import type { PostureFinding, Suppression } from './finding.ts';
import { matchesGlob } from './glob.ts';
import type { KubeObject } from './kube-object.ts';
import { isRecord } from './kube-object.ts';

export const IGNORE_ANNOTATION = 'palisade.dev/ignore';
export const IGNORE_REASON_ANNOTATION = 'palisade.dev/ignore-reason';

/** An exception from the config file: one or more rules on resources matched by globs. */
export interface ExceptionRule {
  rules: readonly string[];
  kind: string;
  namespace: string;
  name: string;
  container?: string;
  reason: string;
  /** YYYY-MM-DD; the exception applies through the end of that day (UTC). */
  expires?: string;
  /** Where the exception was written, for messages about it. */
  origin: string;
}

export function isExpired(exception: ExceptionRule, now: Date): boolean {
  if (exception.expires === undefined) return false;
  return now.getTime() > Date.parse(`${exception.expires}T23:59:59.999Z`);
}

function exceptionMatches(exception: ExceptionRule, finding: PostureFinding): boolean {
  if (!exception.rules.includes(finding.ruleId)) return false;
  if (!matchesGlob(exception.kind, finding.resource.kind)) return false;
  if (!matchesGlob(exception.namespace, finding.resource.namespace ?? '')) return false;
  if (!matchesGlob(exception.name, finding.resource.name)) return false;
  if (exception.container !== undefined && finding.container !== exception.container) return false;
  return true;
}

/** The config-file exception that suppresses this finding, if any; give it only exceptions still in force. */
export function configSuppression(
  finding: PostureFinding,
  activeExceptions: readonly ExceptionRule[],
): Suppression | undefined {
  for (const exception of activeExceptions) {
    if (!exceptionMatches(exception, finding)) continue;
    const suppression: Suppression = { by: 'config', reason: exception.reason };
    if (exception.expires !== undefined) suppression.expires = exception.expires;
    return suppression;
  }
  return undefined;
}

/** Rule ids listed in the object's `palisade.dev/ignore` annotation. */
export function ignoredByAnnotation(object: KubeObject): { rules: string[]; reason: string | undefined } {
  const annotations = object.metadata.annotations;
  if (!isRecord(annotations)) return { rules: [], reason: undefined };
  const list = annotations[IGNORE_ANNOTATION];
  const reason = annotations[IGNORE_REASON_ANNOTATION];
  return {
    rules:
      typeof list === 'string'
        ? list
            .split(',')
            .map((id) => id.trim())
            .filter((id) => id !== '')
        : [],
    reason: typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : undefined,
  };
}
