// Published scenarios: each one's current definition (what the functions read, one GetItem), every
// version published (immutable: the audit trail), and a summary per scenario in the catalog partition
// (what the dispatcher reads to fan out, without loading every definition).
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Scenario } from '../config/scenario-schema.ts';
import { each, fields, list, nullable, number, string } from './checks.ts';
import { readItem, toItem } from './item.ts';
import { queryPrefix } from './query.ts';
import { key, NO_ITEM_YET, partition, type Table } from './table.ts';

/** One scenario as published: its definition (validated by the publisher) and who published it when. */
export interface PublishedScenario {
  scenario: Scenario;
  /** 1 for the first version, one more for each later one. */
  version: number;
  /** SHA-256 of the definition: an unchanged scenario is not published again. */
  hash: string;
  publishedAt: string;
  publishedBy: string;
  /** The file it was read from (its name in the scenario folder). */
  file: string;
}

/** What the dispatcher needs of a scenario: its indicators, their cadence and host (politeness). */
export interface ScenarioSummary {
  scenarioId: string;
  version: number;
  indicators: { id: string; cadence: string; manual: boolean; host: string | null }[];
}

const currentKey = (scenarioId: string) => key(partition.definition(scenarioId), 'CURRENT');
const versionKey = (scenarioId: string, version: number) =>
  key(partition.definition(scenarioId), 'VERSION', String(version).padStart(8, '0'));
const summaryKey = (scenarioId: string) => key(partition.catalog('scenarios'), 'SCN', scenarioId);

// The definition is stored as JSON text: the publisher validated it against the schema, and the
// functions must not carry the schema (half a bundle) to read it back.
function published(item: unknown): PublishedScenario {
  const checked = fields(item, {
    ...each(string, 'definition hash publishedAt publishedBy file'),
    version: number,
  });
  const { definition, ...meta } = checked;
  return { ...meta, scenario: JSON.parse(definition) as Scenario };
}

function summary(item: unknown): ScenarioSummary {
  return fields(item, {
    scenarioId: string,
    version: number,
    indicators: list((v) =>
      fields(v, { ...each(string, 'id cadence'), manual: (b) => b === true, host: nullable(string) }),
    ),
  });
}

/** The current definition of a scenario, or null when none is published. */
export async function getPublishedScenario(
  table: Table,
  scenarioId: string,
  consistent = false,
): Promise<PublishedScenario | null> {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: currentKey(scenarioId), ConsistentRead: consistent }),
  );
  return Item ? readItem('scenario-definition', Item, published) : null;
}

/** Every published scenario's summary, in id order. */
export function listScenarioSummaries(table: Table): Promise<ScenarioSummary[]> {
  return queryPrefix(table, key(partition.catalog('scenarios'), 'SCN', ''), (item) =>
    readItem('scenario-summary', item, summary),
  );
}

/** Every version of a scenario ever published, oldest first (a removal is a version without definition). */
export function listScenarioVersions(
  table: Table,
  scenarioId: string,
): Promise<Omit<PublishedScenario, 'scenario'>[]> {
  return queryPrefix(table, key(partition.definition(scenarioId), 'VERSION', ''), (item) =>
    readItem('scenario-version', item, (v) =>
      fields(v, { ...each(string, 'hash publishedAt publishedBy file'), version: number }),
    ),
  );
}

/** A lost race: another publisher wrote a version of the scenario since it was read. */
export class PublishConflictError extends Error {
  constructor(scenarioId: string) {
    super(`scenario ${scenarioId} was published by someone else meanwhile; publish again`);
    this.name = 'PublishConflictError';
  }
}

/**
 * Writes `next` as the scenario's current definition and its next version, and its summary, in one
 * transaction conditioned on the current version still being `previousVersion` (0: none yet). Without
 * `next.scenario` (a removal), the version records it and the current definition and summary go.
 */
export async function commitScenarioVersion(
  table: Table,
  scenarioId: string,
  previousVersion: number,
  next: Omit<PublishedScenario, 'scenario'> & { scenario: Scenario | null; summary: ScenarioSummary | null },
): Promise<void> {
  const { scenario, summary: nextSummary, ...meta } = next;
  const record = { ...meta, scenarioId, definition: scenario ? JSON.stringify(scenario) : null };
  const current =
    previousVersion === 0
      ? { ConditionExpression: NO_ITEM_YET }
      : {
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': previousVersion },
        };
  try {
    await table.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.name,
              Item: toItem('scenario-version', versionKey(scenarioId, meta.version), record),
              ConditionExpression: NO_ITEM_YET,
            },
          },
          scenario
            ? {
                Put: {
                  TableName: table.name,
                  Item: toItem('scenario-definition', currentKey(scenarioId), record),
                  ...current,
                },
              }
            : { Delete: { TableName: table.name, Key: currentKey(scenarioId), ...current } },
          nextSummary
            ? {
                Put: {
                  TableName: table.name,
                  Item: toItem('scenario-summary', summaryKey(scenarioId), nextSummary),
                },
              }
            : { Delete: { TableName: table.name, Key: summaryKey(scenarioId) } },
        ],
      }),
    );
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw new PublishConflictError(scenarioId);
    throw error;
  }
}
