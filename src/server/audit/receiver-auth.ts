// Authentication of the kube-apiserver's webhook backend: a bearer token (from the kubeconfig's `token`) or a
// client certificate issued by a configured CA (the kubeconfig's `client-certificate`). Tokens are compared in
// constant time; certificates are checked against the CA, their validity period and their extended key usage on
// every request (the TLS layer only asks for a certificate, see client-cert-credentials.ts).
import { createHash, timingSafeEqual, type X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface ReceiverAuthOptions {
  bearerTokens?: readonly string[];
  clientCas?: readonly X509Certificate[];
  /** When set, a client certificate must also carry one of these subject common names. */
  clientNames?: readonly string[];
  now?: () => Date;
}

/** Extended key usage TLS client authentication (RFC 5280 4.2.1.12, id-kp-clientAuth). */
const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
/** anyExtendedKeyUsage: no restriction (Go's verifier, which kube-apiserver uses, accepts it for client auth too). */
const ANY_EXTENDED_KEY_USAGE_OID = '2.5.29.37.0';

/**
 * Why the certificate may not authenticate a client, by its extended key usage; undefined when it may. A
 * certificate without the extension is not restricted to a purpose (RFC 5280 4.2.1.12) and is accepted; one
 * with it must list clientAuth (or anyExtendedKeyUsage), so a serving certificate from the same CA is refused.
 */
function clientUsageProblem(certificate: X509Certificate): string | undefined {
  const usages = certificate.keyUsage as string[] | undefined;
  if (usages === undefined) return undefined;
  if (usages.includes(CLIENT_AUTH_OID) || usages.includes(ANY_EXTENDED_KEY_USAGE_OID)) return undefined;
  const listed = usages.length === 0 ? 'none' : usages.slice(0, 8).join(', ');
  return `client certificate's extended key usage does not include clientAuth (${CLIENT_AUTH_OID}); it lists ${listed}`;
}

export type AuthResult = { ok: true; identity: string } | { ok: false; reason: string };

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export class ReceiverAuthenticator {
  private readonly tokenDigests: Buffer[];
  private readonly cas: readonly X509Certificate[];
  private readonly names: readonly string[] | undefined;
  private readonly now: () => Date;

  constructor(options: ReceiverAuthOptions) {
    this.tokenDigests = (options.bearerTokens ?? []).filter((token) => token !== '').map(digest);
    this.cas = options.clientCas ?? [];
    this.names = options.clientNames;
    this.now = options.now ?? (() => new Date());
  }

  get configured(): boolean {
    return this.tokenDigests.length > 0 || this.cas.length > 0;
  }

  get wantsClientCertificate(): boolean {
    return this.cas.length > 0;
  }

  authenticate(request: IncomingMessage): AuthResult {
    const header = request.headers.authorization;
    if (header !== undefined && this.tokenDigests.length > 0) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (match !== null) {
        const presented = digest(match[1]!);
        // Compare against every token so timing does not tell which (or whether one) matched.
        let matched = false;
        for (const known of this.tokenDigests) matched = timingSafeEqual(presented, known) || matched;
        if (matched) return { ok: true, identity: 'bearer-token' };
      }
    }
    if (this.cas.length > 0) {
      const certificate = this.peerCertificate(request);
      if (certificate !== undefined) return this.checkCertificate(certificate);
    }
    return { ok: false, reason: header === undefined ? 'no credentials' : 'credentials not accepted' };
  }

  private peerCertificate(request: IncomingMessage): X509Certificate | undefined {
    const socket = request.socket as TLSSocket;
    if (typeof socket.getPeerX509Certificate !== 'function') return undefined;
    return socket.getPeerX509Certificate();
  }

  private checkCertificate(certificate: X509Certificate): AuthResult {
    const now = this.now().getTime();
    if (Date.parse(certificate.validFrom) > now || Date.parse(certificate.validTo) < now)
      return { ok: false, reason: 'client certificate expired or not yet valid' };
    const issuer = this.cas.find((ca) => certificate.checkIssued(ca) && certificate.verify(ca.publicKey));
    if (issuer === undefined) return { ok: false, reason: 'client certificate not issued by a trusted CA' };
    const usage = clientUsageProblem(certificate);
    if (usage !== undefined) return { ok: false, reason: usage };
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(certificate.subject)?.[1] ?? '';
    if (this.names !== undefined && this.names.length > 0 && !this.names.includes(cn))
      return { ok: false, reason: `client certificate CN ${JSON.stringify(cn)} not allowed` };
    return { ok: true, identity: `cn=${cn}` };
  }
}
