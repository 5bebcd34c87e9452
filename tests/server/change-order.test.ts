import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../db/pg/queryable.ts';
import { CHANGE_VERSION_SQL } from '../../server/sync/change-order.ts';
import { rowChanges, SCHEMA_VERSION, type PullResponse, type PushResponse, type Tokens } from '../../shared/sync/protocol.ts';
import { customerInput } from '../support/fixtures.ts';
import { caughtUpCookie, envelope, pushBody, startTestServer, type TestServer } from './support.ts';

/**
 * No pull may skip a change (sync-anchors §11.6): change versions are transaction ids, handed out
 * when a transaction first writes, so a transaction with a lower id can commit after one with a
 * higher id. These tests hold such a transaction open and check what pulls see meanwhile. They need
 * transactions side by side, so they run in full on PostgreSQL (DATABASE_URL, as in CI); PGlite
 * has one connection and checks what it can.
 */

let server: TestServer;
let admin: Tokens;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login('ada@lonestar.test');
});
afterAll(async () => {
  await server.close();
});

/** The workstation every push and pull here comes from (last-mutation-ids are per workstation). */
const group = randomUUID();

async function pull(cookie: number): Promise<PullResponse> {
  const r = await server.post<PullResponse>('/api/v1/sync/pull', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie }, admin.accessToken);
  if (r.status !== 200) throw new Error(`pull: ${String(r.status)} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** One customers.create from a client of its own, applied. */
async function pushCustomer(): Promise<{ clientId: string; customerId: string }> {
  const clientId = randomUUID();
  const customerId = randomUUID();
  const r = await server.post<PushResponse>(
    '/api/v1/sync/push',
    pushBody(group, [envelope(clientId, 1, 'customers.create', { ...customerInput({ email: `${customerId}@acme.test` }), id: customerId }, server.adminId)]),
    admin.accessToken,
  );
  expect(r.body.results.map((x) => x.status)).toEqual(['applied']);
  return { clientId, customerId };
}

const idsOf = (page: PullResponse) => rowChanges(page.changes).map((c) => (c.op === 'put' ? String(c.row.id) : c.id));

/** A change written the way a mutation writes one, inside `tx`: a workspace row renamed, and its change-log entry. */
async function renameWorkspace(tx: Queryable, name: string): Promise<{ id: string; version: number }> {
  const { rows } = await tx.query<{ id: string }>('UPDATE workspaces SET name = $1 RETURNING id', [name]);
  const id = rows[0]?.id ?? '';
  const logged = await tx.query<{ version: string | number }>(
    `INSERT INTO change_log (entity, row_id, op, version) VALUES ('workspaces', $1, 'put', ${CHANGE_VERSION_SQL})
     ON CONFLICT (entity, row_id) DO UPDATE SET op = excluded.op, version = excluded.version RETURNING version`,
    [id],
  );
  return { id, version: Number(logged.rows[0]?.version) };
}

/** Runs `work` inside a transaction that stays open until `finish` is called. */
function openTransaction<T>(work: (tx: Queryable) => Promise<T>): { started: Promise<T>; finish: (outcome: 'commit' | 'rollback') => Promise<void> } {
  let release: (outcome: 'commit' | 'rollback') => void = () => undefined;
  const decided = new Promise<'commit' | 'rollback'>((resolve) => (release = resolve));
  let began: (value: T) => void = () => undefined;
  const started = new Promise<T>((resolve) => (began = resolve));
  const done = server.db
    .transaction(async (tx) => {
      began(await work(tx));
      if ((await decided) === 'rollback') throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return {
    started,
    finish: async (outcome) => {
      release(outcome);
      await done;
    },
  };
}
class RolledBack extends Error {}

describe('change order', () => {
  it('holds back a later commit while an earlier transaction is still open, then sends both', async () => {
    const start = await caughtUpCookie(server.db);
    if (server.db.kind === 'pglite') {
      // One connection: every transaction has ended before the next begins, so each change is
      // below the horizon of the next pull, and that pull's cookie covers it.
      const { customerId, clientId } = await pushCustomer();
      const page = await pull(start);
      expect(idsOf(page)).toContain(customerId);
      expect(page.lastMutationIds[clientId]).toBe(1);
      return;
    }
    // A transaction takes its id (a workspace renamed), and stays open...
    const slow = openTransaction((tx) => renameWorkspace(tx, 'Lone Star Logistics (renamed)'));
    const renamed = await slow.started;
    // ...while a push with a higher id commits.
    const { customerId, clientId } = await pushCustomer();
    const { rows } = await server.db.query<{ version: string | number }>("SELECT version FROM change_log WHERE entity = 'customers' AND row_id = $1", [customerId]);
    expect(Number(rows[0]?.version)).toBeGreaterThan(renamed.version);

    // A pull now sends neither, and its cookie stays below the open transaction's id, so the next
    // pull still asks for both. Nor does it report the push's mutation as done.
    const held = await pull(start);
    expect(idsOf(held)).not.toContain(customerId);
    expect(idsOf(held)).not.toContain(renamed.id);
    expect(held.cookie).toBeLessThan(renamed.version);
    expect(held.lastMutationIds[clientId]).toBeUndefined();

    await slow.finish('commit');
    const after = await pull(held.cookie);
    expect(idsOf(after)).toEqual(expect.arrayContaining([renamed.id, customerId]));
    expect(after.lastMutationIds[clientId]).toBe(1);
    expect(after.cookie).toBeGreaterThanOrEqual(Number(rows[0]?.version));
  });

  it('moves on past a transaction that rolls back, sending nothing of it', async () => {
    const start = await caughtUpCookie(server.db);
    if (server.db.kind === 'pglite') {
      await expect(
        server.db.transaction(async (tx) => {
          await renameWorkspace(tx, 'Never happened');
          throw new RolledBack();
        }),
      ).rejects.toBeInstanceOf(RolledBack);
      const page = await pull(start);
      expect(page.changes).toEqual([]);
      return;
    }
    const doomed = openTransaction((tx) => renameWorkspace(tx, 'Never happened'));
    const { version } = await doomed.started;
    const { customerId } = await pushCustomer();
    expect(idsOf(await pull(start))).not.toContain(customerId);
    await doomed.finish('rollback');
    const page = await pull(start);
    expect(idsOf(page)).toEqual([customerId]);
    expect(page.cookie).toBeGreaterThan(version);
    const { rows } = await server.db.query<{ name: string }>('SELECT name FROM workspaces');
    expect(rows.map((r) => r.name)).not.toContain('Never happened');
  });

  it('is not held back by a transaction in another database of the same PostgreSQL', async () => {
    const start = await caughtUpCookie(server.db);
    const url = process.env.DATABASE_URL;
    if (server.db.kind === 'pglite' || !url) {
      // PGlite is a database of its own: nothing outside it can hold it back.
      const { customerId } = await pushCustomer();
      expect(idsOf(await pull(start))).toContain(customerId);
      return;
    }
    const elsewhere = new pg.Client({ connectionString: url });
    await elsewhere.connect();
    try {
      await elsewhere.query('BEGIN');
      const other = await elsewhere.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
      const { customerId } = await pushCustomer();
      const page = await pull(start);
      expect(idsOf(page)).toContain(customerId);
      expect(page.cookie).toBeGreaterThan(Number(other.rows[0]?.xid));
    } finally {
      await elsewhere.query('ROLLBACK');
      await elsewhere.end();
    }
  });
});
