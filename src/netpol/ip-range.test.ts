import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRange, fullRange, parseAddress, parseCidr, subtract } from './ip-range.ts';

describe('ip ranges', () => {
  it('parses IPv4 and IPv6 (compressed, embedded IPv4) and refuses the rest', () => {
    assert.equal(parseAddress('10.0.0.1')?.value, 0x0a000001n);
    assert.equal(parseAddress('::1')?.value, 1n);
    assert.equal(parseAddress('2001:db8::')?.value, 0x20010db8n << 96n);
    assert.equal(parseAddress('::ffff:192.0.2.1')?.value, (0xffffn << 32n) | 0xc0000201n);
    for (const bad of ['10.0.0', '256.1.1.1', '1::2::3', 'fe80::1%eth0', 'web', ''])
      assert.equal(parseAddress(bad), undefined, bad);
  });

  it('reads CIDRs, masks host bits and says so', () => {
    const cidr = parseCidr('10.1.2.3/8');
    assert.equal(cidr?.hostBitsSet, true);
    assert.equal(cidr && formatRange(cidr.range), '10.0.0.0/8');
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('10.0.0.1'), undefined);
    assert.equal(parseCidr('10.0.0.1', true) && formatRange(parseCidr('10.0.0.1', true)!.range), '10.0.0.1');
    assert.equal(formatRange(fullRange(6)), '::/0');
  });

  it('subtracts except ranges and formats the pieces exactly', () => {
    const whole = parseCidr('10.0.0.0/8')!.range;
    const pieces = subtract(whole, [parseCidr('10.1.0.0/16')!.range, parseCidr('10.255.255.255/32')!.range]);
    assert.deepEqual(pieces.map(formatRange), ['10.0.0.0/16', '10.2.0.0-10.255.255.254']);
    assert.deepEqual(subtract(whole, [parseCidr('::/0')!.range]).map(formatRange), ['10.0.0.0/8']);
  });

  it('formats IPv6 with the longest zero run compressed (RFC 5952)', () => {
    assert.equal(formatRange(parseCidr('2001:db8:0:0:1:0:0:1', true)!.range), '2001:db8::1:0:0:1');
    assert.equal(formatRange(parseCidr('2001:0:0:1:0:0:0:1', true)!.range), '2001:0:0:1::1');
  });
});
