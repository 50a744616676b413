// The catalog of published scenarios (partition CAT#…), written by `signpost publish` in the same
// transaction as the definition: per scenario a summary (`CAT#scenarios`, what the dispatcher fans out
// from and what the listings show), and per indicator a scenario that declares it (`CAT#indicators`,
// `IND#<indicatorId>#SCN#<scenarioId>`), so that a route about one indicator finds its scenarios without
// loading every definition. Lists are read a page at a time.
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { each, fields, list, nullable, number, optional, string } from './checks.ts';
import { type Item, readItem, type TransactItem, toItem } from './item.ts';
import { type Page, queryPage, queryPrefix } from './query.ts';
import { key, partition, TABLE_KEY, type Table } from './table.ts';

/**
 * What the dispatcher needs of a scenario (its indicators, their cadence and host: politeness) and what
 * the listings show (title, description, paths, the indicators' titles). A summary published before the
 * listings read it lacks the listing's fields: its readers then read the definition
 * (shared/runtime/scenario-listing.ts), and the next `signpost publish` rewrites it.
 */
export interface ScenarioSummary {
  scenarioId: string;
  version: number;
  indicators: { id: string; cadence: string; manual: boolean; host: string | null; title?: string }[];
  title?: string;
  description?: string;
  paths?: { id: string; title: string; prior: number }[];
}

// Functions, not constants: a bundle that imports this module for one reader drops what it does not call.
const summaryKey = (scenarioId: string) => key(partition.catalog('scenarios'), 'SCN', scenarioId);
/** Ids are lower-case letters, digits and dashes: `#` ends an indicator's id in the sort key. */
const usePrefix = (indicatorId: string) =>
  key(partition.catalog('indicators'), 'IND', indicatorId, 'SCN', '');
const useKey = (indicatorId: string, scenarioId: string) =>
  key(partition.catalog('indicators'), 'IND', indicatorId, 'SCN', scenarioId);

function summary(item: unknown): ScenarioSummary {
  return fields(item, {
    scenarioId: string,
    version: number,
    indicators: list((v) =>
      fields(v, {
        ...each(string, 'id cadence'),
        manual: (b) => b === true,
        host: nullable(string),
        title: optional(string),
      }),
    ),
    ...each(optional(string), 'title description'),
    paths: optional(list((v) => fields(v, { ...each(string, 'id title'), prior: number }))),
  });
}

const readSummary = (item: Item) => readItem('scenario-summary', item, summary);

/** Every published scenario's summary, in id order. */
export function listScenarioSummaries(table: Table): Promise<ScenarioSummary[]> {
  return queryPrefix(table, summaryKey(''), readSummary);
}

/** One page of the summaries in id order, after the scenario `after` (exclusive). */
export function scenarioSummaryPage(
  table: Table,
  bounds: { after?: string; limit: number },
): Promise<Page<ScenarioSummary>> {
  return queryPage(table, summaryKey(''), bounds, readSummary);
}

/** The scenarios that declare the indicator, as published (a removed declaration may linger a moment). */
export async function scenariosDeclaring(table: Table, indicatorId: string): Promise<string[]> {
  return queryPrefix(table, usePrefix(indicatorId), (item) =>
    readItem('indicator-use', item, (v) => fields(v, { scenarioId: string }).scenarioId),
  );
}

/**
 * One page of the declared indicators in id order, after the indicator `after`: each with the
 * scenarios that declare it. Reads until one more indicator than the page holds has been seen.
 */
export async function declaredIndicatorPage(
  table: Table,
  bounds: { after?: string; limit: number },
): Promise<Page<{ indicatorId: string; scenarioIds: string[] }>> {
  const low = bounds.after === undefined ? 'IND#' : `${usePrefix(bounds.after).sk}\uffff`;
  const found = new Map<string, string[]>();
  const pages = paginateQuery(
    { client: table.db, pageSize: bounds.limit + 1 },
    {
      TableName: table.name,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :low AND :high',
      ExpressionAttributeNames: { '#pk': TABLE_KEY.partition, '#sk': TABLE_KEY.sort },
      ExpressionAttributeValues: { ':pk': usePrefix('').pk, ':low': low, ':high': 'IND#\uffff' },
    },
  );
  const page = (more: boolean) => ({
    items: [...found].map(([indicatorId, scenarioIds]) => ({ indicatorId, scenarioIds })),
    more,
  });
  for await (const { Items = [] } of pages) {
    for (const item of Items) {
      const use = readItem('indicator-use', item, (v) => fields(v, each(string, 'indicatorId scenarioId')));
      if (!found.has(use.indicatorId) && found.size === bounds.limit) return page(true);
      found.set(use.indicatorId, [...(found.get(use.indicatorId) ?? []), use.scenarioId]);
    }
  }
  return page(false);
}

/**
 * The catalog's writes of a publish, for its transaction: the summary put (or deleted, on a removal),
 * each declared indicator's entry put, and the entries of indicators the scenario no longer declares
 * (`dropped`) deleted. With `replacing`, the summary is put only while the stored one is still of that
 * version (a rewrite of an unchanged scenario's entries must not undo a publish that came between).
 */
export function catalogWrites(
  table: Table,
  scenarioId: string,
  next: ScenarioSummary | null,
  dropped: string[],
  replacing?: number,
): TransactItem[] {
  const TableName = table.name;
  const condition =
    replacing === undefined
      ? {}
      : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': replacing } };
  return [
    next
      ? { Put: { TableName, Item: toItem('scenario-summary', summaryKey(scenarioId), next), ...condition } }
      : { Delete: { TableName, Key: summaryKey(scenarioId) } },
    ...(next?.indicators ?? []).map(({ id }) => ({
      Put: {
        TableName,
        Item: toItem('indicator-use', useKey(id, scenarioId), { indicatorId: id, scenarioId }),
      },
    })),
    ...dropped.map((id) => ({ Delete: { TableName, Key: useKey(id, scenarioId) } })),
  ];
}
