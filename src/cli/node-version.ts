// The oldest Node.js Palisade runs on: node:sqlite (the vulnerability database) and zstd in node:zlib (image layers)
// arrived in 22.15. Checked before anything else loads, so an older Node gets one sentence instead of a stack trace
// from whichever command first reaches for them.

/** Why `version` (`v20.20.2`) is too old for Palisade, or undefined when it will do. */
export function nodeTooOld(version: string): string | undefined {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 15)) return undefined;
  return `palisade needs Node.js 22.15 or newer (for node:sqlite and zstd); this is Node.js ${version}`;
}
