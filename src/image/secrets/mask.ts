// Masking secret values: never more than a short prefix, never the length, so output can be shared.

/** `AKIA****`, `ghp_****`; short values are fully masked. */
export function maskSecret(value: string): string {
  const shown = value.length >= 16 ? 4 : value.length >= 10 ? 2 : 0;
  return `${value.slice(0, shown)}****`;
}
