import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from '../../db/pg/queryable.ts';
import type { ServerDatabase } from '../../server/database.ts';
import type { PushResponse } from '../../shared/sync/protocol.ts';
import { customerInput } from '../support/fixtures.ts';
import { envelope, pushBody, startTestServer, type TestServer } from './support.ts';

/**
 * A push commits a run of one client's mutations in one transaction, each in a savepoint of its
 * own (server/sync/push.ts, processGroup). What each mutation means must not change: one the rules
 * refuse, or that fails on the server, rolls back alone; a transient failure anywhere consumes
 * none of the group.
 */

/** A batch the test wants to go wrong: which one, and how. */
interface Sabotage {
  matches(statements: string[]): boolean;
  /** `extra`: statements run just before the batch's last (its RELEASE); `throw`: the batch fails before it reaches the database. */
  act: { extra: string[] } | { throw: () => Error };
  times: number;
}

let sabotage: Sabotage | null = null;

function sabotaged(db: ServerDatabase): ServerDatabase {
  const wrap = (tx: Transaction): Transaction => ({
    query: (text, params) => tx.query(text, params),
    batch: (statements) => {
      const s = sabotage;
      if (!s || s.times === 0 || !s.matches(statements)) return tx.batch(statements);
      s.times--;
      if ('throw' in s.act) return Promise.reject(s.act.throw());
      return tx.batch([...statements.slice(0, -1), ...s.act.extra, ...statements.slice(-1)]);
    },
    finish: (statements) => tx.finish(statements),
  });
  return { ...db, query: (text, params) => db.query(text, params), transaction: (work, options) => db.transaction((tx) => work(wrap(tx)), options) };
}

function serializationFailure(): Error {
  return Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
}

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ wrapDb: sabotaged });
  token = (await server.login('ada@lonestar.test')).accessToken;
});
afterAll(async () => {
  await server.close();
});

const mentions = (text: string) => (statements: string[]) => statements.some((s) => s.includes(text));

function creates(clientId: string, emails: string[]) {
  return emails.map((email, i) => envelope(clientId, i + 1, 'customers.create', { ...customerInput({ email }), id: uuidv7() }, server.adminId));
}

async function lastMutationId(clientId: string): Promise<number> {
  const { rows } = await server.db.query<{ last_mutation_id: string | number }>('SELECT last_mutation_id FROM sync_clients WHERE client_id = $1', [clientId]);
  return Number(rows[0]?.last_mutation_id ?? 0);
}

describe('a group of mutations in one transaction', () => {
  it('rolls back the writes of a mutation that fails on the server, and only those; the rest apply, all under one version', async () => {
    const clientId = uuidv7();
    const mutations = creates(clientId, ['g1-a@acme.test', 'g1-b@acme.test', 'g1-c@acme.test']);
    // The second customer's row reaches the database, then a statement after it fails.
    sabotage = { matches: (s) => s.some((x) => x.startsWith('INSERT INTO "customers"') && x.includes('g1-b@acme.test')), act: { extra: ['SELECT 1 / 0'] }, times: 1 };
    const r = await server.post<PushResponse>('/api/v1/sync/push', pushBody(uuidv7(), mutations), token);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => [x.id, x.status, x.code])).toEqual([
      [1, 'applied', undefined],
      [2, 'rejected', 'INTERNAL'],
      [3, 'applied', undefined],
    ]);
    expect(sabotage.times).toBe(0);
    expect(await server.count("customers WHERE email LIKE 'g1-%@acme.test'")).toBe(2);
    expect(await server.count("customers WHERE email = 'g1-b@acme.test'")).toBe(0);
    const { rows: audits } = await server.db.query<{ mutation_id: string | number }>('SELECT mutation_id FROM audit_log WHERE client_id = $1 ORDER BY mutation_id', [clientId]);
    expect(audits.map((a) => Number(a.mutation_id))).toEqual([1, 3]);
    const { rows: results } = await server.db.query<{ version: string | number }>('SELECT DISTINCT version FROM mutation_results WHERE client_id = $1', [clientId]);
    expect(results).toHaveLength(1);
    expect(await lastMutationId(clientId)).toBe(3);
  });

  it('names an earlier mutation of the same group as the one that changed the record first', async () => {
    const clientId = uuidv7();
    const id = uuidv7();
    const input = customerInput({ email: 'g2@acme.test' });
    const r = await server.post<PushResponse>(
      '/api/v1/sync/push',
      pushBody(uuidv7(), [
        envelope(clientId, 1, 'customers.create', { ...input, id }, server.adminId),
        envelope(clientId, 2, 'customers.update', { ...input, notes: 'First edit', id, expectedVersion: 1 }, server.adminId),
        // Made offline on the same desk before the first edit was known: stale.
        envelope(clientId, 3, 'customers.update', { ...input, notes: 'Second edit', id, expectedVersion: 1 }, server.adminId),
      ]),
      token,
    );
    expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'applied', 'rejected']);
    expect(r.body.results[2]).toMatchObject({ code: 'STALE_VERSION', conflict: { rowId: id, changedBy: 'Ada Admin', mutationName: 'customers.update' } });
    const { rows } = await server.db.query<{ notes: string }>('SELECT notes FROM customers WHERE id = $1', [id]);
    expect(rows[0]?.notes).toBe('First edit');
  });

  it('consumes nothing when a transient failure hits its third mutation, and applies all three once when it runs again', async () => {
    const clientId = uuidv7();
    const mutations = creates(clientId, ['g3-a@acme.test', 'g3-b@acme.test', 'g3-c@acme.test']);
    sabotage = { matches: mentions("'g3-c@acme.test'"), act: { throw: serializationFailure }, times: 1 };
    const r = await server.post<PushResponse>('/api/v1/sync/push', pushBody(uuidv7(), mutations), token);
    expect(sabotage.times).toBe(0);
    expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await server.count("customers WHERE email LIKE 'g3-%@acme.test'")).toBe(3);
    expect(await server.count(`audit_log WHERE client_id = '${clientId}'`)).toBe(3);
    expect(await server.count(`mutation_results WHERE client_id = '${clientId}'`)).toBe(3);
  });

  it('consumes nothing while the failure lasts: the push answers 503 and the whole group is left to send again', async () => {
    const clientId = uuidv7();
    const group = uuidv7();
    const mutations = creates(clientId, ['g4-a@acme.test', 'g4-b@acme.test', 'g4-c@acme.test']);
    sabotage = { matches: mentions("'g4-c@acme.test'"), act: { throw: serializationFailure }, times: 100 };
    const r = await server.post<{ error: { code: string } }>('/api/v1/sync/push', pushBody(group, mutations), token);
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('TRY_LATER');
    expect(await server.count("customers WHERE email LIKE 'g4-%@acme.test'")).toBe(0);
    expect(await server.count(`mutation_results WHERE client_id = '${clientId}'`)).toBe(0);
    expect(await lastMutationId(clientId)).toBe(0);

    sabotage = null;
    const again = await server.post<PushResponse>('/api/v1/sync/push', pushBody(group, mutations), token);
    expect(again.body.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await server.count("customers WHERE email LIKE 'g4-%@acme.test'")).toBe(3);
  });

  it('answers the part already processed from the stored results and applies the rest, when a desktop resends a group it lost the answer to', async () => {
    const clientId = uuidv7();
    const group = uuidv7();
    const mutations = creates(clientId, ['g5-a@acme.test', 'g5-b@acme.test', 'g5-c@acme.test', 'g5-d@acme.test', 'g5-e@acme.test']);
    await server.post<PushResponse>('/api/v1/sync/push', pushBody(group, mutations.slice(0, 3)), token);
    const r = await server.post<PushResponse>('/api/v1/sync/push', pushBody(group, mutations), token);
    expect(r.body.results.map((x) => [x.id, x.status])).toEqual([
      [1, 'alreadyProcessed'],
      [2, 'alreadyProcessed'],
      [3, 'alreadyProcessed'],
      [4, 'applied'],
      [5, 'applied'],
    ]);
    expect(await server.count("customers WHERE email LIKE 'g5-%@acme.test'")).toBe(5);
    expect(await lastMutationId(clientId)).toBe(5);
  });
});
