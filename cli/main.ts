#!/usr/bin/env node
// `signpost`: the operator CLI's entry point (package bin; `npm start` runs `signpost start`).

// The handlers log JSON lines for CloudWatch; in a terminal only their errors are worth showing, and the
// level must be set before the logger is first imported.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
// CloudWatch metrics (EMF lines) mean nothing locally.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const { run } = await import('./program.ts');
const code = await run(process.argv.slice(2));
// Local services and SDK clients keep the event loop alive: end once the output is flushed.
process.stdout.write('', () => process.exit(code));
