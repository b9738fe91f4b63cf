// Falco priorities (syslog severities), parsed case-insensitively and printed as Falco prints them.

export const PRIORITIES = [
  'emergency',
  'alert',
  'critical',
  'error',
  'warning',
  'notice',
  'informational',
  'debug',
] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Falco's parse_priority (falco_common.cpp): a name in any case, and `info` for informational, nothing else. */
export function parsePriority(text: string): Priority | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === 'info') return 'informational';
  return (PRIORITIES as readonly string[]).includes(lower) ? (lower as Priority) : undefined;
}

/** "Warning", "Informational": the spelling of Falco's JSON output. */
export function priorityLabel(priority: Priority): string {
  return priority[0]!.toUpperCase() + priority.slice(1);
}

/** Lower is more severe. */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

export function atLeast(priority: Priority, threshold: Priority): boolean {
  return priorityRank(priority) <= priorityRank(threshold);
}
