// Invokes the real function handlers in-process, with a Lambda-shaped context.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export type Invocable<E = unknown, R = unknown> = (event: E, context: Context) => Promise<R>;

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface Handlers {
  dispatch: Invocable;
  ingest: Invocable;
  evaluate: Invocable;
  notify: Invocable;
  api: Invocable;
  pages: Invocable;
}

/**
 * Imports the function handlers; their cold-start code reads the environment (and the scenarios), so
 * set it first. A new `generation` loads fresh module instances, as a new deployment's cold start would.
 */
export async function importHandlers(generation = 0): Promise<Handlers> {
  const load = async (name: keyof Handlers): Promise<Invocable> => {
    const url = new URL(`../../functions/${name}/handler.ts`, import.meta.url);
    if (generation > 0) url.search = `?generation=${generation}`;
    const module = (await import(url.href)) as { handler: Invocable };
    return module.handler;
  };
  const [dispatch, ingest, evaluate, notify, api, pages] = await Promise.all([
    load('dispatch'),
    load('ingest'),
    load('evaluate'),
    load('notify'),
    load('api'),
    load('pages'),
  ]);
  return { dispatch, ingest, evaluate, notify, api, pages };
}

export function invoke<R>(handler: Invocable, name: string, event: unknown): Promise<R> {
  return handler(event, lambdaContext(`signpost-local-${name}`)) as Promise<R>;
}
