// Which addresses a webhook may be sent to. A tenant's webhook URL is a request made from inside the
// service's network, so only public unicast addresses are allowed unless the operator says otherwise
// (TRAINYARD_WEBHOOK_ALLOW_PRIVATE, TRAINYARD_WEBHOOK_ALLOWED_CIDRS). Address ranges are ipaddr.js's.
import ipaddr from 'ipaddr.js';

/** How the operator widened the default (public addresses only). */
export interface AddressAllowance {
  /** Every address is allowed. */
  allowPrivate: boolean;
  /** CIDR ranges allowed although internal, e.g. `10.1.0.0/16`, `127.0.0.1/32`, `fd00::/8`. */
  allowedCidrs: readonly string[];
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Global unicast IPv6 (RFC 4291): outside it, nothing is a public Internet address. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];

const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback',
  private: 'private (RFC 1918)',
  linkLocal: 'link-local (169.254.0.0/16 and fe80::/10, where cloud metadata services answer)',
  carrierGradeNat: 'carrier-grade NAT (100.64.0.0/10)',
  uniqueLocal: 'unique-local (fc00::/7)',
  multicast: 'multicast',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  reserved: 'reserved',
};

export class AddressPolicy {
  private readonly ranges: Range[];

  /** Throws a RangeError naming each entry of allowedCidrs that is not a CIDR range. */
  constructor(private readonly allowance: AddressAllowance = { allowPrivate: false, allowedCidrs: [] }) {
    const bad = allowance.allowedCidrs.filter((cidr) => !ipaddr.isValidCIDR(cidr));
    if (bad.length > 0) throw new RangeError(`allowedCidrs must be CIDR ranges such as 10.0.0.0/8 or fd00::/8, got ${bad.map((cidr) => JSON.stringify(cidr)).join(', ')}`);
    this.ranges = allowance.allowedCidrs.map((cidr) => ipaddr.parseCIDR(cidr));
  }

  /** Null when a webhook may connect to `address` (an IP literal); otherwise why not, e.g. "a loopback address". */
  refusal(address: string): string | null {
    if (!ipaddr.isValid(address)) return `${JSON.stringify(address)} is not an IP address`;
    // ::ffff:127.0.0.1 reaches 127.0.0.1: judge the IPv4 address it maps.
    const parsed = ipaddr.process(address);
    if (this.allowance.allowPrivate || this.ranges.some((range) => inRange(parsed, range))) return null;
    const range = parsed.range();
    if (range === 'unicast' && (parsed.kind() === 'ipv4' || inRange(parsed, GLOBAL_UNICAST_V6))) return null;
    const name = RANGE_NAMES[range] ?? (range === 'unicast' ? 'non-global IPv6' : range);
    return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name} address`;
  }

  /** The allowed addresses among `addresses`; `refused` holds the first refused one and why. */
  filter<T extends { address: string }>(addresses: readonly T[]): { allowed: T[]; refused: { address: string; reason: string } | null } {
    const allowed: T[] = [];
    let refused: { address: string; reason: string } | null = null;
    for (const entry of addresses) {
      const reason = this.refusal(entry.address);
      if (reason === null) allowed.push(entry);
      else refused ??= { address: entry.address, reason };
    }
    return { allowed, refused };
  }
}

function inRange(address: ipaddr.IPv4 | ipaddr.IPv6, [base, bits]: Range): boolean {
  if (address.kind() !== base.kind()) return false;
  return address.kind() === 'ipv4'
    ? (address as ipaddr.IPv4).match(base as ipaddr.IPv4, bits)
    : (address as ipaddr.IPv6).match(base as ipaddr.IPv6, bits);
}

/** How an operator lets a webhook through, for messages. */
export const ALLOWANCE_HINT = 'webhooks are not sent to internal networks unless the operator allows it (TRAINYARD_WEBHOOK_ALLOW_PRIVATE, TRAINYARD_WEBHOOK_ALLOWED_CIDRS)';
