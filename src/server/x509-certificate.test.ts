import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { connect, createServer } from 'node:tls';
import { objectIdentifier, time, tlv } from './der.ts';
import { issueCertificate } from './x509-certificate.ts';

const DAY = 86_400_000;

describe('DER encoding', () => {
  it('encodes object identifiers, long lengths and both time types', () => {
    assert.equal(objectIdentifier('1.2.840.113549').toString('hex'), '06062a864886f70d');
    assert.equal(tlv(0x04, Buffer.alloc(200)).subarray(0, 3).toString('hex'), '0481c8');
    assert.equal(tlv(0x04, Buffer.alloc(300)).subarray(0, 4).toString('hex'), '0482012c');
    assert.equal(time(new Date('2030-01-02T03:04:05Z')).toString('latin1'), '\x17\x0d300102030405Z');
    assert.equal(time(new Date('2051-01-02T03:04:05Z')).toString('latin1'), '\x18\x0f20510102030405Z');
  });
});

describe('issueCertificate', () => {
  const now = new Date();
  const ca = issueCertificate({
    subject: { commonName: 'test CA', organization: 'palisade' },
    notBefore: now,
    notAfter: new Date(now.getTime() + 10 * DAY),
    isCa: true,
  });
  const leaf = issueCertificate(
    {
      subject: { commonName: 'svc.ns.svc' },
      notBefore: now,
      notAfter: new Date(now.getTime() + DAY),
      isCa: false,
      altNames: ['svc.ns.svc', 'localhost', '127.0.0.1', '::1'],
    },
    ca,
  );

  it('produces certificates node:crypto parses, with the chain, names and key usage of a CA and a server', () => {
    const parsed = new X509Certificate(leaf.certificatePem);
    assert.equal(new X509Certificate(ca.certificatePem).ca, true);
    assert.equal(parsed.ca, false);
    assert.ok(parsed.checkIssued(ca.certificate));
    assert.ok(parsed.verify(ca.certificate.publicKey));
    assert.equal(parsed.issuer, 'O=palisade\nCN=test CA');
    assert.equal(
      parsed.subjectAltName,
      'DNS:svc.ns.svc, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    assert.ok(parsed.checkHost('svc.ns.svc'));
    assert.equal(parsed.checkIP('127.0.0.1'), '127.0.0.1');
    assert.deepEqual(parsed.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.ok(Math.abs(parsed.validToDate.getTime() - (now.getTime() + DAY)) < 2000);
  });

  it('completes a real TLS handshake verified against the CA by host name', async () => {
    const server = createServer({ cert: leaf.certificatePem, key: leaf.privateKeyPem }, (socket) =>
      socket.end('ok'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const socket = connect({ host: '127.0.0.1', port, ca: ca.certificatePem, servername: 'svc.ns.svc' });
      await once(socket, 'secureConnect');
      assert.equal(socket.authorized, true);
      socket.destroy();
      const wrongName = connect({
        host: '127.0.0.1',
        port,
        ca: ca.certificatePem,
        servername: 'other.example',
      });
      const [error] = await once(wrongName, 'error');
      assert.match(String(error), /altnames|Hostname/i);
    } finally {
      server.close();
    }
  });

  it('refuses bad alt names and inverted validity', () => {
    assert.throws(
      () => issueCertificate({ subject: { commonName: 'x' }, notBefore: now, notAfter: now, isCa: false }),
      /expire before/,
    );
    assert.throws(
      () =>
        issueCertificate({
          subject: { commonName: 'x' },
          notBefore: now,
          notAfter: new Date(now.getTime() + DAY),
          isCa: false,
          altNames: ['bad name'],
        }),
      /not a DNS name or IP address/,
    );
  });
});
