// Points the AWS SDK in every test file at the local services started by global-setup.ts.
import { inject } from 'vitest';
import './network-jail.ts';

Object.assign(process.env, inject('localAwsEnv'), {
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  SIGNPOST_ALLOW_LOOPBACK_SOURCES: 'true',
});
