// Checks the certificate directory `webhook manifests` installs from, before anything is written: a caBundle that
// is not a CA certificate, or a serving certificate the API server will refuse (another service name, another
// CA, expired, a key that is not its own), would only show up later as every admission request failing.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { PalisadeError } from '../core/errors.ts';

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

function parse(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new PalisadeError(
      'config-invalid',
      `${what} is not a PEM certificate (${(error as Error).message}); make one with \`palisade webhook certs --out DIR\``,
      { cause: error },
    );
  }
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
  const ca = parse(files.caPem, 'ca.crt');
  if (!ca.ca)
    throw new PalisadeError('config-invalid', 'ca.crt is not a CA certificate (basicConstraints CA:FALSE)');
  validity(ca, 'the CA certificate ca.crt', files.now, warnings);
  if (files.certPem === undefined) return warnings;
  const serving = parse(files.certPem, 'tls.crt');
  if (!serving.checkIssued(ca) || !serving.verify(ca.publicKey))
    throw new PalisadeError(
      'config-invalid',
      'tls.crt was not issued by ca.crt: the API server would refuse the webhook (issue both with `palisade webhook certs`)',
    );
  if (serving.checkHost(files.host, { wildcards: false }) === undefined)
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
