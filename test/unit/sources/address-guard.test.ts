// The address guard: which addresses a source may never be fetched from, by literal and by DNS.
import dns, { type LookupAddress } from 'node:dns';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { guardedLookup, refusedAddress, refusedLiteral } from '../../../shared/sources/address-guard.ts';
import { fetchSource } from '../../../shared/sources/fetch-source.ts';

// The guard loads node:dns on first use and calls its lookup then, so replacing lookup on the module
// object answers every lookup the guard makes with the addresses a test sets.
const resolved = { addresses: [] as LookupAddress[], error: undefined as Error | undefined };
type Answer = (e: Error | null, a: LookupAddress[] | string, family?: number) => void;
const lookup = vi.spyOn(dns, 'lookup').mockImplementation(((
  host: string,
  options: { all?: boolean } | Answer,
  answer?: Answer,
) => {
  const callback = (typeof options === 'function' ? options : answer) as Answer;
  if (resolved.error) return callback(resolved.error, []);
  // An IP literal (a test server's own listen) resolves to itself; a name to the addresses set.
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : resolved.addresses;
  if (typeof options === 'function' || !options?.all)
    return callback(null, addresses[0]?.address ?? '', addresses[0]?.family);
  callback(null, addresses);
}) as unknown as typeof dns.lookup);
afterAll(() => lookup.mockRestore());

describe('address guard', () => {
  afterEach(() => {
    resolved.addresses = [];
    resolved.error = undefined;
  });

  it.each([
    ['169.254.169.254', 'link-local or instance metadata'],
    ['100.100.100.200', 'link-local or instance metadata'],
    ['fe80::1', 'link-local or instance metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd00:ec2::254', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.1.2.3', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local or instance metadata'],
    ['::ffff:a9fe:a9fe', 'link-local or instance metadata'],
    ['::a9fe:a9fe', 'link-local or instance metadata'],
    ['::169.254.169.254', 'link-local or instance metadata'],
    ['64:ff9b::a9fe:a9fe', 'link-local or instance metadata'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['2002:a9fe:a9fe::', 'link-local or instance metadata'],
    ['100.64.0.1', 'shared address space'],
    ['100.127.255.254', 'shared address space'],
    ['192.0.0.192', 'IETF protocol assignments'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['::ffff:0:169.254.169.254', 'link-local or instance metadata'],
    ['::ffff:0:a00:1', 'private'],
    ['::ffff:0:7f00:1', 'loopback'],
    // Teredo: 5601:5656 inverted is a9fe:a9a9, 169.254.169.169
    ['2001:0:4136:e378:8000:63bf:5601:5656', 'link-local or instance metadata'],
    ['2001::f5ff:fffe', 'private'], // 10.0.0.1
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'], // 127.0.0.1
  ])('refuses %s (%s)', (address, reason) => {
    expect(refusedAddress(address)).toBe(`refused address ${address} (${reason})`);
  });

  it.each([
    '93.184.216.34',
    '172.32.0.1',
    '2606:2800:220:1:248:1893:25c8:1946',
    '64:ff9b::5db8:d822',
    '100.63.255.255', // just below the shared address space
    '100.128.0.1', // just above it
    '198.20.0.1', // just above the benchmarking range
    '223.255.255.255', // the last unicast address below multicast
    '::ffff:0:5db8:d822', // SIIT form of 93.184.216.34
    '2001:0:4136:e378:8000:63bf:a247:27dd', // Teredo client 93.184.216.34
    '2001:4860:4860::8888', // in 2001::/23 but not Teredo (2001::/32)
  ])('allows the public address %s', (address) => {
    expect(refusedAddress(address)).toBeUndefined();
  });

  it('allows loopback only when asked, and nothing else with it', () => {
    expect(refusedAddress('127.0.0.1', true)).toBeUndefined();
    expect(refusedAddress('::1', true)).toBeUndefined();
    expect(refusedAddress('::ffff:127.0.0.1', true)).toBeUndefined();
    expect(refusedAddress('10.0.0.1', true)).toBeDefined();
    expect(refusedAddress('169.254.169.254', true)).toBeDefined();
    expect(refusedAddress('100.64.0.1', true)).toBeDefined();
    expect(refusedAddress('2001:0:4136:e378:8000:63bf:5601:5656', true)).toBeDefined();
  });

  it('refuses a name resolving to a Teredo address whose client is the metadata address', async () => {
    // 169.254.169.254 inverted is 5601:5601
    resolved.addresses = [{ address: '2001:0:4136:e378:8000:63bf:5601:5601', family: 6 }];

    await expect(
      fetchSource({ url: 'http://teredo.example.org/', label: 'teredo', accept: [], policy: { retries: 0 } }),
    ).rejects.toThrow(
      'refused address 2001:0:4136:e378:8000:63bf:5601:5601 (link-local or instance metadata)',
    );
  });

  it('refuses a redirect to a name whose DNS answer is a private address, at connect time', async () => {
    // Arrange: a publisher on loopback (a literal, never looked up) redirecting to a name.
    const server = createServer((_request, response) =>
      response.writeHead(302, { location: 'http://internal.example.org/data.csv' }).end(),
    ).listen(0, '127.0.0.1');
    await once(server, 'listening');
    resolved.addresses = [{ address: '10.0.0.7', family: 4 }];
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/moved.csv`;

    try {
      // Act
      const fetched = fetchSource({
        url,
        label: 'moved',
        accept: [],
        policy: { retries: 0, allowLoopback: true },
      });

      // Assert
      await expect(fetched).rejects.toThrow('moved: refused address 10.0.0.7 (private)');
    } finally {
      server.close();
    }
  });

  it('refuses a name whose DNS answer is the instance-metadata address, before connecting', async () => {
    resolved.addresses = [{ address: '169.254.169.254', family: 4 }];

    await expect(
      fetchSource({
        url: 'http://metadata.example.org/latest/meta-data/',
        label: 'http://metadata.example.org/latest/meta-data/',
        accept: [],
        policy: { retries: 0, timeoutMs: 2_000 },
      }),
    ).rejects.toThrow('refused address 169.254.169.254 (link-local or instance metadata)');
  });

  it('refuses a name resolving to an IPv6 form of a refused IPv4 address', async () => {
    resolved.addresses = [{ address: '::a9fe:a9fe', family: 6 }];

    await expect(
      fetchSource({ url: 'http://sneaky.example.org/', label: 'sneaky', accept: [], policy: { retries: 0 } }),
    ).rejects.toThrow('refused address ::a9fe:a9fe');
  });
});

describe('address guard at the edges of its ranges', () => {
  it.each([
    ['0.255.255.255', 'unspecified'], // the last address of 0.0.0.0/8
    ['10.0.0.0', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.0', 'private'],
    ['192.168.255.255', 'private'],
    ['169.254.0.0', 'link-local or instance metadata'],
    ['169.254.255.255', 'link-local or instance metadata'],
    ['100.64.0.0', 'shared address space'],
    ['100.100.100.199', 'shared address space'], // next to the Alibaba metadata address, not it
    ['100.100.100.201', 'shared address space'],
    ['192.0.0.0', 'IETF protocol assignments'],
    ['192.0.0.255', 'IETF protocol assignments'],
    ['198.18.0.0', 'benchmarking'],
    ['224.0.0.0', 'multicast'],
    ['fc00::', 'private'],
    ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'private'],
    ['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'link-local or instance metadata'],
    ['fec0::1', 'private'],
    ['feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'private'],
    ['64:ff9b:1::1', 'private'],
    ['64:ff9b:1:ffff:ffff:ffff:ffff:ffff', 'private'],
    ['ff00::', 'multicast'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'multicast'],
    ['2002:a00:1::', 'private'], // 6to4 of 10.0.0.1
    ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
    ['2001:0:0:0:0:0:f5ff:fffe', 'private'], // Teredo, written out in full
    ['::ffff:0:0', 'unspecified'], // SIIT form of 0.0.0.0
    ['::2', 'unspecified'], // next to ::1, but the compatible form of 0.0.0.2
  ])('refuses %s at an edge (%s)', (address, reason) => {
    expect(refusedAddress(address)).toBe(`refused address ${address} (${reason})`);
  });

  it('refuses an address whose scope (zone) follows the IPv4 address it carries', () => {
    expect(refusedAddress('::ffff:10.0.0.1%eth0')).toBe('refused address ::ffff:10.0.0.1%eth0 (private)');
    expect(refusedAddress('fe80::1%eth0')).toBe(
      'refused address fe80::1%eth0 (link-local or instance metadata)',
    );
  });

  it.each([
    ['9.255.255.255', 'just below 10.0.0.0/8'],
    ['11.0.0.0', 'just above 10.0.0.0/8'],
    ['1.0.0.0', 'just above 0.0.0.0/8'],
    ['126.255.255.255', 'just below loopback'],
    ['128.0.0.0', 'just above loopback'],
    ['172.15.255.255', 'just below 172.16.0.0/12'],
    ['192.167.255.255', 'just below 192.168.0.0/16'],
    ['192.169.0.0', 'just above 192.168.0.0/16'],
    ['169.253.255.255', 'just below link-local'],
    ['169.255.0.0', 'just above link-local'],
    ['192.0.1.0', 'just above 192.0.0.0/24'],
    ['191.255.255.255', 'just below 192.0.0.0/24'],
    ['198.17.255.255', 'just below the benchmarking range'],
    ['32.2.10.0', 'an IPv4 address whose bytes would read as a 6to4 prefix'],
    ['fb00::1', 'just below fc00::/7'],
    ['fe00::1', 'just above fc00::/7'],
    ['fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'just below fe80::/10'],
    ['64:ff9b:2::1', 'just above the local-use NAT64 prefix'],
    ['64:ff9b:0:1::a00:1', 'outside the NAT64 /96, though it ends in 10.0.0.1'],
    ['fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'just below fc00::/7'],
    ['::ffff:5db8:d822', 'the mapped form of a public IPv4 address'],
    ['2002:5db8:d822::', 'the 6to4 form of a public IPv4 address'],
    // Each of these ends in 10.0.0.1 (or its Teredo inversion f5ff:fffe) but misses by one part the
    // prefix under which those last 32 bits would be an IPv4 address, so it is a public IPv6 address.
    ['2606:2800:220:1:248:1893:a00:1', 'no embedding prefix at all'],
    ['1::ffff:a00:1', 'mapped but for a non-zero first word'],
    ['::ff:a00:1', 'mapped but for the first byte of ffff'],
    ['::ff00:a00:1', 'mapped but for the second byte of ffff'],
    ['1::ffff:0:a00:1', 'SIIT but for a non-zero first word'],
    ['::ff:0:a00:1', 'SIIT but for the first byte of ffff'],
    ['::ff00:0:a00:1', 'SIIT but for the second byte of ffff'],
    ['::ffff:1:a00:1', 'SIIT but for a non-zero word after ffff'],
    ['164:ff9b::a00:1', 'NAT64 but for the first byte'],
    ['65:ff9b::a00:1', 'NAT64 but for the second byte'],
    ['64:fe9b::a00:1', 'NAT64 but for the third byte'],
    ['64:ff9a::a00:1', 'NAT64 but for the fourth byte'],
    ['2101::f5ff:fffe', 'Teredo but for the first byte'],
    ['2000::f5ff:fffe', 'Teredo but for the second byte'],
    ['2001:1::f5ff:fffe', 'Teredo but for the second word'],
  ])('allows %s (%s)', (address) => {
    expect(refusedAddress(address)).toBeUndefined();
  });

  it('refuses what is not an IP address, saying so', () => {
    expect(refusedAddress('example.org')).toBe('refused address example.org (not an IP address)');
    expect(refusedAddress('10.0.0')).toBe('refused address 10.0.0 (not an IP address)');
  });

  it('checks a bracketed IPv6 literal host and leaves a name to the lookup', () => {
    expect(refusedLiteral('[fe80::1]', false)).toBe(
      'refused address fe80::1 (link-local or instance metadata)',
    );
    expect(refusedLiteral('10.0.0.1', false)).toBe('refused address 10.0.0.1 (private)');
    expect(refusedLiteral('[::1]', true)).toBeUndefined();
    expect(refusedLiteral('[::1]', false)).toBe('refused address ::1 (loopback)');
    expect(refusedLiteral('internal.example.org', false)).toBeUndefined();
  });
});

describe('guarded lookup', () => {
  afterEach(() => {
    resolved.addresses = [];
    resolved.error = undefined;
  });

  /** What the guarded lookup calls back with, for one name and options. */
  const look = (options: { all?: boolean }, allowLoopback = false) =>
    new Promise<unknown[]>((resolve) => {
      guardedLookup(allowLoopback)('source.example.org', options, (...args: unknown[]) => resolve(args));
    });

  it('answers the first address and its family when one address is asked for', async () => {
    resolved.addresses = [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ];

    const [error, address, family] = await look({});

    expect([error, address, family]).toEqual([null, '93.184.216.34', 4]);
  });

  it('answers every address when all are asked for', async () => {
    resolved.addresses = [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ];

    const [error, addresses] = await look({ all: true });

    expect(error).toBeNull();
    expect(addresses).toEqual(resolved.addresses);
  });

  it('refuses the name when any of its addresses is refused, not only the first', async () => {
    resolved.addresses = [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];

    const [error, address, family] = await look({ all: true });

    expect(error).toBeInstanceOf(Error);
    expect([address, family]).toEqual(['', 0]);
    expect((error as Error).message).toBe('refused address 10.0.0.7 (private)');
    expect((error as { code?: string }).code).toBe('EREFUSED_ADDRESS');
  });

  it('answers a loopback address when loopback is allowed', async () => {
    resolved.addresses = [{ address: '127.0.0.1', family: 4 }];

    expect(await look({}, true)).toEqual([null, '127.0.0.1', 4]);
  });

  it('passes on the error of a lookup that fails', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND source.example.org'), {
      code: 'ENOTFOUND',
    });
    resolved.error = notFound;

    const [error, address, family] = await look({});

    expect([error, address, family]).toEqual([notFound, '', 0]);
  });
});
