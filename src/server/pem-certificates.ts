// Certificates from a PEM bundle (a CA file, a certificate with its intermediates), each parsed, with errors
// naming the file and position. The audit receiver's client CA and `webhook manifests`' certificate check use it.
import { X509Certificate } from 'node:crypto';
import { PalisadeError } from '../core/errors.ts';

export function parseCertificates(pem: string, file: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0)
    throw new PalisadeError(
      'config-invalid',
      `${file} is not a PEM certificate (no BEGIN CERTIFICATE block)`,
    );
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new PalisadeError(
        'config-invalid',
        `${file}: certificate ${index + 1} does not parse: ${(error as Error).message}`,
        { cause: error },
      );
    }
  });
}
