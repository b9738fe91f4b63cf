// One VEX statement in a format-neutral shape: OpenVEX and CycloneDX VEX both read into it.

export type VexStatus = 'not_affected' | 'fixed' | 'affected' | 'under_investigation';

export interface VexStatement {
  /** Vulnerability id and its aliases as the document names them. */
  vulnerabilities: string[];
  /** Products (purls, or other identifiers such as an image reference) and their subcomponents. */
  products: Array<{ id: string; subcomponents: string[] }>;
  status: VexStatus;
  justification?: string;
  /** Impact statement (OpenVEX) or analysis detail (CycloneDX). */
  detail?: string;
  timestamp?: string;
  /** File the statement came from, for the suppression reason. */
  document: string;
}

/** Statuses that suppress a finding: the product is not affected, or the vulnerability is fixed in it. */
export function suppresses(status: VexStatus): status is 'not_affected' | 'fixed' {
  return status === 'not_affected' || status === 'fixed';
}
