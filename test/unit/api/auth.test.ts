// Who may write: SigV4 through API Gateway's IAM authorizer when deployed, the bearer token locally;
// and the caller's identity each write records.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { authorizeWrite, LOCAL_CALLER, writeAuthFrom } from '../../../functions/api/auth.ts';
import { HttpProblem } from '../../../functions/api/problem.ts';

const event = (extra: { headers?: Record<string, string>; iam?: Record<string, string> }) =>
  ({
    headers: extra.headers ?? {},
    requestContext: extra.iam ? { authorizer: { iam: extra.iam } } : {},
  }) as unknown as APIGatewayProxyEventV2;

/** The 401 `authorizeWrite` throws, or undefined. */
function refusal(run: () => unknown): HttpProblem | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
}

describe('write authorization', () => {
  it('uses the local token when SIGNPOST_LOCAL_TOKEN is set, IAM otherwise', () => {
    expect(writeAuthFrom({ SIGNPOST_LOCAL_TOKEN: 'secret' })).toEqual({ mode: 'token', token: 'secret' });
    expect(writeAuthFrom({ SIGNPOST_LOCAL_TOKEN: '' })).toEqual({ mode: 'iam' });
    expect(writeAuthFrom({})).toEqual({ mode: 'iam' });
  });

  it('names the IAM principal API Gateway verified as the caller', () => {
    const iam = { mode: 'iam' } as const;
    const arn = 'arn:aws:iam::123456789012:role/analyst';

    expect(authorizeWrite(event({ iam: { userArn: arn, callerId: 'AROA1' } }), iam)).toBe(arn);
    expect(authorizeWrite(event({ iam: { userArn: '', callerId: 'AROA1' } }), iam)).toBe('AROA1');
    expect(authorizeWrite(event({ iam: { accountId: '123456789012' } }), iam)).toBe('account 123456789012');
    expect(authorizeWrite(event({ iam: {} }), iam)).toBe('account unknown');
  });

  it('refuses a request that did not come through the IAM authorizer with a SigV4 challenge', () => {
    const problem = refusal(() => authorizeWrite(event({}), { mode: 'iam' }));

    expect(problem).toMatchObject({
      status: 401,
      title: 'Unauthorized',
      detail: 'This route needs an IAM (SigV4) signed request.',
      headers: { 'www-authenticate': 'AWS4-HMAC-SHA256 realm="signpost"' },
    });
  });

  it('accepts the right bearer token, in any case of the scheme, and names the local caller', () => {
    const auth = { mode: 'token', token: 'right-token' } as const;

    expect(authorizeWrite(event({ headers: { authorization: 'Bearer right-token' } }), auth)).toBe(
      LOCAL_CALLER,
    );
    expect(authorizeWrite(event({ headers: { authorization: 'bearer right-token' } }), auth)).toBe(
      LOCAL_CALLER,
    );
  });

  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token' }],
    ['the token with a suffix', { authorization: 'Bearer right-tokenx' }],
    ['the token without the scheme', { authorization: 'right-token' }],
    ['the scheme without a token', { authorization: 'Bearer ' }],
    ['the token after other text', { authorization: 'Basic Bearer right-token' }],
  ])('refuses %s with a Bearer challenge, never echoing the token', (_what, headers) => {
    const problem = refusal(() =>
      authorizeWrite(event({ headers }), { mode: 'token', token: 'right-token' }),
    );

    expect(problem).toMatchObject({
      status: 401,
      detail: 'This route needs `Authorization: Bearer <SIGNPOST_LOCAL_TOKEN>`.',
      headers: { 'www-authenticate': 'Bearer realm="signpost"' },
    });
    expect(JSON.stringify(problem)).not.toContain('right-token');
  });
});
