// Checks the certificate directory `webhook manifests` installs from, before anything is written: a caBundle that
// is not a CA certificate, or a serving certificate the API server will refuse (another service name, another
// CA, expired, a key that is not its own), would only show up later as every admission request failing.
import { createPrivateKey, type X509Certificate } from 'node:crypto';
import { PalisadeError } from '../core/errors.ts';
import { parseCertificates } from './pem-certificates.ts';

export interface ServingCertificateFiles {
  /** `ca.crt`: goes into the webhook configurations' caBundle. */
  caPem: string;
  /** `tls.crt` and `tls.key`, when present. */
  certPem?: string;
  keyPem?: string;
  /** `<service>.<namespace>.svc`: the name the API server connects to. */
  host: string;
  now: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Expiring sooner than this is worth a warning: rotation (`webhook certs --reuse-ca`) is due. */
const WARN_DAYS = 30;

const issuedBy = (child: X509Certificate, parent: X509Certificate): boolean =>
  child.checkIssued(parent) && child.verify(parent.publicKey);

/** True when `leaf` chains, through the intermediates sent with it, up to one of the trusted CAs. */
function chainsTo(
  leaf: X509Certificate,
  intermediates: readonly X509Certificate[],
  roots: readonly X509Certificate[],
): boolean {
  let current = leaf;
  for (let depth = 0; depth <= intermediates.length; depth++) {
    if (roots.some((root) => issuedBy(current, root))) return true;
    const next = intermediates.find((candidate) => candidate !== current && issuedBy(current, candidate));
    if (!next) return false;
    current = next;
  }
  return false;
}

function validity(certificate: X509Certificate, what: string, now: Date, warnings: string[]): void {
  const from = new Date(certificate.validFrom);
  const to = new Date(certificate.validTo);
  if (now < from)
    throw new PalisadeError('config-invalid', `${what} is not valid before ${from.toISOString()}`);
  if (now > to) throw new PalisadeError('config-invalid', `${what} expired on ${to.toISOString()}`);
  const days = Math.floor((to.getTime() - now.getTime()) / DAY_MS);
  if (days < WARN_DAYS) warnings.push(`${what} expires in ${days} day(s), on ${to.toISOString()}`);
}

/** Throws a `config-invalid` error for what cannot work; returns warnings for what will stop working soon. */
export function checkServingCertificates(files: ServingCertificateFiles): string[] {
  const warnings: string[] = [];
  // The API server trusts every certificate of caBundle: a bundle may hold the old and the new CA while rotating.
  const cas = parseCertificates(files.caPem, 'ca.crt');
  if (!cas.some((ca) => ca.ca))
    throw new PalisadeError('config-invalid', 'ca.crt holds no CA certificate (basicConstraints CA:TRUE)');
  for (const [index, ca] of cas.entries())
    validity(
      ca,
      cas.length === 1 ? 'the CA certificate ca.crt' : `CA certificate ${index + 1} of ca.crt`,
      files.now,
      warnings,
    );
  if (files.certPem === undefined) return warnings;
  const [serving, ...intermediates] = parseCertificates(files.certPem, 'tls.crt') as [
    X509Certificate,
    ...X509Certificate[],
  ];
  if (!chainsTo(serving, intermediates, cas))
    throw new PalisadeError(
      'config-invalid',
      'tls.crt was not issued by ca.crt (directly or through the intermediates in tls.crt): the API server would refuse the webhook (issue both with `palisade webhook certs`)',
    );
  // As Go's VerifyHostname, which the API server uses: a wildcard stands for the whole leftmost label only.
  if (serving.checkHost(files.host, { wildcards: true, partialWildcards: false }) === undefined)
    throw new PalisadeError(
      'config-invalid',
      `tls.crt does not cover ${files.host} (it covers ${serving.subjectAltName ?? 'no subject alternative name'}): the API server would refuse the webhook; issue one for this service with \`palisade webhook certs --service NAME --namespace NS --reuse-ca\``,
    );
  validity(serving, 'the serving certificate tls.crt', files.now, warnings);
  if (files.keyPem !== undefined) {
    let matches = false;
    try {
      matches = serving.checkPrivateKey(createPrivateKey(files.keyPem));
    } catch {
      matches = false;
    }
    if (!matches) throw new PalisadeError('config-invalid', 'tls.key is not the private key of tls.crt');
  }
  return warnings;
}
