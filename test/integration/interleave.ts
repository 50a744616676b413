// Interleavings for race tests: a barrier that lines concurrent callers up at one step, and a table
// whose commands pass through a hook first (to wait at a barrier, or to fail as a fault would).
import type { Table } from '../../shared/store/table.ts';

/** Resolves for everyone once `parties` callers wait on it: lines deliveries up at one step. */
export function barrier(parties: number): () => Promise<void> {
  let waiting = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return () => {
    waiting++;
    if (waiting === parties) open();
    return opened;
  };
}

/** The table, with `before` run ahead of each command it is asked to send. */
export function intercepted(table: Table, before: (command: object) => Promise<void> | void): Table {
  const send = (command: object) =>
    Promise.resolve(before(command)).then(() => table.db.send(command as never));
  // A proxy of the real client: the SDK's paginator checks what client it is given.
  const db = new Proxy(table.db, {
    get: (target, property, receiver) =>
      property === 'send' ? send : Reflect.get(target, property, receiver),
  });
  return { ...table, db };
}
