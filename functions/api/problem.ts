// RFC 9457 problem details: every API error is `application/problem+json`, and a 5xx never leaks internals.
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../../shared/runtime/logger.ts';

export class HttpProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  constructor(status: number, title: string, detail: string) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

export function problemResponse(problem: HttpProblem, instance: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: JSON.stringify({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance,
    }),
  };
}

/** Turns thrown errors into problem responses; unexpected ones are logged and answered with a bare 500. */
export function problemDetails(): middy.MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2
> {
  return {
    onError: async (request) => {
      const error = request.error;
      const known = error instanceof HttpProblem;
      if (!known) logger.error('unhandled API error', { error: error as Error });
      const problem = known
        ? error
        : new HttpProblem(
            500,
            'Internal Server Error',
            'The request could not be completed; it has been logged.',
          );
      request.response = problemResponse(problem, request.event.rawPath ?? '');
    },
  };
}
