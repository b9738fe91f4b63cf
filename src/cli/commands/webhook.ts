// `palisade webhook serve|certs|manifests`: run the admission webhook, make its certificates, write its install
// manifests.
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { CompiledPolicy } from '../../admission/compiled-policy.ts';
import {
  buildInstallManifests,
  FAILURE_POLICIES,
  type FailurePolicy,
} from '../../admission/install-manifests.ts';
import { whyNotRegistered } from '../../admission/kind-resources.ts';
import {
  defaultAdmissionPolicy,
  FAILURE_MODES,
  type FailureMode,
  parseAdmissionPolicy,
} from '../../admission/policy-config.ts';
import { isDns1123Label } from '../../core/dns-label.ts';
import { PalisadeError } from '../../core/errors.ts';
import { imageReferenceProblem, parseImageReference } from '../../core/image-reference.ts';
import { readRegularFileSync } from '../../core/regular-file.ts';
import { formatRange, fullRange, parseCidr } from '../../netpol/ip-range.ts';
import { builtinRules } from '../../rules/index.ts';
import { DEFAULT_MAX_CONNECTIONS } from '../../server/https-listen.ts';
import { createJsonLogger, LOG_LEVELS, type LogLevel } from '../../server/json-log.ts';
import { inClusterAccess, NamespaceLabelsCache } from '../../server/namespace-labels-cache.ts';
import { DEFAULT_MAX_BODY_BYTES_IN_FLIGHT, MAX_REVIEW_BYTES } from '../../server/webhook-app.ts';
import { checkServingCertificates } from '../../server/webhook-cert-check.ts';
import { CERT_FILES, writeWebhookCerts } from '../../server/webhook-certs.ts';
import { startWebhookServer } from '../../server/webhook-server.ts';
import { parseCommandArgs } from '../args.ts';
import { writeCommandOutput } from '../command-output.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { decimalOption, wholeNumberOption } from '../number-options.ts';
import { PALISADE_VERSION } from '../version.ts';

const USAGE = `Usage:
  palisade webhook serve --cert FILE --key FILE [--policy FILE] [--port 8443] [--host ADDRESS]
                         [--failure-mode allow|deny] [--log-level debug|info|warn|error] [--reload-interval SECONDS]
                         [--max-connections 1024] [--max-body-mib 64] [--shutdown-delay 5]
  palisade webhook certs --out DIR [--service palisade-webhook] [--namespace palisade] [--san NAME]...
                         [--days 365] [--reuse-ca]
  palisade webhook manifests --cert-dir DIR --image IMAGE@sha256:DIGEST --apiserver-cidr CIDR [--apiserver-cidr CIDR]...
                         [--policy FILE] [--namespace palisade] [--name palisade-webhook] [--replicas 3]
                         [--failure-policy Fail|Ignore] [--include-secret] [-o FILE]
                         [--allow-unpinned-image] [--allow-unrestricted-network]

serve      HTTPS admission webhook: /validate, /mutate, /healthz, /readyz, /metrics. Certificate, key and policy
           files are reloaded when they change. On SIGINT/SIGTERM it turns not ready and keeps answering for
           --shutdown-delay seconds (0 to stop at once), so the API server stops routing here first, then stops.
certs      a CA (ca.crt, ca.key) and a serving certificate (tls.crt, tls.key) for <service>.<namespace>.svc;
           --reuse-ca issues a new serving certificate from the existing CA (rotation without a new caBundle).
manifests  namespace, default-deny NetworkPolicy, LimitRange, ResourceQuota, ServiceAccount, Deployment,
           PodDisruptionBudget, PriorityClass, Service, NetworkPolicy, policy ConfigMap and webhook configurations
           (failurePolicy Fail by default; Fail needs 3 or more replicas). They pass \`palisade scan\` with every rule.
           --image must be pinned by digest (--allow-unpinned-image accepts a tag); --apiserver-cidr (repeatable)
           names the API server's addresses, the only peers of the webhook pods (--allow-unrestricted-network
           opens port 8443 to every source instead). The TLS Secret (a private key) is written only with
           --include-secret; otherwise create it with
           kubectl -n NAMESPACE create secret tls NAME-tls --cert DIR/tls.crt --key DIR/tls.key
`;

export async function runWebhook(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'serve':
      return serve(rest, io);
    case 'certs':
      return certs(rest, io);
    case 'manifests':
      return manifests(rest, io);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(USAGE);
      return sub === undefined ? EXIT.usage : EXIT.clean;
    default:
      throw new PalisadeError(
        'usage',
        `unknown webhook subcommand "${sub}": expected serve, certs or manifests`,
      );
  }
}

const SERVE_OPTIONS = {
  cert: { type: 'string' },
  key: { type: 'string' },
  policy: { type: 'string' },
  port: { type: 'string', default: '8443' },
  host: { type: 'string' },
  'failure-mode': { type: 'string' },
  'log-level': { type: 'string', default: 'info' },
  'reload-interval': { type: 'string', default: '5' },
  'shutdown-delay': { type: 'string', default: '5' },
  'max-connections': { type: 'string', default: String(DEFAULT_MAX_CONNECTIONS) },
  'max-body-mib': { type: 'string', default: String(DEFAULT_MAX_BODY_BYTES_IN_FLIGHT / 1048576) },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

async function serve(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, SERVE_OPTIONS, 'webhook serve');
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.clean;
  }
  if (positionals.length > 0)
    throw new PalisadeError('usage', `webhook serve takes no arguments (got ${positionals[0]})`);
  if (values.cert === undefined || values.key === undefined)
    throw new PalisadeError(
      'usage',
      'webhook serve needs --cert and --key (HTTPS only; see `palisade webhook certs`)',
    );
  const port = wholeNumberOption(values.port, '--port', 1, 65535);
  const failureMode = values['failure-mode'];
  if (failureMode !== undefined && !(FAILURE_MODES as readonly string[]).includes(failureMode))
    throw new PalisadeError('usage', `--failure-mode must be one of ${FAILURE_MODES.join(', ')}`);
  const level = values['log-level'];
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new PalisadeError('usage', `--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const interval = decimalOption(values['reload-interval'], '--reload-interval', 0, 3600, true);
  const shutdownDelay = decimalOption(values['shutdown-delay'], '--shutdown-delay', 0, 600);
  const maxConnections = wholeNumberOption(values['max-connections'], '--max-connections', 1, 65535);
  // Request bodies held at once, all connections together; one review may be 3.5 MiB, so at least 4.
  const maxBodyMib = decimalOption(values['max-body-mib'], '--max-body-mib', 0, 4096, true);
  if (maxBodyMib < 4)
    throw new PalisadeError(
      'usage',
      `--max-body-mib must be at least 4: one AdmissionReview may be ${MAX_REVIEW_BYTES} bytes (got ${values['max-body-mib']})`,
    );
  const logger = createJsonLogger(io.stderr, {
    level: level as LogLevel,
    now: io.now,
    base: { component: 'webhook' },
  });
  // Namespace labels come from the API server when running in a cluster; the policy decides whether they count.
  const access = await inClusterAccess(io.env);
  const namespaces = access ? new NamespaceLabelsCache(access, logger) : undefined;
  if (namespaces) await namespaces.start();
  else logger.info('not running in a cluster: pod-security.kubernetes.io namespace labels are not available');
  const server = await startWebhookServer({
    ...(values.host !== undefined ? { host: values.host } : {}),
    port,
    certFile: resolve(io.cwd, values.cert),
    keyFile: resolve(io.cwd, values.key),
    ...(values.policy !== undefined ? { policyFile: resolve(io.cwd, values.policy) } : {}),
    ...(failureMode !== undefined ? { failureMode: failureMode as FailureMode } : {}),
    logger,
    reloadIntervalMs: interval * 1000,
    maxConnections,
    maxBodyBytesInFlight: Math.floor(maxBodyMib * 1048576),
    ...(namespaces
      ? {
          namespaceLabels: (namespace: string) => namespaces.get(namespace),
          ensureNamespace: (namespace: string) => namespaces.ensure(namespace),
        }
      : {}),
  });
  // An IPv6 address is bracketed in a URL: https://[::]:8443.
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  io.stdout.write(`palisade webhook listening on https://${host}:${server.port}\n`);
  await new Promise<void>((done) => {
    if (!io.signal) return; // Without a signal the server runs until the process ends.
    if (io.signal.aborted) done();
    else io.signal.addEventListener('abort', () => done(), { once: true });
  });
  // Endpoint removal reaches the API server some seconds after the pod starts terminating: keep answering.
  await server.close(undefined, shutdownDelay * 1000);
  namespaces?.stop();
  return EXIT.clean;
}

const CERTS_OPTIONS = {
  out: { type: 'string' },
  service: { type: 'string', default: 'palisade-webhook' },
  namespace: { type: 'string', default: 'palisade' },
  san: { type: 'string', multiple: true },
  days: { type: 'string', default: '365' },
  'reuse-ca': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

async function certs(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArgs(args, CERTS_OPTIONS, 'webhook certs');
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.clean;
  }
  if (values.out === undefined) throw new PalisadeError('usage', 'webhook certs needs --out DIR');
  checkServiceName(values.service, '--service');
  checkDnsLabel(values.namespace, '--namespace');
  const result = await writeWebhookCerts({
    directory: resolve(io.cwd, values.out),
    service: values.service,
    namespace: values.namespace,
    extraNames: values.san ?? [],
    days: wholeNumberOption(values.days, '--days', 1, 3650),
    now: io.now(),
    reuseCa: values['reuse-ca'],
  });
  io.stdout.write(
    `wrote ${result.files.join(', ')}\nserving certificate names: ${result.names.join(', ')}\n`,
  );
  return EXIT.clean;
}

const MANIFEST_OPTIONS = {
  'cert-dir': { type: 'string' },
  policy: { type: 'string' },
  namespace: { type: 'string', default: 'palisade' },
  name: { type: 'string', default: 'palisade-webhook' },
  image: { type: 'string', default: `ghcr.io/palisade-dev/palisade:${PALISADE_VERSION}` },
  'allow-unpinned-image': { type: 'boolean', default: false },
  'apiserver-cidr': { type: 'string', multiple: true },
  'allow-unrestricted-network': { type: 'boolean', default: false },
  replicas: { type: 'string', default: '3' },
  'failure-policy': { type: 'string', default: 'Fail' },
  'include-secret': { type: 'boolean', default: false },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

async function readText(file: string, what: string): Promise<string> {
  try {
    return readRegularFileSync(file).toString('utf8');
  } catch (error) {
    throw new PalisadeError('input-not-found', `cannot read ${what} ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function readOptionalText(file: string): Promise<string | undefined> {
  try {
    return readRegularFileSync(file).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PalisadeError('input-unreadable', `cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function manifests(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArgs(args, MANIFEST_OPTIONS, 'webhook manifests');
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.clean;
  }
  if (values['cert-dir'] === undefined)
    throw new PalisadeError(
      'usage',
      'webhook manifests needs --cert-dir DIR (make one with `palisade webhook certs --out DIR`)',
    );
  checkDnsLabel(values.namespace, '--namespace');
  checkOwnNamespace(values.namespace);
  checkServiceName(values.name, '--name');
  const replicas = wholeNumberOption(values.replicas, '--replicas', 1, 100);
  const failurePolicy = values['failure-policy'];
  if (!(FAILURE_POLICIES as readonly string[]).includes(failurePolicy))
    throw new PalisadeError('usage', `--failure-policy must be one of ${FAILURE_POLICIES.join(', ')}`);
  const image = checkImage(values.image, values['allow-unpinned-image']);
  const apiServerCidrs = checkApiServerCidrs(
    values['apiserver-cidr'] ?? [],
    values['allow-unrestricted-network'],
  );
  const certDir = resolve(io.cwd, values['cert-dir']);
  const caBundlePem = await readText(join(certDir, CERT_FILES.ca), 'CA certificate');
  let policyText: string | undefined;
  let policy = new CompiledPolicy(defaultAdmissionPolicy(), builtinRules);
  if (values.policy !== undefined) {
    const file = resolve(io.cwd, values.policy);
    policyText = await readText(file, 'policy file');
    policy = new CompiledPolicy(parseAdmissionPolicy(policyText, values.policy, builtinRules), builtinRules);
  }
  const tlsSecret = values['include-secret']
    ? {
        certPem: await readText(join(certDir, CERT_FILES.cert), 'serving certificate'),
        keyPem: await readText(join(certDir, CERT_FILES.key), 'serving key'),
      }
    : undefined;
  // Without --include-secret the serving certificate is installed some other way; when it is here, it is checked.
  const certPem = tlsSecret?.certPem ?? (await readOptionalText(join(certDir, CERT_FILES.cert)));
  const certWarnings = checkServingCertificates({
    caPem: caBundlePem,
    ...(certPem !== undefined ? { certPem } : {}),
    ...(tlsSecret ? { keyPem: tlsSecret.keyPem } : {}),
    host: `${values.name}.${values.namespace}.svc`,
    now: io.now(),
  });
  for (const warning of certWarnings) io.stderr.write(`palisade webhook manifests: ${warning}\n`);
  const built = buildInstallManifests({
    namespace: values.namespace,
    name: values.name,
    image,
    replicas,
    failurePolicy: failurePolicy as FailurePolicy,
    caBundlePem,
    policy,
    ...(policyText !== undefined ? { policyText } : {}),
    tlsSecretName: `${values.name}-tls`,
    ...(tlsSecret ? { tlsSecret } : {}),
    apiServerCidrs,
  });
  if (values['allow-unpinned-image'] && parseImageReference(image)?.digest === undefined)
    io.stderr.write(
      `palisade webhook manifests: image ${image} is not pinned by digest (--allow-unpinned-image): the tag can be re-pushed\n`,
    );
  if (apiServerCidrs.length === 0)
    io.stderr.write(
      'palisade webhook manifests: --allow-unrestricted-network: port 8443 admits every source (and API server egress every address); give --apiserver-cidr to restrict it\n',
    );
  // Grouped by reason: the rules of these kinds do not run at admission, and the user should know why.
  const byReason = new Map<string, string[]>();
  for (const kind of built.unregisteredKinds) {
    const reason = whyNotRegistered(kind);
    byReason.set(reason, [...(byReason.get(reason) ?? []), kind]);
  }
  for (const [reason, kinds] of byReason)
    io.stderr.write(
      `palisade webhook manifests: not registered for ${kinds.join(', ')} (their rules do not run at admission): ${reason}\n`,
    );
  const text = built.objects
    .map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
  // A file that may hold a private key is readable by its owner only.
  await writeCommandOutput(io, values.output, text, tlsSecret ? 0o600 : 0o644);
  if (tlsSecret)
    io.stderr.write(
      'palisade webhook manifests: the output contains the serving private key; keep it secret\n',
    );
  return EXIT.clean;
}

/** The image must name one exact build (`@sha256:...`) unless the user explicitly accepts a mutable tag. */
function checkImage(image: string, allowUnpinned: boolean): string {
  const reference = parseImageReference(image);
  if (!reference) {
    const problem = imageReferenceProblem(image);
    throw new PalisadeError(
      'usage',
      `--image "${image}" is not a valid image reference${problem === undefined ? '' : `: ${problem}`}`,
    );
  }
  if (reference.digest === undefined && !allowUnpinned)
    throw new PalisadeError(
      'usage',
      `--image ${image} is not pinned by digest: give --image ${image.split('@')[0]}@sha256:<digest> (for example from \`crane digest ${image}\`), or --allow-unpinned-image to accept a tag that can be re-pushed`,
    );
  return image.trim();
}

/**
 * The API server's addresses, as canonical CIDRs (a bare address becomes /32 or /128). Required unless the user
 * explicitly accepts a webhook port open to every source: the address differs per cluster and cannot be guessed.
 */
function checkApiServerCidrs(texts: readonly string[], allowUnrestricted: boolean): string[] {
  if (texts.length > 0 && allowUnrestricted)
    throw new PalisadeError(
      'usage',
      '--apiserver-cidr and --allow-unrestricted-network contradict each other',
    );
  if (texts.length === 0 && !allowUnrestricted)
    throw new PalisadeError(
      'usage',
      'webhook manifests needs --apiserver-cidr CIDR (the addresses the API server connects from; for example `kubectl get endpoints kubernetes -o jsonpath={.subsets[*].addresses[*].ip}`), or --allow-unrestricted-network to open port 8443 to every source',
    );
  const out: string[] = [];
  for (const text of texts) {
    const parsed = parseCidr(text.trim(), true);
    if (!parsed) throw new PalisadeError('usage', `--apiserver-cidr "${text}" is not an IP address or CIDR`);
    if (parsed.hostBitsSet)
      throw new PalisadeError(
        'usage',
        `--apiserver-cidr "${text}" has host bits set: give a single address (no /prefix) or the network (${formatRange(parsed.range)})`,
      );
    const { range } = parsed;
    if (range.start === 0n && range.end === fullRange(range.family).end)
      throw new PalisadeError(
        'usage',
        `--apiserver-cidr "${text}" is every address: use --allow-unrestricted-network to say so`,
      );
    const formatted = formatRange(range);
    const cidr = formatted.includes('/') ? formatted : `${formatted}/${range.family === 4 ? 32 : 128}`;
    if (!out.includes(cidr)) out.push(cidr);
  }
  return out;
}

// The install labels its namespace restricted and gives it a default-deny NetworkPolicy, a LimitRange and a quota
// sized for the webhook alone: applied to a namespace others share, it would cut off and starve their pods.
const SHARED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

function checkOwnNamespace(namespace: string): void {
  if (SHARED_NAMESPACES.has(namespace))
    throw new PalisadeError(
      'usage',
      `--namespace ${namespace} is shared with the cluster's own pods: the install gives its namespace a default-deny NetworkPolicy, a ResourceQuota and the restricted Pod Security level, which would cut them off; use a namespace of its own (default palisade)`,
    );
}

/** A Service name is a DNS-1035 label: it starts with a letter. */
function checkServiceName(value: string, flag: string): void {
  if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value))
    throw new PalisadeError(
      'usage',
      `${flag} names a Service, so it must be a DNS-1035 label (a lower case letter first, then lower case letters, digits and -, at most 63), got "${value}"`,
    );
}

function checkDnsLabel(value: string, flag: string): void {
  if (!isDns1123Label(value))
    throw new PalisadeError(
      'usage',
      `${flag} must be a DNS label (lower case letters, digits and -), got "${value}"`,
    );
}
