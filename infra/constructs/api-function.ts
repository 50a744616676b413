// The api function: the public read API, and the IAM-authorized writes (manual observations, silences).
import { Duration, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { openApiDocument } from '../../functions/api/openapi.ts';
import { OPENAPI_SNAPSHOT } from '../../functions/api/routes/openapi.ts';
import { type FunctionWiring, SignpostFunction } from './signpost-function.ts';
import {
  grantTable,
  indicatorPartitions,
  keys,
  shownPartitions,
  silencePartitions,
  TABLE_ACCESS,
} from './table-access.ts';

/** The function behind every route of the HTTP API (see http-api.ts). */
export class ApiFunction extends SignpostFunction {
  constructor(scope: Construct, id: string, props: FunctionWiring) {
    const { config, scenarios, table } = props;
    // The key that signs the list cursors (functions/api/cursor.ts): random, generated at deploy, so that
    // no one who has not deployed the stack can make a cursor the API takes. The function gets it in its
    // environment (a CloudFormation dynamic reference, resolved at deploy): read once at cold start, no
    // Secrets Manager client in the bundle, and no secret in the template.
    const cursorKey = new Secret(scope, `${id}CursorKey`, {
      description: 'Signpost: the key of the HMAC that signs the HTTP API list cursors',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The cursor key signs list cursors only: a new key (a redeploy of a new secret) invalidates the ' +
        'open cursors of paged lists and nothing else; there is no credential to rotate.',
    });
    super(scope, id, {
      ...props,
      name: 'api',
      description: 'Serves the HTTP API: public reads, IAM-authorized writes',
      timeout: Duration.seconds(10),
      environment: {
        API_READ_ACCESS: config.apiReads,
        // Deployed, API Gateway answers CORS itself and ignores the function's CORS headers; the
        // function's copy keeps its answers (and local mode) consistent with what is configured.
        CORS_ORIGIN: corsOriginForFunction(config.corsOrigins),
        MAX_SILENCE_DAYS: String(config.maxSilenceDays),
        CURSOR_KEY: cursorKey.secretValue.unsafeUnwrap(),
      },
      // Served by GET /v1/openapi.json; generated here so the generator stays out of the bundle.
      files: { [OPENAPI_SNAPSHOT]: JSON.stringify(openApiDocument()) },
    });
    // Reads what the routes serve; writes manual observations (their indicators' partitions only) and
    // silences (their own partitions), and deletes silences only: never the path state or the alerts of
    // a scenario, and no observation, revision or fetch record is ever deleted.
    grantTable(this, table, TABLE_ACCESS.api, {
      read: shownPartitions(scenarios),
      write: keys(indicatorPartitions(scenarios, true), silencePartitions(scenarios)),
      remove: silencePartitions(scenarios),
    });
  }
}

/**
 * The origins the api function allows in its own CORS headers: `*`, or the configured list, of which
 * it echoes the request's origin when listed (as API Gateway does when deployed).
 */
export function corsOriginForFunction(origins: string[]): string {
  return origins.includes('*') ? '*' : origins.join(',');
}
