// RFC 9457 problem details: every API error is `application/problem+json`, and a 5xx never leaks internals.
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../../shared/runtime/logger.ts';
import type * as z from '../../shared/runtime/validation.ts';

export type FieldLocation = 'path' | 'query' | 'body' | 'header';

/** One invalid field of a request: where it is, its dotted name, and what was expected. */
export interface FieldError {
  in: FieldLocation;
  field: string;
  message: string;
}

export class HttpProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    title: string,
    detail: string,
    extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = extra.errors;
    this.headers = extra.headers ?? {};
  }
}

/** A 400 naming every invalid field, from a zod error on one part of the request. */
export function invalidRequest(location: FieldLocation, issues: z.core.$ZodIssue[]): HttpProblem {
  const errors = issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      const prefix = issue.path.length ? `${issue.path.join('.')}.` : '';
      return issue.keys.map((key) => ({
        in: location,
        field: `${prefix}${key}`,
        message: location === 'query' ? 'an unknown query parameter' : `an unknown field`,
      }));
    }
    return [{ in: location, field: issue.path.join('.'), message: issue.message }];
  });
  const detail = errors.map((e) => `${e.in} ${e.field || '(whole)'}: ${e.message}`).join('; ');
  return new HttpProblem(400, 'Invalid request', detail, { errors });
}

export function problemResponse(problem: HttpProblem, instance: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      ...problem.headers,
    },
    body: JSON.stringify({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance,
      ...(problem.errors ? { errors: problem.errors } : {}),
    }),
  };
}

/** Turns thrown errors into problem responses; unexpected ones are logged and answered with a bare 500. */
export function problemDetails(
  headersFor: (event: APIGatewayProxyEventV2) => Record<string, string> = () => ({}),
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
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
      const response = problemResponse(problem, request.event.rawPath ?? '');
      request.response = { ...response, headers: { ...response.headers, ...headersFor(request.event) } };
    },
  };
}
