// Which TLS versions and cipher suites are weak, for the API server and kubelet checks.

/** Go's names of suites without forward secrecy or with CBC, 3DES or RC4; TLS 1.3 suites are not configurable. */
export function isWeakCipherSuite(name: string): boolean {
  return (
    /(_CBC_|3DES|RC4|_NULL_)/.test(name) || /^TLS_RSA_WITH_/.test(name) || name.startsWith('TLS_ECDH_') // static ECDH: no forward secrecy
  );
}

/** `VersionTLS10` and `VersionTLS11` are obsolete (RFC 8996). */
export function isWeakTlsVersion(version: string): boolean {
  return version === 'VersionTLS10' || version === 'VersionTLS11';
}
