// What every route reads from: the table and the scenarios loaded at cold start.
import type { ScenarioRegistry } from '../../shared/config/registry.ts';
import type { Table } from '../../shared/store/table.ts';

export interface ApiContext {
  table: Table;
  registry: ScenarioRegistry;
  /** The clock, so tests and replays can pin "now". */
  now: () => Date;
}
