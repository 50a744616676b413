// The HTTP API: every route of functions/api/operations.ts on the api function, the page routes
// (functions/pages/routes.ts) on the pages function, CORS, throttling, access logs.
import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  type HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
} from '../../functions/api/cors.ts';
import { operations, ROUTE_KEYS } from '../../functions/api/operations.ts';
import { PAGE_ROUTE_KEYS } from '../../functions/pages/routes.ts';
import type { StageConfig } from '../config.ts';

export interface SignpostHttpApiProps {
  readonly config: StageConfig;
  /** The function that answers every route of the JSON API, and `$default`. */
  readonly handler: IFunction;
  /** The function that answers the page routes. */
  readonly pages: IFunction;
}

/**
 * Every route of functions/api/operations.ts, plus $default, which the handler answers with a 404
 * problem; the page routes go to the pages function. Write routes need SigV4 (IAM); reads too when the stage sets `apiReads: iam`. Beside it (in
 * `scope`): the throttled `$default` stage, its access log group, and the API URL as a stack output.
 */
export class SignpostHttpApi extends HttpApi {
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: SignpostHttpApiProps) {
    const { config } = props;
    const integration = new HttpLambdaIntegration('ApiIntegration', props.handler);
    const iam = new HttpIamAuthorizer();
    super(scope, id, {
      apiName: `signpost-${config.stage}`,
      description: 'Signpost HTTP API',
      createDefaultStage: false,
      defaultIntegration: integration,
      ...(config.apiReads === 'iam' ? { defaultAuthorizer: iam } : {}),
      corsPreflight: {
        allowOrigins: config.corsOrigins,
        allowMethods: CORS_ALLOW_METHODS.map((method) => CorsHttpMethod[method]),
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: CORS_EXPOSE_HEADERS,
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      },
    });
    for (const key of ROUTE_KEYS) {
      const [method = '', path = ''] = key.split(' ');
      const signed = operations[key].access === 'write' || config.apiReads === 'iam';
      this.addRoutes({
        path,
        methods: [method as HttpMethod],
        integration,
        ...(signed ? { authorizer: iam } : {}),
      });
    }
    const pages = new HttpLambdaIntegration('PagesIntegration', props.pages);
    for (const key of PAGE_ROUTE_KEYS) {
      const [method = '', path = ''] = key.split(' ');
      this.addRoutes({
        path,
        methods: [method as HttpMethod],
        integration: pages,
        ...(config.apiReads === 'iam' ? { authorizer: iam } : {}),
      });
    }
    // Reads are public on purpose (published assessments); every write route is IAM-authorized.
    if (config.apiReads === 'public') {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The read routes are public by design: they serve published scenario assessments and hold no ' +
          'personal data; every write route uses the IAM authorizer. Abuse is bounded by stage throttling.',
      });
    }

    const accessLogs = new LogGroup(scope, 'ApiAccessLogs', {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: config.removalPolicy,
    });
    this.stage = new HttpStage(scope, 'DefaultStage', {
      httpApi: this,
      stageName: '$default',
      autoDeploy: true,
      throttle: { burstLimit: config.apiBurstLimit, rateLimit: config.apiRateLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            // The IAM principal of a signed (write) request: who wrote, beside the audit line in the
            // function's log (same requestId).
            caller: '$context.identity.userArn',
            requestTime: '$context.requestTime',
            httpMethod: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    new CfnOutput(scope, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
  }
}
