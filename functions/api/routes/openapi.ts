// GET /v1/openapi.json: the document generated from the schemas the handler validates with.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Route } from '../context.ts';
import { operations } from '../operations.ts';
import { json, parseRequest } from '../request.ts';

/** The document as generated at synth, written beside the deployed bundle by the api function's construct. */
export const OPENAPI_SNAPSHOT = 'openapi.json';

let document: Promise<unknown> | undefined;

/**
 * A deployed function (SIGNPOST_BUNDLE is defined by the bundler) reads the copy generated at synth: the
 * generator (zod-openapi) and the response schemas (classic zod) then stay out of its bundle and its cold
 * start. From source (tests, local mode) the document is generated; the import sits inside the branch so
 * that esbuild drops it with the branch.
 */
function openApiDocument(): Promise<unknown> {
  document ??=
    process.env.SIGNPOST_BUNDLE === 'true'
      ? readFile(join(dirname(fileURLToPath(import.meta.url)), OPENAPI_SNAPSHOT), 'utf8').then(JSON.parse)
      : import('../openapi.ts').then((m) => m.openApiDocument());
  return document;
}

export const getOpenApi: Route = async (event) => {
  parseRequest(operations['GET /v1/openapi.json'], event);
  return json(200, await openApiDocument(), 'public, max-age=3600');
};
