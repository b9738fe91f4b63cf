// The ZIP writer lives with the reader in src/image; this name stays for bench/vuln.ts, which imports it here.
export { writeZip } from '../../image/zip-writer.ts';
