// The one finding shape every output, the store and the dashboard handle, discriminated by its source.
import type { ObjectRef } from './kube-object.ts';
import type { Severity } from './severity.ts';
import type { Location } from './source.ts';

export interface Suppression {
  by: 'config' | 'annotation' | 'vex';
  reason: string;
  /** For `by: 'vex'`: the statement's status and justification as written (OpenVEX or CycloneDX values). */
  vex?: { status: 'not_affected' | 'fixed'; justification?: string };
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
  /** Violation.facet: which of several findings of the rule at one place. */
  facet?: string;
  frameworks: Record<string, readonly string[]>;
  remediation: string;
  suppressed?: Suppression;
}

/** Where in an image or a directory an artifact finding or a package was seen. */
export type ArtifactLocation = Extract<Location, { type: 'artifact' }>;

/** A known vulnerability in an installed package (OSV advisory matched on an exact version). */
export interface VulnerabilityFinding {
  source: 'vulnerability';
  /** Primary advisory id (a CVE when the advisory has one, else the OSV id). */
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  package: {
    ecosystem: string;
    name: string;
    version: string;
    purl?: string;
    /** Source package (dpkg Source, apk origin, rpm source RPM) the advisory was matched on. */
    sourceName?: string;
    sourceVersion?: string;
  };
  advisory: {
    id: string;
    aliases: readonly string[];
    /** Version to upgrade to; absent when no fix is published. */
    fixedVersion?: string;
    cvss?: { version: string; vector: string; score: number };
    /** The advisory gives no CVSS vector and no rating: `severity` is only a display default. */
    unrated?: true;
    references: readonly string[];
  };
  status: 'fixed' | 'affected';
  location: ArtifactLocation;
  frameworks: Record<string, readonly string[]>;
  remediation: string;
  suppressed?: Suppression;
}

/** An image-configuration or secret finding about an image or a repository (not a Kubernetes object). */
export interface ArtifactFinding {
  source: 'artifact';
  ruleId: string;
  severity: Severity;
  title: string;
  /** Never contains a secret value: secrets are masked before a finding is built. */
  message: string;
  location: ArtifactLocation;
  frameworks: Record<string, readonly string[]>;
  remediation: string;
  suppressed?: Suppression;
}

/** Every finding; later sources (policy, detection) join this union. */
export type Finding = PostureFinding | VulnerabilityFinding | ArtifactFinding;

/** A rule that threw on an object: reported as an error for that object, never as a pass or a fail. */
export interface RuleError {
  ruleId: string;
  resource: ObjectRef;
  location: Location;
  message: string;
}
