// Published scenarios: each one's current definition (what the functions read, one GetItem) and every
// version published (immutable: the audit trail), committed with the scenario's catalog entries
// (scenario-catalog.ts: what the dispatcher and the listings read, without loading every definition).
import { DeleteCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Scenario } from '../config/scenario-schema.ts';
import { each, fields, number, string } from './checks.ts';
import { readItem, type TransactItem, toItem } from './item.ts';
import { queryPrefix } from './query.ts';
import { catalogWrites, type ScenarioSummary } from './scenario-catalog.ts';
import { key, NO_ITEM_YET, partition, type Table } from './table.ts';

export { listScenarioSummaries, type ScenarioSummary } from './scenario-catalog.ts';

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

const currentKey = (scenarioId: string) => key(partition.definition(scenarioId), 'CURRENT');
const versionKey = (scenarioId: string, version: number) =>
  key(partition.definition(scenarioId), 'VERSION', String(version).padStart(8, '0'));

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

/** The most writes DynamoDB takes in one transaction. */
const TRANSACTION_ITEMS = 100;

/** The transaction's condition that the current definition is still at `version` (0: none yet). */
function stillAt(version: number) {
  return version === 0
    ? { ConditionExpression: NO_ITEM_YET }
    : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': version } };
}

async function transact(table: Table, scenarioId: string, items: TransactItem[]): Promise<void> {
  // Only the deletes of dropped catalog entries come last and may not fit (a scenario of 50 indicators
  // renaming nearly all of them): they follow the transaction. Until then an entry names a scenario that
  // no longer declares the indicator, which its readers check (shared/runtime/scenario-listing.ts).
  const [inside, after] = [items.slice(0, TRANSACTION_ITEMS), items.slice(TRANSACTION_ITEMS)];
  try {
    await table.db.send(new TransactWriteCommand({ TransactItems: inside }));
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw new PublishConflictError(scenarioId);
    throw error;
  }
  await Promise.all(
    after.map((w) => table.db.send(new DeleteCommand({ TableName: table.name, Key: w.Delete?.Key ?? {} }))),
  );
}

/**
 * Writes `next` as the scenario's current definition and its next version, and its catalog entries, in
 * one transaction conditioned on the current version still being `previousVersion` (0: none yet).
 * Without `next.scenario` (a removal), the version records it and the current definition and summary
 * go. `dropped`: the indicators the previous version declared and this one does not (on a removal, all).
 */
export async function commitScenarioVersion(
  table: Table,
  scenarioId: string,
  previousVersion: number,
  next: Omit<PublishedScenario, 'scenario'> & {
    scenario: Scenario | null;
    summary: ScenarioSummary | null;
    dropped: string[];
  },
): Promise<void> {
  const { scenario, summary, dropped, ...meta } = next;
  const record = { ...meta, scenarioId, definition: scenario ? JSON.stringify(scenario) : null };
  const TableName = table.name;
  const current = stillAt(previousVersion);
  await transact(table, scenarioId, [
    {
      Put: {
        TableName,
        Item: toItem('scenario-version', versionKey(scenarioId, meta.version), record),
        ConditionExpression: NO_ITEM_YET,
      },
    },
    scenario
      ? {
          Put: { TableName, Item: toItem('scenario-definition', currentKey(scenarioId), record), ...current },
        }
      : { Delete: { TableName, Key: currentKey(scenarioId), ...current } },
    ...catalogWrites(table, scenarioId, summary, dropped),
  ]);
}

/**
 * Rewrites the catalog entries of an unchanged scenario (its summary and indicator entries, in the shape
 * this version writes them: a deployment published before the listings read the catalog), conditioned
 * on its stored summary still being of `version` (a publish writes both in one transaction, so the
 * definition is too; a condition on the summary needs no permission beyond the publisher's PutItem).
 * No version is written: the definition is the same.
 */
export function refreshCatalog(
  table: Table,
  scenarioId: string,
  version: number,
  summary: ScenarioSummary,
): Promise<void> {
  return transact(table, scenarioId, catalogWrites(table, scenarioId, summary, [], version));
}
