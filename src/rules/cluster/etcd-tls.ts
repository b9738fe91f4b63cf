import type { KubeObject } from '../../core/kube-object.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import {
  type ComponentProcess,
  checkComponent,
  flagIsTrue,
  flagViolation,
  isPlainHttpUrl,
  listValue,
  mayRunComponent,
} from './control-plane-flags.ts';

/** `pod` with environment variables on its first container. */
function withEnv(pod: KubeObject, env: Record<string, string>): KubeObject {
  const [container] = (pod.spec as { containers: Record<string, unknown>[] }).containers;
  if (container) container.env = Object.entries(env).map(([name, value]) => ({ name, value }));
  return pod;
}

const ETCD_DEFAULT_CLIENT_URL = 'http://localhost:2379';

function side(process: ComponentProcess, prefix: '' | 'peer-', urlsFlags: readonly string[]): Violation[] {
  const who = prefix === '' ? 'client' : 'peer';
  const violations: Violation[] = [];
  for (const urlsFlag of urlsFlags) {
    const plain = listValue(process.flags.get(urlsFlag)).filter(isPlainHttpUrl);
    if (plain.length > 0)
      violations.push(
        flagViolation(process, urlsFlag, `${who} connections are served without TLS: ${plain.join(', ')}`),
      );
  }
  const hasCertificate = process.flags.has(`${prefix}cert-file`) && process.flags.has(`${prefix}key-file`);
  // Without listeners configured with TLS, a plain-text-only etcd already failed above; certificates still matter.
  if (!hasCertificate)
    violations.push(
      flagViolation(
        process,
        `${prefix}cert-file`,
        `--${prefix}cert-file and --${prefix}key-file are not both set`,
      ),
    );
  // etcd requires client certificates when either flag is set (its TLS server config); CIS asks for the flag itself.
  if (!flagIsTrue(process.flags.get(`${prefix}client-cert-auth`), false))
    violations.push(
      flagViolation(
        process,
        `${prefix}client-cert-auth`,
        process.flags.has(`${prefix}trusted-ca-file`)
          ? `--${prefix}client-cert-auth is not true: ${who}s need a certificate only because --${prefix}trusted-ca-file is set; set the flag as well`
          : `--${prefix}client-cert-auth is not true: ${who}s are not authenticated`,
      ),
    );
  // Automatic TLS is ignored when certificates are given, but stands ready should they be removed.
  if (flagIsTrue(process.flags.get(`${prefix}auto-tls`), false))
    violations.push(
      flagViolation(
        process,
        `${prefix}auto-tls`,
        hasCertificate
          ? `--${prefix}auto-tls is true: ignored while --${prefix}cert-file and --${prefix}key-file are set, and self-signed should they go; remove it`
          : `--${prefix}auto-tls is true: self-signed certificates nobody verifies`,
      ),
    );
  return violations;
}

export default defineRule({
  id: 'etcd-tls',
  title: 'etcd serves clients or peers without TLS or without client certificates',
  severity: 'high',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['2.1', '2.2', '2.3', '2.4', '2.5', '2.6'], 'nsa-cisa': ['etcd'] },
  description:
    'Whoever can talk to etcd can read and change every object of the cluster. Client and peer listeners need TLS (`--cert-file`/`--key-file`, `--peer-cert-file`/`--peer-key-file`, `https://` URLs in `--listen-client-urls`, `--listen-client-http-urls` and `--listen-peer-urls`; without `--listen-client-urls` etcd serves plain http on its default `http://localhost:2379` and ignores the certificate), ' +
    'must require client certificates (`--client-cert-auth`, `--peer-client-cert-auth`) and must not use self-signed automatic TLS (`--auto-tls`, `--peer-auto-tls`). ' +
    'Peer settings are checked only when peer URLs are configured (a single-member etcd on loopback has no peers). ' +
    'Flags are read as etcd reads them (one or two dashes; `ETCD_*` environment variables for flags not on the command line); with `--config-file` etcd ignores both and this rule is not evaluated (see `control-plane-not-observable`). ' +
    'Data: the `etcd` static pod, its command, args and environment.',
  remediation:
    'Serve etcd with certificates from a dedicated etcd CA, `--client-cert-auth=true`, `--peer-client-cert-auth=true`, and `https://` listen URLs.',
  references: ['https://etcd.io/docs/v3.5/op-guide/security/'],
  examples: {
    pass: [
      podWith('etcd', {}),
      podWith('etcd', { remove: ['--client-cert-auth'], set: ['-client-cert-auth=true'] }),
      withEnv(podWith('etcd', { remove: ['--client-cert-auth'] }), { ETCD_CLIENT_CERT_AUTH: 'true' }),
      // A command-line flag shadows the environment variable.
      withEnv(podWith('etcd', {}), { ETCD_CLIENT_CERT_AUTH: 'false' }),
    ],
    fail: [
      podWith('etcd', {
        set: ['--listen-client-urls=http://127.0.0.1:2379'],
        remove: ['--cert-file', '--key-file'],
      }),
      // The HTTP API on a listener of its own, without TLS, next to a TLS listener.
      podWith('etcd', { set: ['--listen-client-http-urls=http://0.0.0.0:2382'] }),
      podWith('etcd', { set: ['--client-cert-auth=false'] }),
      // Go's flag package: one dash is enough.
      podWith('etcd', { remove: ['--client-cert-auth'], set: ['-client-cert-auth=false'] }),
      withEnv(podWith('etcd', { remove: ['--client-cert-auth'] }), { ETCD_CLIENT_CERT_AUTH: 'false' }),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'etcd', (process) => {
      // etcd 3.5+ can serve its HTTP API on listeners of its own (--listen-client-http-urls).
      const violations = side(process, '', ['listen-client-urls', 'listen-client-http-urls']);
      // Without the flag etcd listens on its default, http://localhost:2379, and ignores any certificate for it.
      if (!process.flags.has('listen-client-urls'))
        violations.unshift(
          flagViolation(
            process,
            'listen-client-urls',
            `client connections are served without TLS: --listen-client-urls is not set, and etcd listens on its default ${ETCD_DEFAULT_CLIENT_URL} (loopback only)`,
          ),
        );
      const hasPeers =
        process.flags.has('listen-peer-urls') || process.flags.has('initial-advertise-peer-urls');
      const peers = listValue(process.flags.get('listen-peer-urls'));
      const loopbackOnly =
        peers.length > 0 && peers.every((url) => /\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url));
      if (hasPeers && !loopbackOnly) violations.push(...side(process, 'peer-', ['listen-peer-urls']));
      return violations;
    }),
});
