// The lists' pages as the API answers them: the items, and an opaque cursor (cursor.ts) after the last
// one when more follow; the position a request's cursor continues after.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { json } from './request.ts';

/** Lists change with each evaluation or ingestion. */
export const LIST_CACHE = 'public, max-age=60';

/** A scenario or indicator id as a list of them is positioned by. */
export const ID = /^[a-z0-9-]{1,64}$/;

/** The position `cursor` continues `list` after (undefined without one); a cursor of another list is a 400. */
export function positionOf(
  key: string,
  cursor: string | undefined,
  list: string,
  pattern: RegExp,
): string | undefined {
  return cursor === undefined ? undefined : decodeCursor(key, cursor, list, pattern);
}

/** The cursor of the page after `page`: null on the last page. */
export function nextCursor<T>(
  page: { items: T[]; more: boolean },
  cursor: { key: string; list: string },
  positionOfItem: (item: T) => string,
): string | null {
  const last = page.items.at(-1);
  return page.more && last ? encodeCursor(cursor.key, cursor.list, positionOfItem(last)) : null;
}

/** A page as the API answers it: its items, and a cursor after the last one when more follow. */
export function pageResponse<T>(
  page: { items: T[]; more: boolean },
  cursor: { key: string; list: string },
  positionOfItem: (item: T) => string,
  toItem: (item: T) => unknown,
  cacheControl = LIST_CACHE,
): APIGatewayProxyStructuredResultV2 {
  return json(
    200,
    { items: page.items.map((item) => toItem(item)), nextCursor: nextCursor(page, cursor, positionOfItem) },
    cacheControl,
  );
}
