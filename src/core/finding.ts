// The one finding shape every output, the store and the dashboard handle, discriminated by its source.
import type { ObjectRef } from './kube-object.ts';
import type { Severity } from './severity.ts';
import type { Location } from './source.ts';

export interface Suppression {
  by: 'config' | 'annotation';
  reason: string;
  /** ISO date (YYYY-MM-DD) after which the exception stops applying. */
  expires?: string;
}

export interface PostureFinding {
  source: 'posture';
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  resource: ObjectRef;
  location: Location;
  /** Container the finding is about, when it is about one. */
  container?: string;
  frameworks: Record<string, readonly string[]>;
  remediation: string;
  suppressed?: Suppression;
}

/** Later sources (policy, vulnerability, detection) join this union. */
export type Finding = PostureFinding;

/** A rule that threw on an object: reported as an error for that object, never as a pass or a fail. */
export interface RuleError {
  ruleId: string;
  resource: ObjectRef;
  location: Location;
  message: string;
}
