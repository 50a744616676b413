// Opaque pagination cursors: base64url JSON naming the list and the position of the last item returned.
// Clients pass them back unchanged; a cursor from another list, or an altered one, is a 400.
import * as z from '../../shared/runtime/validation.ts';
import { HttpProblem } from './problem.ts';

const cursorSchema = z.strictObject({
  v: z.literal(1),
  list: z.string(),
  after: z.string().check(z.maxLength(64)),
});

/** `list` names the collection (e.g. `assessments:kupyansk`); `after` is the last item's position. */
export function encodeCursor(list: string, after: string): string {
  return Buffer.from(JSON.stringify({ v: 1, list, after })).toString('base64url');
}

/** The position a cursor continues after; `pattern` is what a position of this list looks like. */
export function decodeCursor(cursor: string, list: string, pattern: RegExp): string {
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
  return parsed.data.after;
}
