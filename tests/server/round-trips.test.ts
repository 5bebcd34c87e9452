import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgTxPort } from '../../db/pg/port.ts';
import type { Transaction } from '../../db/pg/queryable.ts';
import type { ServerDatabase } from '../../server/database.ts';
import { customerRowSchema, type CustomerRow } from '../../shared/domain/customers/schema.ts';
import { SCHEMA_VERSION, type PullResponse, type PushResponse } from '../../shared/sync/protocol.ts';
import { customerInput } from '../support/fixtures.ts';
import { envelope, pushBody, startTestServer, type TestServer } from './support.ts';

/**
 * A push's cost on a busy server is its round trips to the database, so the port sends statements
 * together (db/pg/port.ts): the claim on the client's sequence rides with the group's first reads,
 * each mutation's savepoint with its own first reads, reads asked for at once share a round trip,
 * and what the group leaves goes with the COMMIT.
 * These tests count the round trips, and check that sending things together changes no outcome.
 */

type Trip = 'query' | 'batch' | 'finish';

/** The database as the app sees it, with every transaction's round trips written down, and the statements sent outside any. */
function recording(db: ServerDatabase, transactions: Trip[][], outside: string[]): ServerDatabase {
  return {
    ...db,
    query: (text, params) => (outside.push(text), db.query(text, params)),
    transaction: (work, options) =>
      db.transaction((tx) => {
        const trips: Trip[] = [];
        transactions.push(trips);
        return work(recordTrips(tx, trips));
      }, options),
  };
}

function recordTrips(tx: Transaction, trips: Trip[]): Transaction {
  return {
    query: (text, params) => (trips.push('query'), tx.query(text, params)),
    batch: (statements) => (trips.push('batch'), tx.batch(statements)),
    finish: (statements) => (trips.push('finish'), tx.finish(statements)),
  };
}

let server: TestServer;
const transactions: Trip[][] = [];
const outside: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ wrapDb: (db) => recording(db, transactions, outside) });
});
afterAll(async () => {
  await server.close();
});

const services = (roles: ('ADMIN' | 'DISPATCHER')[] = ['ADMIN']) => ({
  actor: { userId: uuidv7(), roles },
  now: () => '2026-12-02T10:00:00.000Z',
  newId: () => uuidv7(),
  seal: (s: string) => s,
});

describe('round trips of a push', () => {
  it("customers.create in a group takes one each: the one before's row, its savepoint and both lookups (the first with the claim); the last one's row goes with the group's records and the COMMIT", async () => {
    const tokens = await server.login('ada@lonestar.test');
    const clientId = uuidv7();
    const group = uuidv7();
    const creates = (ids: number[]) => ids.map((id) => envelope(clientId, id, 'customers.create', { ...customerInput({ email: `trip${String(id)}@acme.test` }), id: uuidv7() }, server.adminId));
    transactions.length = 0;
    const first = await server.post<PushResponse>('/api/v1/sync/push', pushBody(group, creates([1, 2, 3])), tokens.accessToken);
    expect(first.body.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
    // A new workstation: the group's first round trip finds it unregistered and rolls back; it is
    // registered in a transaction of its own; then the group runs.
    expect(transactions[0]).toEqual(['batch']);
    expect(transactions.at(-1)).toEqual(['batch', 'batch', 'batch', 'finish']);
    expect(first.body.lastMutationIds).toEqual({ [clientId]: 3 });

    // Known now: the sign-in's lookup of the user, then one transaction, and nothing else.
    transactions.length = 0;
    outside.length = 0;
    const second = await server.post<PushResponse>('/api/v1/sync/push', pushBody(group, creates([4, 5, 6])), tokens.accessToken);
    expect(second.body.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
    expect(transactions).toEqual([['batch', 'batch', 'batch', 'finish']]);
    expect(outside).toHaveLength(1);
    expect(second.body.lastMutationIds).toEqual({ [clientId]: 6 });
    expect(await server.count("customers WHERE email LIKE 'trip%@acme.test'")).toBe(6);
  });

  it('a mutation sent again is answered from its claim, without writing anything', async () => {
    const tokens = await server.login('ada@lonestar.test');
    const clientId = uuidv7();
    const group = uuidv7();
    const mutation = envelope(clientId, 1, 'customers.create', { ...customerInput({ email: 'again@acme.test' }), id: uuidv7() }, server.adminId);
    await server.post<PushResponse>('/api/v1/sync/push', pushBody(group, [mutation]), tokens.accessToken);
    transactions.length = 0;
    const again = await server.post<PushResponse>('/api/v1/sync/push', pushBody(group, [mutation]), tokens.accessToken);
    expect(again.body.results).toEqual([expect.objectContaining({ id: 1, status: 'alreadyProcessed', name: 'customers.create' })]);
    expect(transactions).toEqual([['batch']]);
    expect(await server.count("customers WHERE email = 'again@acme.test'")).toBe(1);
  });

  it('a role the actor loses within a push applies to the mutations after it, though its claim comes after the rules ran', async () => {
    await server.addUser('bea@lonestar.test', ['ADMIN']);
    const tokens = await server.login('bea@lonestar.test');
    const bea = (await server.db.query<{ id: string; version: string | number }>("SELECT id, version FROM users WHERE email = 'bea@lonestar.test'")).rows[0];
    if (!bea) throw new Error('no Bea');
    const clientId = uuidv7();
    const r = await server.post<PushResponse>(
      '/api/v1/sync/push',
      pushBody(uuidv7(), [
        envelope(clientId, 1, 'users.update', { id: bea.id, expectedVersion: Number(bea.version), name: 'Bea', roles: ['DISPATCHER'], active: true }, bea.id),
        // Checked against ADMIN (as the push began) before its claim went out; it must be refused.
        envelope(clientId, 2, 'customers.create', { ...customerInput({ email: 'late-admin@acme.test' }), id: uuidv7() }, bea.id),
      ]),
      tokens.accessToken,
    );
    expect(r.body.results.map((x) => [x.status, x.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'NOT_AUTHORIZED'],
    ]);
    expect(await server.count("customers WHERE email = 'late-admin@acme.test'")).toBe(0);
  });
});

describe('round trips of a pull', () => {
  it('takes one, with its COMMIT, however many tables the page touches: the horizon, the workstation\'s owner, the end of the page, the results and the rows travel together', async () => {
    const tokens = await server.login('ada@lonestar.test');
    const group = uuidv7();
    const clientId = uuidv7();
    const first = await server.post<PullResponse>('/api/v1/sync/pull', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie: null }, tokens.accessToken);
    await server.post<PushResponse>(
      '/api/v1/sync/push',
      pushBody(group, [envelope(clientId, 1, 'customers.create', { ...customerInput({ email: 'pulled@acme.test' }), id: uuidv7() }, server.adminId)]),
      tokens.accessToken,
    );
    transactions.length = 0;
    outside.length = 0;
    const next = await server.post<PullResponse>(
      '/api/v1/sync/pull',
      { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie: first.body.cookie, scope: first.body.scope },
      tokens.accessToken,
    );
    expect(next.body.changes.map((c) => c.op === 'put' && c.table)).toContain('customers');
    expect(next.body.lastMutationIds).toEqual({ [clientId]: 1 });
    expect(transactions).toEqual([['finish']]);
    // Outside it, only the sign-in's user lookup: the workstation's owner is read with the page.
    expect(outside).toHaveLength(1);
  });
});

describe('the PostgreSQL port', () => {
  it('sends reads asked for at once in one round trip, after the writes waiting and the prelude, which sees first', async () => {
    const trips: Trip[] = [];
    const seen: string[] = [];
    const at = '2026-12-02T10:00:00.000Z';
    const row: CustomerRow = customerRowSchema.parse({
      ...customerInput({ email: 'port@acme.test' }),
      ...{ id: uuidv7(), contacts: [], shippingAddress: null, notes: null, status: 'ACTIVE', createdAt: at, updatedAt: at, version: 1 },
    });
    await expect(
      server.db.transaction(async (tx) => {
        const port = new PgTxPort(recordTrips(tx, trips), services(), {
          statements: ['SELECT 41 + 1 AS answer'],
          check: ([rows]) => void seen.push(`prelude ${String(rows?.[0]?.answer)}`),
        });
        await port.insert('customers', row);
        const [missing, byEmail] = await Promise.all([
          port.get('customers', uuidv7()).then((r) => (seen.push('get'), r)),
          port.findBy('customers', 'email', 'port@acme.test').then((r) => (seen.push('findBy'), r)),
        ]);
        // The insert went before the reads, in the same round trip.
        expect(missing).toBeUndefined();
        expect(byEmail.map((c) => c.id)).toEqual([row.id]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(trips).toEqual(['batch']);
    expect(seen).toEqual(['prelude 42', 'get', 'findBy']);
    expect(await server.count("customers WHERE email = 'port@acme.test'")).toBe(0);
  });

  it("fails every read of the round trip when the prelude's check fails", async () => {
    const results = await server.db.transaction(async (tx) => {
      const port = new PgTxPort(tx, services(), {
        statements: ['SELECT 1'],
        check: () => {
          throw new Error('not next');
        },
      });
      return Promise.allSettled([port.get('customers', uuidv7()), port.count('customers')]);
    });
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'answered'))).toEqual(['Error: not next', 'Error: not next']);
  });

  it('sends the prelude on its own, with the writes waiting, when the mutation read nothing; and only once', async () => {
    const trips: Trip[] = [];
    let checks = 0;
    await server.db.transaction(async (tx) => {
      const port = new PgTxPort(recordTrips(tx, trips), services(), { statements: ['SELECT 1'], check: () => {
        checks++;
      } });
      await port.sendPrelude();
      await port.sendPrelude();
      expect(await port.count('workspaces')).toBe(1);
      await port.sendPrelude();
    });
    expect(trips).toEqual(['batch', 'batch']);
    expect(checks).toBe(1);
  });
});
