// A CA and a serving certificate for the webhook Service, written as files: `ca.crt` (the caBundle), `tls.crt` and
// `tls.key` (the kubernetes.io/tls Secret), `ca.key` (to issue the next serving certificate). Keys are 0600.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import { makeDirectory } from '../core/make-directory.ts';
import { issueCertificate, loadIssuer } from './x509-certificate.ts';

export interface WebhookCertOptions {
  directory: string;
  service: string;
  namespace: string;
  /** More SANs (an external name, 127.0.0.1 for local runs). */
  extraNames: readonly string[];
  /** Serving certificate lifetime; the CA lives ten times longer. */
  days: number;
  now: Date;
  /** Issue a new serving certificate from the CA already in `directory` (rotation keeps the caBundle). */
  reuseCa: boolean;
}

export const CERT_FILES = { ca: 'ca.crt', caKey: 'ca.key', cert: 'tls.crt', key: 'tls.key' } as const;

/** `<svc>`, `<svc>.<ns>`, `<svc>.<ns>.svc`: the names the API server may use for a service reference. */
export function serviceNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`];
}

export async function writeWebhookCerts(
  options: WebhookCertOptions,
): Promise<{ files: string[]; names: string[] }> {
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 3650)
    throw new PalisadeError('usage', `--days must be a whole number from 1 to 3650 (got ${options.days})`);
  const names = [...new Set([...serviceNames(options.service, options.namespace), ...options.extraNames])];
  const day = 86_400_000;
  // Backdated a little: clocks across a cluster are not perfectly in step.
  const notBefore = new Date(options.now.getTime() - 5 * 60_000);
  const path = (file: string) => join(options.directory, file);
  // Everything is issued before anything is written: a refused name must not leave a new CA beside the old
  // serving certificate, or replace a CA key the deployed caBundle still needs.
  let issuer: ReturnType<typeof loadIssuer>;
  let newCa: ReturnType<typeof issueCertificate> | undefined;
  if (options.reuseCa) {
    if (!existsSync(path(CERT_FILES.ca)) || !existsSync(path(CERT_FILES.caKey)))
      throw new PalisadeError(
        'input-not-found',
        `--reuse-ca: ${path(CERT_FILES.ca)} and ${path(CERT_FILES.caKey)} must exist`,
      );
    issuer = loadIssuer(
      await readFile(path(CERT_FILES.ca), 'utf8'),
      await readFile(path(CERT_FILES.caKey), 'utf8'),
    );
  } else {
    newCa = issueCertificate({
      subject: { commonName: `${options.service}.${options.namespace} webhook CA`, organization: 'palisade' },
      notBefore,
      notAfter: new Date(notBefore.getTime() + options.days * 10 * day),
      isCa: true,
    });
    issuer = { certificate: newCa.certificate, privateKey: newCa.privateKey };
  }
  let serving: ReturnType<typeof issueCertificate>;
  try {
    serving = issueCertificate(
      {
        subject: { commonName: `${options.service}.${options.namespace}.svc` },
        notBefore,
        notAfter: new Date(notBefore.getTime() + options.days * day),
        altNames: names,
        isCa: false,
      },
      issuer,
    );
  } catch (error) {
    throw new PalisadeError('usage', `cannot issue the serving certificate: ${(error as Error).message}`, {
      cause: error,
    });
  }
  makeDirectory(options.directory, 0o700);
  const files: string[] = [];
  if (newCa) {
    await writeFile(path(CERT_FILES.ca), newCa.certificatePem, { mode: 0o644 });
    await writePrivateFile(path(CERT_FILES.caKey), newCa.privateKeyPem);
    files.push(path(CERT_FILES.ca), path(CERT_FILES.caKey));
  }
  // The key first: the server reloads when both files changed and match, so the pair is never half-new for long.
  await writePrivateFile(path(CERT_FILES.key), serving.privateKeyPem);
  await writeFile(path(CERT_FILES.cert), serving.certificatePem, { mode: 0o644 });
  files.push(path(CERT_FILES.cert), path(CERT_FILES.key));
  return { files, names };
}

/**
 * Writes a private key readable by its owner only, whatever was there before: `writeFile`'s `mode` applies only when
 * the file is created, so an existing 0644 key file would keep its mode. The key goes to a new 0600 file in the same
 * directory (created exclusively, never through a planted file or link) that then replaces the target in one rename:
 * no reader ever sees a half-written key or the key under wider permissions.
 */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
