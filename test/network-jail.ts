// The tests' network jail: a socket may connect to this machine only (loopback, or the unspecified
// address, which reaches it). Tests of the address guard hand it refused addresses on purpose; should the
// guard ever let one through (a regression, or a mutant of `npm run mutation`), the connection fails here
// instead of reaching a private or public host. Installed for every test file by setup-env.ts.
import dns from 'node:dns';
import net from 'node:net';

const LOCAL = /^(127\.\d+\.\d+\.\d+|0\.0\.0\.0|::1|::|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Why the jail refuses `address`, or undefined for an address on this machine (or a name). */
function refused(address: string): string | undefined {
  return net.isIP(address) && !LOCAL.test(address)
    ? `network jail: tests connect to this machine only, not ${address}`
    : undefined;
}

type Lookup = NonNullable<net.TcpSocketConnectOpts['lookup']>;

/** A lookup whose answers pass the jail: the host's name may be anything, its addresses may not. */
function jailedLookup(lookup: Lookup): Lookup {
  return (hostname, options, callback) =>
    lookup(hostname, options, ((
      error: NodeJS.ErrnoException | null,
      address: string | dns.LookupAddress[],
      family?: number,
    ) => {
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const reason = error ? undefined : addresses.map(refused).find((r) => r !== undefined);
      if (reason)
        return (callback as (e: Error) => void)(Object.assign(new Error(reason), { code: 'ENETJAIL' }));
      (callback as (...args: unknown[]) => void)(error, address, family);
    }) as never);
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function jailedConnect(this: net.Socket, ...args: unknown[]) {
  // net.connect passes its arguments normalized, as an array: options first.
  const first = args[0];
  const options = (Array.isArray(first) ? first[0] : first) as Partial<
    net.TcpSocketConnectOpts & { path?: string }
  > | null;
  if (options && typeof options === 'object' && options.path === undefined) {
    const reason = typeof options.host === 'string' ? refused(options.host) : undefined;
    if (reason) {
      process.nextTick(() => this.destroy(Object.assign(new Error(reason), { code: 'ENETJAIL' })));
      return this;
    }
    options.lookup = jailedLookup(options.lookup ?? (dns.lookup as unknown as Lookup));
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof connect;
