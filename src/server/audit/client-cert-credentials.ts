// Serving credentials that also ask the client for a certificate. Verification against the configured CA is
// done per request by ReceiverAuthenticator, so it keeps working across certificate reloads (which swap the
// secure context) and a bearer-token client without a certificate is still served.
import { ReloadingTlsCredentials } from '../tls-reload.ts';

export class ClientCertRequestingCredentials extends ReloadingTlsCredentials {
  override get options() {
    return { ...super.options, requestCert: true, rejectUnauthorized: false };
  }
}
