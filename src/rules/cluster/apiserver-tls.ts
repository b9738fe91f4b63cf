import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import { checkComponent, flagViolation, listValue, mayRunComponent } from './control-plane-flags.ts';
import { isWeakCipherSuite, isWeakTlsVersion } from './tls-settings.ts';

export default defineRule({
  id: 'apiserver-tls',
  title: 'API server TLS: missing certificate, old protocol versions or weak cipher suites',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.2.24', '1.2.25', '1.2.29'], 'nsa-cisa': ['encryption'] },
  description:
    'The API server needs its own certificate (`--tls-cert-file`, `--tls-private-key-file`) and a CA for client certificates (`--client-ca-file`, which kubelets and controllers authenticate with); `--tls-min-version` below `VersionTLS12` allows obsolete TLS (unset, the API server itself requires TLS 1.2); without `--tls-cipher-suites` it accepts the defaults of the Go release it was built with, ' +
    'which include CBC suites. Suites without forward secrecy or with CBC, 3DES or RC4 are reported by name. ' +
    'Data: the `kube-apiserver` static pod, its command and args.',
  remediation:
    'Set `--tls-min-version=VersionTLS12` (or 13) and `--tls-cipher-suites` to ECDHE AES-GCM or ChaCha20-Poly1305 suites only.',
  references: [
    'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/',
    'https://www.rfc-editor.org/rfc/rfc8996',
  ],
  examples: {
    pass: [
      podWith('kube-apiserver', {}),
      podWith('kube-apiserver', { set: ['--tls-min-version=VersionTLS13'] }),
    ],
    fail: [
      podWith('kube-apiserver', { set: ['--tls-min-version=VersionTLS10'] }),
      podWith('kube-apiserver', { set: ['--tls-cipher-suites=TLS_RSA_WITH_AES_128_CBC_SHA'] }),
      podWith('kube-apiserver', { remove: ['--tls-cipher-suites', '--tls-min-version'] }),
      podWith('kube-apiserver', { remove: ['--client-ca-file'] }),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'kube-apiserver', (process) => {
      const violations: Violation[] = [];
      if (!process.flags.has('client-ca-file'))
        violations.push(
          flagViolation(
            process,
            'client-ca-file',
            '--client-ca-file is not set: client certificates are not accepted or verified',
          ),
        );
      for (const flag of ['tls-cert-file', 'tls-private-key-file'])
        if (!process.flags.has(flag))
          violations.push(
            flagViolation(
              process,
              flag,
              `--${flag} is not set: the server uses a self-generated certificate`,
            ),
          );
      const minimum = process.flags.get('tls-min-version')?.value;
      // TLS 1.3 suites are fixed by Go, so a 1.3 minimum makes the suite list irrelevant.
      if (minimum === 'VersionTLS13') return violations;
      // Unset, the API server's own floor applies: TLS 1.2 (k8s.io/apiserver secure serving).
      if (minimum !== undefined && isWeakTlsVersion(minimum))
        violations.push(
          flagViolation(process, 'tls-min-version', `--tls-min-version=${minimum} allows obsolete TLS`),
        );
      const suites = listValue(process.flags.get('tls-cipher-suites'));
      if (suites.length === 0)
        violations.push(
          flagViolation(
            process,
            'tls-cipher-suites',
            '--tls-cipher-suites is not set: the Go defaults apply',
          ),
        );
      const weak = suites.filter(isWeakCipherSuite);
      if (weak.length > 0)
        violations.push(
          flagViolation(
            process,
            'tls-cipher-suites',
            `--tls-cipher-suites allows weak suites: ${weak.join(', ')}`,
          ),
        );
      return violations;
    }),
});
