import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AddressPolicy } from './address-policy.ts';

const strict = new AddressPolicy();

/** The IPv4 ranges that are not public unicast, written out from the RFCs (an oracle independent of ipaddr.js). */
const INTERNAL_V4: [string, number][] = [
  ['0.0.0.0', 8], // RFC 1122 "this network"
  ['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], // RFC 1918
  ['100.64.0.0', 10], // RFC 6598 CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['198.51.100.0', 24], ['203.0.113.0', 24], // IETF, TEST-NETs
  ['192.88.99.0', 24], ['198.18.0.0', 15], ['240.0.0.0', 4], // 6to4 relay, benchmarking, reserved
  ['192.31.196.0', 24], ['192.175.48.0', 24], ['192.52.193.0', 24], // AS112, AMT
  ['224.0.0.0', 4], // multicast
];

function v4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
function v4Number(address: string): number {
  return address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}

describe('AddressPolicy', () => {
  it('refuses loopback, private, link-local (metadata), CGNAT, unique-local, multicast, unspecified and their IPv4-mapped forms', () => {
    const refused: [string, RegExp][] = [
      ['127.0.0.1', /loopback/], ['127.255.255.254', /loopback/], ['::1', /loopback/],
      ['10.0.0.1', /private/], ['172.16.0.1', /private/], ['172.31.255.255', /private/], ['192.168.1.1', /private/],
      ['169.254.169.254', /link-local/], ['fe80::1', /link-local/],
      ['100.64.0.1', /carrier-grade NAT/], ['100.127.255.255', /carrier-grade NAT/],
      ['fc00::1', /unique-local/], ['fd12:3456::1', /unique-local/],
      ['224.0.0.1', /multicast/], ['ff02::1', /multicast/], ['255.255.255.255', /broadcast/],
      ['0.0.0.0', /unspecified/], ['::', /unspecified/],
      ['::ffff:127.0.0.1', /loopback/], ['::ffff:7f00:1', /loopback/], ['::ffff:169.254.169.254', /link-local/], ['::ffff:10.1.2.3', /private/],
      // IPv4-compatible (deprecated), NAT64 and 6to4 forms of internal addresses, documentation ranges.
      ['::127.0.0.1', /loopback/], ['::a00:1', /non-global IPv6/], ['64:ff9b::7f00:1', /rfc6052/], ['2002:7f00:1::', /6to4/], ['2001:db8::1', /reserved/],
    ];
    for (const [address, reason] of refused) expect(strict.refusal(address), address).toMatch(reason);
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.128.0.1', '11.0.0.1', '169.253.255.255', '2606:4700:4700::1111', '2a00:1450:4001::1']) {
      expect(strict.refusal(address), address).toBeNull();
    }
    expect(strict.refusal('example.com')).toMatch(/not an IP address/);
  });

  it('agrees with a BlockList of the RFC ranges at every range border and on random IPv4 addresses', () => {
    const oracle = new BlockList();
    for (const [network, prefix] of INTERNAL_V4) oracle.addSubnet(network, prefix, 'ipv4');
    const samples: string[] = [];
    for (const [network, prefix] of INTERNAL_V4) {
      const first = v4Number(network);
      const last = first + 2 ** (32 - prefix) - 1;
      for (const n of [first - 1, first, first + 1, last - 1, last, last + 1]) if (n >= 0 && n < 2 ** 32) samples.push(v4(n));
    }
    let seed = 12345;
    for (let i = 0; i < 5_000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      samples.push(v4(seed));
    }
    for (const address of samples) {
      expect(strict.refusal(address) !== null, address).toBe(oracle.check(address, 'ipv4'));
    }
  });

  it('lets through what the operator allows: every address, or the listed ranges only', () => {
    const all = new AddressPolicy({ allowPrivate: true, allowedCidrs: [] });
    for (const address of ['127.0.0.1', '169.254.169.254', '::1', '10.0.0.1']) expect(all.refusal(address), address).toBeNull();

    const listed = new AddressPolicy({ allowPrivate: false, allowedCidrs: ['127.0.0.1/32', '10.1.0.0/16', 'fd00:1::/32'] });
    expect(listed.refusal('127.0.0.1')).toBeNull();
    expect(listed.refusal('::ffff:127.0.0.1')).toBeNull();
    expect(listed.refusal('10.1.200.3')).toBeNull();
    expect(listed.refusal('fd00:1::5')).toBeNull();
    expect(listed.refusal('127.0.0.2')).toMatch(/loopback/);
    expect(listed.refusal('10.2.0.1')).toMatch(/private/);
    expect(listed.refusal('169.254.169.254')).toMatch(/link-local/);
    expect(listed.refusal('fd00:2::1')).toMatch(/unique-local/);
  });

  it('filters a name\'s addresses, keeping the allowed ones and naming the first refused', () => {
    expect(strict.filter([{ address: '10.0.0.1' }, { address: '8.8.8.8' }, { address: '::1' }])).toEqual({
      allowed: [{ address: '8.8.8.8' }], refused: { address: '10.0.0.1', reason: 'a private (RFC 1918) address' },
    });
  });

  it('refuses an allow-list entry that is not a CIDR range', () => {
    expect(() => new AddressPolicy({ allowPrivate: false, allowedCidrs: ['10.0.0.0/8', '10.0.0.1', 'nope/3'] })).toThrow(/"10.0.0.1", "nope\/3"/);
  });
});
