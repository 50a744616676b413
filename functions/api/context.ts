// What every route is: a function of the request and what it reads from (the table, the published
// scenarios, the clock).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ScenarioListing } from '../../shared/runtime/scenario-listing.ts';
import type { Table } from '../../shared/store/table.ts';

export interface ApiContext {
  table: Table;
  /** The published scenarios: one by id, those declaring an indicator, a page of them (cached a minute). */
  scenarios: ScenarioListing;
  /** The clock, so tests and replays can pin "now". */
  now: () => Date;
  /**
   * The key of the cursors' HMAC (cursor.ts): `CURSOR_KEY`, a random secret generated at deploy
   * (infra/constructs/api-function.ts) or at each local start (cli/local/run.ts), the same on every
   * instance; only a handler run without it (a test) falls back to one made from the table's name.
   */
  cursorKey: string;
  /** The longest silence a write may set, in days (stage config `maxSilenceDays`). */
  maxSilenceDays: number;
  /** Write routes: who is writing (auth.ts), stored on the write and in its audit log line. */
  caller?: string;
}

/** A route: answers one operation of functions/api/operations.ts (routes/index.ts maps them). */
export type Route = (
  event: APIGatewayProxyEventV2,
  context: ApiContext,
) => Promise<APIGatewayProxyStructuredResultV2>;
