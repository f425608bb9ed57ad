// DNS resolution for webhook connections that only ever hands the socket addresses the policy allows. The
// socket connects to exactly what this returns, so a name cannot pass a check and then resolve elsewhere
// (DNS rebinding): there is no second lookup.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { ALLOWANCE_HINT, type AddressPolicy } from './address-policy.ts';

/** A connection refused because of where it would go; trying again cannot help. */
export class RefusedAddressError extends Error {
  readonly code = 'ERR_WEBHOOK_ADDRESS_REFUSED';
  constructor(message: string) {
    super(`${message}; ${ALLOWANCE_HINT}`);
    this.name = 'RefusedAddressError';
  }
}

/** Every address of a name, as dns.lookup with `all: true` answers. */
export type Resolver = (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/** A net/http `lookup` that resolves every address of the name and drops the refused ones; none left: RefusedAddressError. */
export function guardedLookup(policy: AddressPolicy, resolve: Resolver = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const { allowed, refused } = policy.filter(addresses);
      if (allowed.length === 0) {
        const reason = refused ? `${hostname} resolves to ${refused.address}, ${refused.reason}` : `${hostname} resolves to no address`;
        return callback(new RefusedAddressError(reason), '');
      }
      if (options.all) return callback(null, allowed);
      callback(null, allowed[0].address, allowed[0].family);
    });
  };
}
