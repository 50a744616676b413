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

/** Throws 401 unless the request carries the credentials the mode requires. Never logs the token. */
export function authorizeWrite(event: APIGatewayProxyEventV2, auth: WriteAuth): void {
  if (auth.mode === 'iam') {
    const context = event.requestContext as { authorizer?: { iam?: { userArn?: string } } };
    if (context.authorizer?.iam) return;
    throw unauthorized('This route needs an IAM (SigV4) signed request.', 'AWS4-HMAC-SHA256');
  }
  const header = event.headers?.authorization ?? '';
  const match = /^Bearer (.+)$/i.exec(header);
  // Equal-length digests: the comparison takes the same time whatever the token, right or wrong.
  if (match?.[1] && timingSafeEqual(digest(match[1]), digest(auth.token))) return;
  throw unauthorized('This route needs `Authorization: Bearer <SIGNPOST_LOCAL_TOKEN>`.', 'Bearer');
}

function unauthorized(detail: string, scheme: string): HttpProblem {
  return new HttpProblem(401, 'Unauthorized', detail, {
    headers: { 'www-authenticate': `${scheme} realm="signpost"` },
  });
}
