// Allowed source ranges (CIDRs or single addresses) for the unexpected-source-IP detection.
import { BlockList, isIP } from 'node:net';
import { PalisadeError } from '../../core/errors.ts';

export class SourceRanges {
  private readonly list = new BlockList();
  readonly text: readonly string[];

  constructor(ranges: readonly string[]) {
    this.text = ranges;
    for (const range of ranges) {
      const [address = '', prefixText] = range.trim().split('/');
      const family = isIP(address);
      if (family === 0) throw new PalisadeError('usage', `'${range}' is not an IP address or CIDR range`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefixText === undefined) {
        this.list.addAddress(address, type);
        continue;
      }
      const prefix = Number(prefixText);
      if (!/^\d+$/.test(prefixText) || prefix > (family === 4 ? 32 : 128))
        throw new PalisadeError('usage', `'${range}' has an invalid prefix length`);
      this.list.addSubnet(address, prefix, type);
    }
  }

  /** True when the address is in one of the ranges; addresses that do not parse are never allowed. */
  allows(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}
