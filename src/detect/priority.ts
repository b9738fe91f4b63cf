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

const ALIASES: Record<string, Priority> = {
  info: 'informational',
  warn: 'warning',
  err: 'error',
  crit: 'critical',
  emerg: 'emergency',
};

export function parsePriority(text: string): Priority | undefined {
  const lower = text.trim().toLowerCase();
  return (PRIORITIES as readonly string[]).includes(lower) ? (lower as Priority) : ALIASES[lower];
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
