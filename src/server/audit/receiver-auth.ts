// Authentication of the kube-apiserver's webhook backend: a bearer token (from the kubeconfig's `token`) or a
// client certificate issued by a configured CA (the kubeconfig's `client-certificate`). Tokens are compared in
// constant time; certificates are checked against the CA and their validity period on every request.
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
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(certificate.subject)?.[1] ?? '';
    if (this.names !== undefined && this.names.length > 0 && !this.names.includes(cn))
      return { ok: false, reason: `client certificate CN ${JSON.stringify(cn)} not allowed` };
    return { ok: true, identity: `cn=${cn}` };
  }
}
