// The address guard: which addresses a source may never be fetched from, by literal and by DNS.
import dns, { type LookupAddress } from 'node:dns';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { refusedAddress } from '../../../shared/sources/address-guard.ts';
import { fetchSource } from '../../../shared/sources/fetch-source.ts';

// The guard loads node:dns on first use and calls its lookup then, so replacing lookup on the module
// object answers every lookup the guard makes with the addresses a test sets.
const resolved = { addresses: [] as LookupAddress[] };
type Answer = (e: null, a: LookupAddress[] | string, family?: number) => void;
const lookup = vi.spyOn(dns, 'lookup').mockImplementation(((
  host: string,
  options: { all?: boolean } | Answer,
  answer?: Answer,
) => {
  const callback = (typeof options === 'function' ? options : answer) as Answer;
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
