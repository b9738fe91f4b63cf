// The secret scanner: text files from image layers (optionally skipping the base image's layers) or from a
// directory, run through the rules; every finding carries a masked value, never the secret.
import type { ArtifactFinding } from '../../core/finding.ts';
import type { ImageConfig } from '../image-config.ts';
import type { ContentVisitor, LayerInfo } from '../layer-filesystem.ts';
import { maskSecret } from './mask.ts';
import { type RuleMatch, SECRET_RULES, type SecretRule } from './secret-rules.ts';

export interface SecretMatch {
  rule: SecretRule;
  line: number;
  masked: string;
}

const SKIPPED_PATHS =
  /^(?:usr\/share\/(?:doc|man|info|locale|i18n|zoneinfo|ca-certificates|mime|icons|fonts)|usr\/include|var\/lib\/dpkg|lib\/apk\/db|var\/lib\/rpm|etc\/ssl\/certs|usr\/lib\/locale|proc|sys|dev)\//;
const BINARY_EXTENSIONS =
  /\.(?:png|jpe?g|gif|ico|webp|woff2?|ttf|otf|gz|tgz|xz|bz2|zst|zip|jar|war|whl|so(?:\.\d+)*|a|o|pyc|class|mo|db|sqlite|wasm|pdf)$/i;
const DEFAULT_MAX_FILE = 2 * 1024 * 1024;

/** Scans text for secrets: a rule runs only when one of its keywords occurs, and each hit is checked against its allow-list. */
export function findSecrets(text: string, path: string): SecretMatch[] {
  const lower = text.toLowerCase();
  const matches: SecretMatch[] = [];
  const seen = new Set<string>();
  const seenLines = new Set<number>();
  for (const rule of SECRET_RULES) {
    if (rule.paths !== undefined && !rule.paths.test(path)) continue;
    if (!rule.keywords.some((keyword) => lower.includes(keyword))) continue;
    let lines = { offset: 0, line: 1 };
    for (const match of ruleMatches(rule, text)) {
      const value = match.secret;
      if (rule.allow?.(value) === true) continue;
      // The line where the match starts (a key's BEGIN line, the key of key=value), not where its value does.
      const offset = match.index + (match.text.length - match.text.trimStart().length);
      // Counted on from the previous match (matches come in order), so many matches stay linear.
      if (offset < lines.offset) lines = { offset: 0, line: 1 };
      const line = lineOf(text, offset, lines);
      // The same value matched by two rules (a token inside a URL) is one finding.
      const key = `${line}:${match.index + match.text.indexOf(value)}`;
      // One finding per place: the more specific rule (earlier in the list) wins, and config-password (the
      // least specific) adds nothing to a line that already has a finding. Sets, not a scan of what was seen:
      // a file with thousands of findings stays linear.
      if (seen.has(key) || (rule.id === 'config-password' && seenLines.has(line))) continue;
      seen.add(key);
      seenLines.add(line);
      matches.push({ rule, line, masked: maskSecret(value.trim()) });
    }
  }
  return matches;
}

/** A rule's matches in `text`: from its own finder when it has one, else from its regex. */
export function* ruleMatches(rule: SecretRule, text: string): Generator<RuleMatch> {
  if (rule.find !== undefined) {
    yield* rule.find(text);
    return;
  }
  // matchAll works on a copy of the regex: the shared rule's lastIndex is never touched.
  for (const match of text.matchAll(rule.pattern))
    yield { index: match.index, text: match[0], secret: match.groups?.secret ?? match[0] };
}

/** The 1-based line of `offset`, counting on from `from` (a known offset and its line), which it advances. */
function lineOf(text: string, offset: number, from: { offset: number; line: number }): number {
  let line = from.line;
  for (let i = text.indexOf('\n', from.offset); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  from.offset = offset;
  from.line = line;
  return line;
}

export function secretFinding(
  match: SecretMatch,
  target: string,
  path: string,
  layer?: string,
): ArtifactFinding {
  return {
    source: 'artifact',
    ruleId: `secret-${match.rule.id}`,
    severity: match.rule.severity,
    title: match.rule.title,
    message: `${match.rule.title} in ${path}:${match.line} (${match.masked})`,
    location: {
      type: 'artifact',
      target,
      path,
      line: match.line,
      ...(layer === undefined || layer === '' ? {} : { layer }),
    },
    frameworks: { 'cis-docker': ['4.10'] },
    remediation:
      'Remove the secret from the file and from every image layer (rebuild without it; a later layer deleting it does not remove it from the image), then revoke and rotate it. Inject secrets at run time (Kubernetes Secrets, a secret manager) or with build secrets (RUN --mount=type=secret).',
  };
}

export interface SecretScanOptions {
  target: string;
  /** Layers (diff_ids) not scanned, typically the base image's. */
  skipLayers?: ReadonlySet<string>;
  maxFileSize?: number;
}

/** Plugs into the inventory as a content visitor, so layers are read once for packages and secrets together. */
export class SecretScanner implements ContentVisitor {
  readonly findings: ArtifactFinding[] = [];
  readonly #options: SecretScanOptions;

  constructor(options: SecretScanOptions) {
    this.#options = options;
  }

  wants(path: string, size: number, layer: LayerInfo): boolean {
    if (size === 0 || size > (this.#options.maxFileSize ?? DEFAULT_MAX_FILE)) return false;
    if (this.#options.skipLayers?.has(layer.diffId) === true) return false;
    return !SKIPPED_PATHS.test(path) && !BINARY_EXTENSIONS.test(path);
  }

  visit(path: string, data: Buffer, layer: LayerInfo): void {
    // Binary content (a NUL early on) is not text a secret would be written in.
    if (data.subarray(0, 8000).includes(0)) return;
    for (const match of findSecrets(data.toString('utf8'), path))
      this.findings.push(secretFinding(match, this.#options.target, path, layer.diffId));
  }
}

/**
 * How many leading layers belong to the base image, guessed from the history the way it is usually written: the
 * base image ends with its own CMD/ENTRYPOINT (an empty layer) before the layers this image added. 0 when unsure.
 */
export function baseLayerCount(config: ImageConfig): number {
  const history = config.history;
  if (history.filter((entry) => !entry.emptyLayer).length !== config.diffIds.length) return 0;
  let lastOwn = history.length - 1;
  while (lastOwn >= 0 && history[lastOwn]!.emptyLayer) lastOwn--;
  for (let i = lastOwn; i >= 0; i--) {
    const entry = history[i]!;
    if (entry.emptyLayer && /\b(?:CMD|ENTRYPOINT)\b/.test(entry.createdBy))
      return history.slice(0, i).filter((item) => !item.emptyLayer).length;
  }
  return 0;
}
