// Findings about how an image is configured: runs as root, no HEALTHCHECK, SSH exposed, secrets in ENV or in
// the build history (including build arguments BuildKit records), and a base image that is not pinned by digest.
import type { ArtifactFinding } from '../core/finding.ts';
import type { Severity } from '../core/severity.ts';
import type { ImageInfo } from './package.ts';
import { maskSecret } from './secrets/mask.ts';
import { isPlaceholder } from './secrets/secret-rules.ts';
import { findSecrets } from './secrets/secret-scanner.ts';

const SECRET_NAME =
  /(?:^|_)(?:PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|SECRET_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)(?:_|$)/i;
/** Names that hold a reference to a secret, not the secret (files, paths, names, flags). */
const SECRET_REFERENCE =
  /_(?:FILE|PATH|DIR|NAME|ID|URL|HOST|PORT|USER|USERNAME|ENABLED|LENGTH|ALGORITHM|TYPE)$/i;

const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

function finding(
  target: string,
  ruleId: string,
  severity: Severity,
  title: string,
  message: string,
  remediation: string,
  controls: string[],
): ArtifactFinding {
  return {
    source: 'artifact',
    ruleId,
    severity,
    title,
    message,
    location: { type: 'artifact', target, path: '' },
    frameworks: controls.length === 0 ? {} : { 'cis-docker': controls },
    remediation,
  };
}

export function runsAsRoot(user: string): boolean {
  const name = user.split(':')[0]!.trim();
  return name === '' || name === 'root' || name === '0';
}

/**
 * `KEY=value` assignments in ENV or history text whose name says they hold a secret, with a real value. The name
 * may follow a shell separator, a quote (`echo 'password=…' > conf`) or a dash (`--db-password=…`), and command
 * lines also give credentials as `-u user:password` / `--user user:password` (curl).
 */
export function secretAssignments(text: string): { name: string; value: string }[] {
  const found: { name: string; value: string }[] = [];
  const add = (name: string, value: string): void => {
    if (value.length < 4 || isPlaceholder(value) || value.startsWith('/')) return;
    found.push({ name, value });
  };
  for (const match of text.matchAll(
    /(?:^|[\s;|&'"(-])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;|&]*)/g,
  )) {
    const name = match[1]!;
    if (SECRET_NAME.test(name) && !SECRET_REFERENCE.test(name))
      add(name, match[2]!.replace(/^["']|["']$/g, ''));
  }
  for (const match of text.matchAll(/(?:^|\s)(-u|--user)(?:\s+|=)(["']?)([^\s:"'$]+):([^\s"']+)\2(?=\s|$)/g))
    add(`${match[1]} ${match[3]}`, match[4]!);
  return found;
}

export function imageConfigFindings(image: ImageInfo, target: string): ArtifactFinding[] {
  const findings: ArtifactFinding[] = [];
  const config = image.config;
  if (runsAsRoot(config.user))
    findings.push(
      finding(
        target,
        'image-runs-as-root',
        'high',
        'Image runs as root',
        config.user === ''
          ? 'The image sets no USER, so its processes run as root'
          : `The image runs as USER ${config.user} (root)`,
        'Add a non-root user to the image and set `USER <uid>` in the Dockerfile; also set runAsNonRoot in the pod security context.',
        ['4.1'],
      ),
    );
  if (config.healthcheck === undefined || config.healthcheck[0] === 'NONE')
    findings.push(
      finding(
        target,
        'image-no-healthcheck',
        'low',
        'Image has no HEALTHCHECK',
        config.healthcheck === undefined
          ? 'The image defines no HEALTHCHECK'
          : 'The image disables its HEALTHCHECK (NONE)',
        'Add a HEALTHCHECK instruction (in Kubernetes, define liveness and readiness probes instead).',
        ['4.6'],
      ),
    );
  const ssh = config.exposedPorts.find((port) => /^22(?:\/tcp)?$/.test(port));
  if (ssh !== undefined)
    findings.push(
      finding(
        target,
        'image-exposes-ssh',
        'medium',
        'Image exposes SSH',
        `The image exposes port ${ssh} (SSH)`,
        'Do not run an SSH server in a container; use `kubectl exec` or ephemeral debug containers.',
        ['5.6'],
      ),
    );
  const envAssignments = new Set<string>();
  for (const entry of config.env) {
    const equals = entry.indexOf('=');
    const name = entry.slice(0, equals);
    const value = entry.slice(equals + 1);
    envAssignments.add(entry);
    const byName = secretAssignments(entry)[0];
    const byValue = findSecrets(value, '').at(0);
    if (byName === undefined && byValue === undefined) continue;
    findings.push(
      finding(
        target,
        'image-secret-in-env',
        'critical',
        'Secret in image ENV',
        `ENV ${name} holds ${byValue === undefined ? 'a secret' : `a ${byValue.rule.title}`} (${maskSecret(value)}), readable by anyone who can pull the image`,
        'Remove the secret from the Dockerfile ENV and rotate it; pass it at run time from a Kubernetes Secret or a secret manager.',
        ['4.10'],
      ),
    );
  }
  for (const [index, entry] of config.history.entries()) {
    const hits = secretAssignments(entry.createdBy).filter(
      (hit) => !envAssignments.has(`${hit.name}=${hit.value}`),
    );
    const patternHits = findSecrets(entry.createdBy, '').filter(
      (match) => match.rule.id !== 'config-password',
    );
    const historySecret = (message: string): void => {
      findings.push(
        finding(
          target,
          'image-secret-in-history',
          'high',
          'Secret in image build history',
          message,
          'Do not pass secrets as build arguments or in RUN commands; use BuildKit secret mounts (RUN --mount=type=secret) and rotate the exposed secret.',
          ['4.10'],
        ),
      );
    };
    for (const hit of hits)
      historySecret(
        `History step ${index + 1} records ${hit.name}=${maskSecret(hit.value)} (build arguments and commands are stored in the image)`,
      );
    for (const match of patternHits)
      historySecret(`History step ${index + 1} contains a ${match.rule.title} (${match.masked})`);
  }
  const baseName = image.annotations[BASE_NAME] ?? config.labels[BASE_NAME];
  const baseDigest = image.annotations[BASE_DIGEST] ?? config.labels[BASE_DIGEST];
  if (
    baseName !== undefined &&
    !baseName.includes('@sha256:') &&
    (baseDigest === undefined || baseDigest === '')
  )
    findings.push(
      finding(
        target,
        'image-unpinned-base',
        'medium',
        'Base image not pinned by digest',
        `The image is built FROM ${baseName}, a tag that can move, without a recorded digest`,
        'Pin the base image by digest (`FROM image:tag@sha256:...`) and update it deliberately (e.g. with Renovate or Dependabot).',
        ['4.2'],
      ),
    );
  return findings;
}
