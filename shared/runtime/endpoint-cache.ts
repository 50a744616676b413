// The endpoint cache the Lambda bundles use in place of `@aws-sdk/endpoint-cache` (an esbuild alias in
// infra/constructs/signpost-function.ts). The DynamoDB client builds one for endpoint discovery, which
// no command of ours turns on (it is off unless AWS_ENABLE_ENDPOINT_DISCOVERY is set, and no command
// adds its middleware), yet the package's LRU (mnemonist, obliterator) put ≈ 7.7 KB into every cold
// start. Written by hand because the point is to carry no library: a Map keeps insertion order, which
// is enough for a bounded cache that is, in practice, never written. Same interface as the package's.

interface Endpoint {
  Address: string;
  CachePeriodInMinutes: number;
}

interface ExpiringEndpoint {
  Address: string;
  Expires: number;
}

export class EndpointCache {
  private readonly cache = new Map<string, ExpiringEndpoint[]>();
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity);
  }

  getEndpoint(key: string): string | undefined {
    const endpoints = this.get(key);
    if (!endpoints || endpoints.length === 0) return undefined;
    return endpoints[Math.floor(Math.random() * endpoints.length)]?.Address;
  }

  get(key: string): ExpiringEndpoint[] | undefined {
    const value = this.cache.get(key);
    if (!value || value.length === 0) return undefined;
    const now = Date.now();
    const live = value.filter((endpoint) => now < endpoint.Expires);
    if (live.length === 0) {
      this.delete(key);
      return undefined;
    }
    // Read again: it becomes the most recently used.
    this.cache.delete(key);
    this.cache.set(key, value);
    return live;
  }

  set(key: string, endpoints: Endpoint[]): void {
    const now = Date.now();
    this.cache.delete(key);
    this.cache.set(
      key,
      endpoints.map(({ Address, CachePeriodInMinutes }) => ({
        Address,
        Expires: now + CachePeriodInMinutes * 60_000,
      })),
    );
    // Least recently used first: the Map's first key.
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
  }

  delete(key: string): void {
    this.cache.set(key, []);
  }

  has(key: string): boolean {
    return (this.cache.get(key)?.length ?? 0) > 0;
  }

  clear(): void {
    this.cache.clear();
  }
}
