import { Database } from '../src/core/database/database.service';
import { ItemsEventBus } from '../src/core/events/items-event-bus';
import type { MutationEvent } from '../src/core/events/items-events';
import { admin, collection } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';

/**
 * After-commit listeners run outside the writer's database scope (Database.afterCommit): a listener that reads the
 * database after a write sends its own statements, whether the write ran in a transaction or as one statement under
 * Database.autocommit() (where a second statement of the WRITER throws before it is sent).
 */

let t: TestApp;
let db: Database;
let bus: ItemsEventBus;
const offs: (() => void)[] = [];

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.get(Database);
  bus = t.app.get(ItemsEventBus);
  await collection(t, 'notes', [{ field: 'title', type: 'string' }]);
  // No change capture for the collection: nothing but the write itself runs before the commit.
  await admin(t, 'patch', '/collections/notes', { meta: { accountability: null } });
});

afterEach(() => offs.splice(0).forEach((off) => off()));
afterAll(() => t.close());

interface Seen {
  readonly action: string;
  readonly keys: readonly unknown[];
  readonly inTransaction: boolean;
  readonly rows: unknown;
}

/** A listener that reads the written rows back through Database.query (and then writes in a transaction of its own). */
function readingListener(seen: Seen[], failures: string[]): (event: MutationEvent) => Promise<void> {
  return async (event) => {
    if (event.collection !== 'notes') return;
    try {
      const inTransaction = db.inTransaction;
      const rows = await db.query('SELECT "id", "title" FROM "notes" WHERE "id" = ANY($1) ORDER BY "id"', [event.keys]);
      await db.query('SELECT 1');
      await db.transaction(async () => void (await db.query('SELECT 2')));
      seen.push({ action: event.action, keys: event.keys, inTransaction, rows });
    } catch (error) {
      failures.push(String(error));
    }
  };
}

async function settle(seen: unknown[], n: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (seen.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

it('a listener that reads the database after a one-statement write (autocommit) runs its own statements', async () => {
  const seen: Seen[] = [];
  const failures: string[] = [];
  offs.push(bus.afterCommit(readingListener(seen, failures)));
  // One statement: the admin's one-item create with its re-read folded in, under Database.autocommit().
  const created = await t.http.post('/items/notes').set(t.admin).send({ title: 'one' });
  await settle(seen, 1);
  expect({ status: created.status, body: created.body as unknown }).toEqual({
    status: 200,
    body: { data: { id: 1, title: 'one' } },
  });
  expect(failures).toEqual([]);
  expect(seen).toEqual([{ action: 'create', keys: [1], inTransaction: false, rows: [{ id: 1, title: 'one' }] }]);

  const patched = await t.http.patch('/items/notes/1').set(t.admin).send({ title: 'two' });
  await settle(seen, 2);
  expect({ status: patched.status, body: patched.body as unknown }).toEqual({
    status: 200,
    body: { data: { id: 1, title: 'two' } },
  });
  expect(failures).toEqual([]);
  expect(seen[1]).toEqual({ action: 'update', keys: [1], inTransaction: false, rows: [{ id: 1, title: 'two' }] });
});

it('the one-statement write itself is still one statement (the listener does not run inside it)', async () => {
  const seen: Seen[] = [];
  const failures: string[] = [];
  // Without a listener: the write's own statement count.
  const alone = await t.countStatements(() => t.http.post('/items/notes').set(t.admin).send({ title: 'alone' }));
  expect(alone).toBe(1);
  offs.push(bus.afterCommit(readingListener(seen, failures)));
  await t.http.post('/items/notes').set(t.admin).send({ title: 'heard' });
  await settle(seen, 1);
  expect(failures).toEqual([]);
  expect(seen).toEqual([{ action: 'create', keys: [3], inTransaction: false, rows: [{ id: 3, title: 'heard' }] }]);
});

it('a listener after a transactional write (several items) reads outside the finished transaction', async () => {
  const seen: Seen[] = [];
  const failures: string[] = [];
  offs.push(bus.afterCommit(readingListener(seen, failures)));
  const res = await t.http
    .post('/items/notes')
    .set(t.admin)
    .send([{ title: 'a' }, { title: 'b' }]);
  await settle(seen, 1);
  expect(res.status).toBe(200);
  expect(failures).toEqual([]);
  expect(seen).toEqual([
    {
      action: 'create',
      keys: [4, 5],
      inTransaction: false,
      rows: [
        { id: 4, title: 'a' },
        { id: 5, title: 'b' },
      ],
    },
  ]);
});

it('Database.afterCommit outside any scope runs the callback right away, inside autocommit outside its scope', async () => {
  const order: string[] = [];
  await db.autocommit(async () => {
    await db.query('SELECT 1');
    db.afterCommit(() => {
      order.push('callback');
      void db
        .query('SELECT 2')
        .then(() => order.push('its own statement'))
        .catch((error: unknown) => order.push(String(error)));
    });
    // The writer's own second statement still throws.
    await expect(db.query('SELECT 3')).rejects.toThrow('a second statement inside Database.autocommit()');
  });
  await settle(order, 2);
  expect(order).toEqual(['callback', 'its own statement']);
});
