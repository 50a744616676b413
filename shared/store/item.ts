// Items as stored: an entity's fields plus its key and entity name (toItem), and read back through the
// entity's checks (readItem), so that a malformed item fails where it is read, naming the entity, the
// key and the field, instead of flowing on as a wrong type.
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { type Check, MalformedItemError } from './checks.ts';
import { clampNumbers } from './numbers.ts';
import { ENTITY_ATTRIBUTE, type Entity, type Key, TABLE_KEY } from './table.ts';

/** A stored item, as the document client reads and writes it. */
export type Item = Record<string, unknown>;

/** One write of a transaction (entity modules give the writes of theirs a transaction takes part in). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** An item as stored: the entity's fields (every number storable: numbers.ts) plus its key and entity name. */
export function toItem(entity: Entity, key: Key, fields: object): Item {
  return { ...clampNumbers(fields), ...key, [ENTITY_ATTRIBUTE]: entity };
}

/** The entity's fields of a stored item, checked: its key, entity name and other attributes left out. */
export function readItem<T>(entity: Entity, item: Item, fields: Check<T>): T {
  try {
    return fields(item);
  } catch (error) {
    if (!(error instanceof MalformedItemError)) throw error;
    const where = error.path.map((step, i) =>
      typeof step === 'number' ? `[${step}]` : i ? `.${step}` : step,
    );
    const key = `${item[TABLE_KEY.partition]}/${item[TABLE_KEY.sort]}`;
    throw new MalformedItemError(`malformed ${entity} item ${key}: ${where.join('')} ${error.message}`);
  }
}
