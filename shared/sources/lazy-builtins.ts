// The Node built-ins the fetch path loads on first use: node:http (http-get.ts), node:dns (address-guard.ts).
import { createRequire } from 'node:module';

// node:http and node:dns load on first use, through require. Importing node:http as ESM builds its
// module facade, which reads every export, and one of them loads undici (measured 17 ms of each ingest
// cold start). The SDK's first DynamoDB request loads both modules anyway (checked with
// process.moduleLoadList), so loading them on first use takes them out of every import without adding
// to any invocation (bench/bundles.ts: ingest 1.39 to 1.35 times the baseline in instructions).
// node:https, which the SDK imports statically, stays a static import.
const nodeRequire = createRequire(import.meta.url);
let httpModule: typeof import('node:http') | undefined;
let dnsModule: typeof import('node:dns') | undefined;
export const http = () => (httpModule ??= nodeRequire('node:http') as typeof import('node:http'));
export const dns = () => (dnsModule ??= nodeRequire('node:dns') as typeof import('node:dns'));
