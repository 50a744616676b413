// The Powertools logger shared by every function (JSON lines; level from POWERTOOLS_LOG_LEVEL).
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'signpost' });
