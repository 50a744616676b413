// Who may write. Deployed, API Gateway checks SigV4 (IAM) on write routes and the handler insists the
// request came through that authorizer; locally, a bearer token from the environment stands in for IAM.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpProblem } from './problem.ts';

export type WriteAuth = { mode: 'iam' } | { mode: 'token'; token: string };

/** `SIGNPOST_LOCAL_TOKEN` set: token mode (local); otherwise IAM. */
export function writeAuthFrom(env: NodeJS.ProcessEnv): WriteAuth {
  const token = env.SIGNPOST_LOCAL_TOKEN;
  return token ? { mode: 'token', token } : { mode: 'iam' };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Who wrote, in local mode: whoever holds the local token (the token itself is never recorded). */
export const LOCAL_CALLER = 'local-token';

/**
 * Throws 401 unless the request carries the credentials the mode requires; returns the caller's
 * identity, which writes store and the audit log records: the IAM principal API Gateway verified (its
 * ARN), or LOCAL_CALLER. Never logs the token.
 */
export function authorizeWrite(event: APIGatewayProxyEventV2, auth: WriteAuth): string {
  if (auth.mode === 'iam') {
    const context = event.requestContext as {
      authorizer?: { iam?: { userArn?: string; callerId?: string; accountId?: string } };
    };
    const iam = context.authorizer?.iam;
    if (iam) return iam.userArn || iam.callerId || `account ${iam.accountId ?? 'unknown'}`;
    throw unauthorized('This route needs an IAM (SigV4) signed request.', 'AWS4-HMAC-SHA256');
  }
  const header = event.headers?.authorization ?? '';
  const match = /^Bearer (.+)$/i.exec(header);
  // Equal-length digests: the comparison takes the same time whatever the token, right or wrong.
  if (match?.[1] && timingSafeEqual(digest(match[1]), digest(auth.token))) return LOCAL_CALLER;
  throw unauthorized('This route needs `Authorization: Bearer <SIGNPOST_LOCAL_TOKEN>`.', 'Bearer');
}

function unauthorized(detail: string, scheme: string): HttpProblem {
  return new HttpProblem(401, 'Unauthorized', detail, {
    headers: { 'www-authenticate': `${scheme} realm="signpost"` },
  });
}
