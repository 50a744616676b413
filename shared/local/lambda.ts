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
  ingest: Invocable;
  evaluate: Invocable;
  notify: Invocable;
  api: Invocable;
}

/** Imports the function handlers; their cold-start code reads the environment, so set it first. */
export async function importHandlers(): Promise<Handlers> {
  const [ingest, evaluate, notify, api] = await Promise.all([
    import('../../functions/ingest/handler.ts'),
    import('../../functions/evaluate/handler.ts'),
    import('../../functions/notify/handler.ts'),
    import('../../functions/api/handler.ts'),
  ]);
  return {
    ingest: ingest.handler as Invocable,
    evaluate: evaluate.handler as Invocable,
    notify: notify.handler as Invocable,
    api: api.handler as Invocable,
  };
}

export function invoke<R>(handler: Invocable, name: string, event: unknown): Promise<R> {
  return handler(event, lambdaContext(`signpost-local-${name}`)) as Promise<R>;
}
