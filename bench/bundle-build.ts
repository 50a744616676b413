// What the bundle benchmarks share: a function (or probe) bundled as `cdk synth` bundles it, and the
// environment its import runs in.
import { build } from 'esbuild';
import { BUNDLE_SETTINGS } from '../infra/constructs/signpost-function.ts';

/** Bundles `entry` into `outdir` as the functions are bundled (split, minified ESM, the SDK inside). */
export function bundleAsDeployed(entry: string, outdir: string, alias: Record<string, string> = {}) {
  return build({
    entryPoints: [entry],
    outdir,
    entryNames: 'index',
    chunkNames: 'chunk-[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: true,
    target: BUNDLE_SETTINGS.target,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    define: BUNDLE_SETTINGS.define,
    alias: { ...BUNDLE_SETTINGS.alias, ...alias },
    banner: { js: BUNDLE_SETTINGS.banner },
    legalComments: BUNDLE_SETTINGS.legalComments,
    logLevel: 'warning',
  });
}

/**
 * The environment a bundle's import runs in: what the functions read at cold start. As in Lambda,
 * nodejs20.x and later load no extra CA certificates unless the function sets NODE_EXTRA_CA_CERTS
 * (dev.classmethod.jp/articles/node-extra-ca-certs-influence-cold-start, 2024-01-22); some machines set
 * it for every process, and parsing that bundle would weigh on every import, baseline too.
 */
export function importEnv(): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _machineCaCerts, ...inherited } = process.env;
  return {
    ...inherited,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    TABLE_NAME: 'signpost-bench',
    TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts',
    PUBLIC_API_URL: 'https://api.example.org',
    INGEST_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/ingest',
    EVALUATE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/evaluate.fifo',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
}
