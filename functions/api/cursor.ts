// Opaque pagination cursors: base64url JSON naming the list and the position of the last item returned,
// with an HMAC of both. Clients pass them back unchanged; a cursor of another list, an altered one or a
// hand-built one (whose HMAC it cannot compute) is a 400.
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '../../shared/runtime/validation.ts';
import { HttpProblem } from './problem.ts';

const cursorSchema = z.strictObject({
  v: z.literal(2),
  list: z.string(),
  after: z.string().check(z.maxLength(64)),
  mac: z.string().check(z.length(22)),
});

/** The HMAC of a cursor's list and position: 128 bits, base64url. */
function macOf(key: string, list: string, after: string): string {
  return createHmac('sha256', key).update(`${list}\n${after}`).digest('base64url').slice(0, 22);
}

/**
 * `list` names the collection (e.g. `assessments:kupyansk`); `after` is the last item's position;
 * `key` (ApiContext.cursorKey) is the same on every instance and across deploys, so a cursor stays good.
 */
export function encodeCursor(key: string, list: string, after: string): string {
  const mac = macOf(key, list, after);
  return Buffer.from(JSON.stringify({ v: 2, list, after, mac })).toString('base64url');
}

/** The position a cursor continues after; `pattern` is what a position of this list looks like. */
export function decodeCursor(key: string, cursor: string, list: string, pattern: RegExp): string {
  const invalid = () =>
    new HttpProblem(400, 'Invalid request', 'query cursor: a nextCursor returned by this list', {
      errors: [{ in: 'query', field: 'cursor', message: 'a nextCursor returned by this list' }],
    });
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const bytes = Buffer.from(cursor, 'base64url');
  // Node's decoder skips stray characters: only the exact encoding of what it decoded is ours.
  if (bytes.toString('base64url') !== cursor) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.list !== list || !pattern.test(parsed.data.after)) throw invalid();
  const { after, mac } = parsed.data;
  if (!timingSafeEqual(Buffer.from(mac), Buffer.from(macOf(key, list, after)))) throw invalid();
  return after;
}
