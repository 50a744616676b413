// The pages function: the HTML pages (functions/pages), behind the same HTTP API as the JSON routes. A
// function of its own: its charts, views and the path filter (~50 KB) do not fit the api function's bundle
// budget, and an API cold start should not load them.
import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type FunctionWiring, SignpostFunction } from './signpost-function.ts';
import { grantTable, shownPartitions, TABLE_ACCESS } from './table-access.ts';

/** The function behind the page routes of the HTTP API (functions/pages/routes.ts). */
export class PagesFunction extends SignpostFunction {
  constructor(scope: Construct, id: string, props: FunctionWiring) {
    super(scope, id, {
      ...props,
      name: 'pages',
      description: 'Serves the HTML pages: the scenarios and each scenario page (reads only)',
      timeout: Duration.seconds(10),
      environment: { API_READ_ACCESS: props.config.apiReads },
    });
    // Reads only, the partitions it shows (assessments, forecasts, alerts; observations and source
    // health): the pages write nothing.
    const { scenarios } = props;
    grantTable(this, props.table, TABLE_ACCESS.pages, {
      read: shownPartitions(scenarios),
    });
  }
}
