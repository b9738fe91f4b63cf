// X.509 v3 certificates (RFC 5280) built with node:crypto keys and the DER encoder: a CA and serving
// certificates for the webhook, with no openssl at run time. ECDSA P-256 with SHA-256, which every Kubernetes
// API server verifies.
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  type Der,
  explicit,
  implicitPrimitive,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.ts';

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

export interface CertificateSubject {
  commonName: string;
  organization?: string;
}

export interface IssuedCertificate {
  certificatePem: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  certificate: X509Certificate;
  privateKey: KeyObject;
}

export interface CertificateRequest {
  subject: CertificateSubject;
  notBefore: Date;
  notAfter: Date;
  /** DNS names and IP addresses for subjectAltName (serving certificates). */
  altNames?: readonly string[];
  isCa: boolean;
}

function name(subject: CertificateSubject): Der {
  const rdns = [];
  if (subject.organization !== undefined)
    rdns.push(set(sequence(objectIdentifier(OID.organization), utf8String(subject.organization))));
  rdns.push(set(sequence(objectIdentifier(OID.commonName), utf8String(subject.commonName))));
  return sequence(...rdns);
}

function extension(oid: string, critical: boolean, value: Der): Der {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** KeyUsage bits, RFC 5280 4.2.1.3: digitalSignature (0), keyCertSign (5), cRLSign (6). */
function keyUsage(isCa: boolean): Der {
  const bits = isCa ? 0b1000_0110 : 0b1000_0000;
  const unused = isCa ? 1 : 7;
  return Buffer.concat([Buffer.from([0x03, 0x02, unused]), Buffer.from([bits])]);
}

function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  // IPv6: expand `::` and write eight 16-bit groups.
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = address.includes('::')
    ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  const out = Buffer.alloc(16);
  groups.forEach((group, index) => {
    out.writeUInt16BE(Number.parseInt(group, 16), index * 2);
  });
  return out;
}

function subjectAltName(names: readonly string[]): Der {
  return sequence(
    ...names.map((entry) =>
      isIP(entry) ? implicitPrimitive(7, ipBytes(entry)) : implicitPrimitive(2, Buffer.from(entry, 'ascii')),
    ),
  );
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKeyDer: Buffer): Buffer {
  // The SPKI ends with the BIT STRING of the key; for P-256 that is its last 65 bytes (uncompressed point).
  return createHash('sha1')
    .update(publicKeyDer.subarray(publicKeyDer.length - 65))
    .digest();
}

const DNS_NAME =
  /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Checks an alt name before it is encoded, so a typo fails here and not in the API server's TLS handshake. */
export function isValidAltName(entry: string): boolean {
  return isIP(entry) !== 0 || DNS_NAME.test(entry);
}

/**
 * Issues a certificate for a new P-256 key, signed by `issuer` (or by itself when `issuer` is undefined).
 */
export function issueCertificate(
  request: CertificateRequest,
  issuer?: { certificate: X509Certificate; privateKey: KeyObject },
): IssuedCertificate {
  for (const entry of request.altNames ?? [])
    if (!isValidAltName(entry)) throw new Error(`"${entry}" is not a DNS name or IP address`);
  if (request.notAfter <= request.notBefore) throw new Error('the certificate would expire before it starts');
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const subjectKeyId = keyIdentifier(spki);
  const signingKey = issuer?.privateKey ?? privateKey;
  const issuerName = issuer ? Buffer.from(issuer.certificate.raw) : undefined;
  const authorityKeyId = issuer
    ? keyIdentifier(issuer.certificate.publicKey.export({ type: 'spki', format: 'der' }))
    : subjectKeyId;
  // Positive 16-byte serial: RFC 5280 allows up to 20 octets and asks for unpredictability.
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f;

  const extensions = [
    extension(OID.basicConstraints, true, sequence(...(request.isCa ? [boolean(true)] : []))),
    extension(OID.keyUsage, true, keyUsage(request.isCa)),
    extension(OID.subjectKeyIdentifier, false, octetString(subjectKeyId)),
    extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, authorityKeyId))),
  ];
  if (!request.isCa)
    extensions.push(extension(OID.extendedKeyUsage, false, sequence(objectIdentifier(OID.serverAuth))));
  if (request.altNames && request.altNames.length > 0)
    extensions.push(extension(OID.subjectAltName, false, subjectAltName(request.altNames)));

  const signatureAlgorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    signatureAlgorithm,
    issuerName ? subjectNameOf(issuerName) : name(request.subject),
    sequence(time(request.notBefore), time(request.notAfter)),
    name(request.subject),
    spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, signingKey);
  const der = sequence(tbs, signatureAlgorithm, bitString(signature));
  const certificatePem = toPem('CERTIFICATE', der);
  return {
    certificatePem,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certificate: new X509Certificate(certificatePem),
    privateKey,
  };
}

export function toPem(label: string, der: Buffer): string {
  const base64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${base64.endsWith('\n') ? base64 : `${base64}\n`}-----END ${label}-----\n`;
}

export function loadIssuer(certificatePem: string, privateKeyPem: string) {
  return { certificate: new X509Certificate(certificatePem), privateKey: createPrivateKey(privateKeyPem) };
}

/**
 * The subject Name of a DER certificate, copied byte for byte as the child's issuer: re-encoding it could change
 * string types and break chain building. Walks Certificate > TBSCertificate > fields to the subject.
 */
function subjectNameOf(certificateDer: Buffer): Der {
  const tbs = children(certificateDer)[0] as Buffer;
  const fields = children(tbs);
  // version [0], serial, signature, issuer, validity, subject
  const offset = (fields[0]?.[0] ?? 0) === 0xa0 ? 1 : 0;
  const subject = fields[offset + 4];
  if (!subject) throw new Error('issuer certificate has no subject');
  return subject;
}

function readLength(der: Buffer, at: number): { length: number; header: number } {
  const first = der[at + 1] ?? 0;
  if (first < 0x80) return { length: first, header: 2 };
  const count = first & 0x7f;
  let length = 0;
  for (let index = 0; index < count; index++) length = length * 256 + (der[at + 2 + index] ?? 0);
  return { length, header: 2 + count };
}

/** The elements inside one constructed DER value. */
function children(der: Buffer): Buffer[] {
  const outer = readLength(der, 0);
  const out: Buffer[] = [];
  let at = outer.header;
  const end = outer.header + outer.length;
  while (at < end) {
    const { length, header } = readLength(der, at);
    out.push(der.subarray(at, at + header + length));
    at += header + length;
  }
  return out;
}
