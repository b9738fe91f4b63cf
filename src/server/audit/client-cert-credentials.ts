// Serving credentials that also ask the client for a certificate. Verification (issuer among the configured CAs,
// validity, extended key usage clientAuth) is done per request by ReceiverAuthenticator, so it keeps working
// across certificate reloads (which swap the secure context) and a bearer-token client without a certificate is
// still served: rejectUnauthorized is off here because the TLS layer does not know the client CAs.
import { ReloadingTlsCredentials } from '../tls-reload.ts';

export class ClientCertRequestingCredentials extends ReloadingTlsCredentials {
  override get options() {
    return { ...super.options, requestCert: true, rejectUnauthorized: false };
  }
}
