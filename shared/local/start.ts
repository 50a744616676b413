// `npm start` entry point. The handlers log JSON lines for CloudWatch; in a terminal only their errors
// are worth showing, and the level must be set before the logger is first imported.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
// CloudWatch metrics (EMF lines) mean nothing locally.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
await import('./run.ts');
