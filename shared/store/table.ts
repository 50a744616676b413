// The table's design in one place: its attribute names, key and index, the definition CDK deploys and
// local mode creates, and the partitions every item lives in. Each entity module (observations.ts,
// alerts.ts, ...) lays out its own sort keys, but only inside these partitions: a key's pk has the type
// Partition, which only `partition` below builds. IAM follows the partitions (each function may write only
// its own: `dynamodb:LeadingKeys` in infra/stacks/stateless-stack.ts), so a new partition prefix is a
// visible change of this file and of IAM. docs/architecture.md tables every item's key.
import type { CreateTableInput, StreamViewType } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The table handle every store module takes: a document client and the table's name. */
export interface Table {
  db: DynamoDBDocumentClient;
  name: string;
}

// Plain constants first: esbuild drops an unused definition built from them, not one built by reading an
// object's properties.
const PARTITION_KEY = 'pk';
const SORT_KEY = 'sk';
const OPEN_ALERTS = 'open-alerts';
const OPEN_ALERTS_KEY = 'openPk';

/** One table: `pk` groups an entity's items, `sk` orders them. */
export const TABLE_KEY = { partition: PARTITION_KEY, sort: SORT_KEY } as const;

/** Every item carries its entity name; the stream triggers filter on it. */
export const ENTITY_ATTRIBUTE = 'entity';

/** Epoch seconds after which DynamoDB removes the item (fetch runs carry it). */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * A sparse index of the alerts still open: pending (not yet published) or held by a silence and not
 * yet summarized. Only those items carry `openPk` (their scenario's partition), so the notify sweep and
 * the silence summary read the few open alerts, never a scenario's whole alert history.
 */
export const OPEN_ALERTS_INDEX = { name: OPEN_ALERTS, partition: OPEN_ALERTS_KEY, sort: SORT_KEY } as const;

/**
 * The table as DynamoDB's API and CloudFormation spell it: local mode creates this table, and the stack
 * tests hold the deployed one to it. The stream carries the new image only: evaluate reacts to new
 * observations and notify to new alerts, and neither needs the old one.
 */
export const TABLE_DEFINITION = {
  KeySchema: [
    { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
    { AttributeName: SORT_KEY, KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: PARTITION_KEY, AttributeType: 'S' },
    { AttributeName: SORT_KEY, AttributeType: 'S' },
    { AttributeName: OPEN_ALERTS_KEY, AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: OPEN_ALERTS,
      KeySchema: [
        { AttributeName: OPEN_ALERTS_KEY, KeyType: 'HASH' },
        { AttributeName: SORT_KEY, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  StreamViewType: 'NEW_IMAGE',
  TimeToLiveAttribute: TTL_ATTRIBUTE,
} satisfies Required<
  Pick<CreateTableInput, 'KeySchema' | 'AttributeDefinitions' | 'GlobalSecondaryIndexes'>
> & {
  StreamViewType: StreamViewType;
  TimeToLiveAttribute: string;
};

/** A condition that holds only while no item has the key: a put that must not replace one. */
export const NO_ITEM_YET = `attribute_not_exists(${PARTITION_KEY})`;

/**
 * The partitions: an indicator's (its observations, revisions, fetch runs and source health), a
 * scenario's (its assessments, path state, forecast and alerts), and a scenario's silences. Silences
 * have their own so that the internet-facing API, which sets them, may write there (IAM's
 * dynamodb:LeadingKeys) and never where the path state and the alerts are.
 */
export const partition = {
  indicator: (indicatorId: string) => `IND#${indicatorId}` as const,
  scenario: (scenarioId: string) => `SCN#${scenarioId}` as const,
  silences: (scenarioId: string) => `SIL#${scenarioId}` as const,
  /** A published scenario's definition: the current one and every version published. */
  definition: (scenarioId: string) => `DEF#${scenarioId}` as const,
  /** The catalog of published scenarios: a summary each, and per indicator the scenarios declaring it. */
  catalog: (name: string) => `CAT#${name}` as const,
};

export type Partition = ReturnType<(typeof partition)[keyof typeof partition]>;

/**
 * An item's key: its partition, and the entity's sort key, segments joined by `#` (`OBS#2024-01-01`);
 * an empty last segment gives the prefix a query ranges over (`OBS#`).
 */
export function key(pk: Partition, ...sk: string[]): Key {
  return { pk, sk: sk.join('#') };
}

/** Whether a key read from elsewhere (a stream record) is in one of the partitions. */
export function isPartition(pk: string): pk is Partition {
  return Object.values(partition).some((of) => pk.startsWith(of('')));
}

/**
 * An item's key, `{ pk, sk }`: its partition, and its place there (the entity module's sort key). Typed
 * from the attribute names, so the entity modules' `{ pk, sk }` literals follow a rename here.
 */
export type Key = Record<typeof PARTITION_KEY, Partition> & Record<typeof SORT_KEY, string>;

/** The entity names items carry (in ENTITY_ATTRIBUTE). */
export type Entity =
  | 'observation'
  | 'assessment'
  | 'path-state'
  | 'alert'
  | 'silence'
  | 'observation-revision'
  | 'fetch-run'
  | 'source-health'
  | 'forecast'
  | 'scenario-definition'
  | 'scenario-version'
  | 'scenario-summary'
  | 'indicator-use';
