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

/** A batch the test wants to go wrong: the one with a statement that matches, and how. */
interface Sabotage {
  matches(statement: string): boolean;
  /** `after`: statements run right after the matching one; `throw`: the batch fails before it reaches the database. */
  act: { after: string[] } | { throw: () => Error };
  times: number;
}

let sabotage: Sabotage | null = null;

function sabotaged(db: ServerDatabase): ServerDatabase {
  const send = <T,>(statements: string[], next: (statements: string[]) => Promise<T>): Promise<T> => {
    const s = sabotage;
    const at = s && s.times > 0 ? statements.findIndex((x) => s.matches(x)) : -1;
    if (!s || at < 0) return next(statements);
    s.times--;
    if ('throw' in s.act) return Promise.reject(s.act.throw());
    return next([...statements.slice(0, at + 1), ...s.act.after, ...statements.slice(at + 1)]);
  };
  const wrap = (tx: Transaction): Transaction => ({
    query: (text, params) => tx.query(text, params),
    batch: (statements) => send(statements, (x) => tx.batch(x)),
    finish: (statements) => send(statements, (x) => tx.finish(x)),
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

const mentions = (text: string) => (statement: string) => statement.includes(text);
const insertsCustomer = (email: string) => (statement: string) => statement.startsWith('INSERT INTO "customers"') && statement.includes(`'${email}'`);

function creates(clientId: string, emails: string[]) {
  return emails.map((email, i) => envelope(clientId, i + 1, 'customers.create', { ...customerInput({ email }), id: uuidv7() }, server.adminId));
}

async function lastMutationId(clientId: string): Promise<number> {
  const { rows } = await server.db.query<{ last_mutation_id: string | number }>('SELECT last_mutation_id FROM sync_clients WHERE client_id = $1', [clientId]);
  return Number(rows[0]?.last_mutation_id ?? 0);
}

describe('a group of mutations in one transaction', () => {
  it('rolls back the writes of a mutation that fails on the server, and only those; the rest apply, all under one version', async () => {
    // The second customer's row travels with the third's first reads; a statement right after
    // the row fails, so the third's savepoint is never reached. It is the second that failed.
    await expectOnlySecondRefused('g1', (email) => ({ matches: insertsCustomer(email), act: { after: ['SELECT 1 / 0'] }, times: 1 }));
  });

  it("tells the failure of a mutation's own statements from that of the writes before them in the same round trip", async () => {
    // The second customer's own lookup fails: its savepoint was reached, so the first's row went through.
    await expectOnlySecondRefused('g2', (email) => ({ matches: mentions(`"email" = '${email}'`), act: { after: ['SELECT 1 / 0'] }, times: 1 }));
  });

  async function expectOnlySecondRefused(prefix: string, sabotageOf: (email: string) => Sabotage): Promise<void> {
    const clientId = uuidv7();
    const emails = ['a', 'b', 'c'].map((x) => `${prefix}-${x}@acme.test`);
    sabotage = sabotageOf(emails[1]!);
    const r = await server.post<PushResponse>('/api/v1/sync/push', pushBody(uuidv7(), creates(clientId, emails)), token);
    expect(r.status).toBe(200);
    expect(sabotage.times).toBe(0);
    expect(r.body.results.map((x) => [x.id, x.status, x.code])).toEqual([
      [1, 'applied', undefined],
      [2, 'rejected', 'INTERNAL'],
      [3, 'applied', undefined],
    ]);
    expect(await server.count(`customers WHERE email LIKE '${prefix}-%@acme.test'`)).toBe(2);
    expect(await server.count(`customers WHERE email = '${emails[1]!}'`)).toBe(0);
    const { rows: audits } = await server.db.query<{ mutation_id: string | number }>('SELECT mutation_id FROM audit_log WHERE client_id = $1 ORDER BY mutation_id', [clientId]);
    expect(audits.map((a) => Number(a.mutation_id))).toEqual([1, 3]);
    const { rows: results } = await server.db.query<{ version: string | number }>('SELECT DISTINCT version FROM mutation_results WHERE client_id = $1', [clientId]);
    expect(results).toHaveLength(1);
    expect(await lastMutationId(clientId)).toBe(3);
  }

  it('runs a mutation again when its carried row hits a unique value another desktop took first, and refuses it as a duplicate when that keeps happening', async () => {
    // Another desktop's row taking the email between the lookup and the write looks, to this
    // transaction, like a unique violation on the round trip that carries the row.
    const uniqueViolation = () => Object.assign(new Error('duplicate key value violates unique constraint "customers_email_unique"'), { code: '23505' });
    for (const [prefix, times, second, hit] of [
      ['g3', 1, 'applied', 1],
      ['g4', 100, 'rejected', 1],
      // The last one's row goes with the group's records and the COMMIT.
      ['g10', 1, 'applied', 2],
      ['g11', 100, 'rejected', 2],
    ] as const) {
      const clientId = uuidv7();
      const emails = ['a', 'b', 'c'].map((x) => `${prefix}-${x}@acme.test`);
      sabotage = { matches: insertsCustomer(emails[hit]!), act: { throw: uniqueViolation }, times };
      const r = await server.post<PushResponse>('/api/v1/sync/push', pushBody(uuidv7(), creates(clientId, emails)), token);
      const expected = [1, 2, 3].map((id) => [id, 'applied', undefined] as [number, string, string | undefined]);
      if (second === 'rejected') expected[hit] = [hit + 1, 'rejected', 'DUPLICATE'];
      expect(r.body.results.map((x) => [x.id, x.status, x.code]), prefix).toEqual(expected);
      expect(await server.count(`customers WHERE email LIKE '${prefix}-%@acme.test'`)).toBe(second === 'applied' ? 3 : 2);
      const { rows: audits } = await server.db.query<{ mutation_id: string | number }>('SELECT mutation_id FROM audit_log WHERE client_id = $1 ORDER BY mutation_id', [clientId]);
      expect(audits.map((a) => Number(a.mutation_id))).toEqual([1, 2, 3].filter((id) => second === 'applied' || id !== hit + 1));
      expect(await lastMutationId(clientId)).toBe(3);
    }
  });

  it('names an earlier mutation of the same group as the one that changed the record first', async () => {
    const clientId = uuidv7();
    const id = uuidv7();
    const input = customerInput({ email: 'g9@acme.test' });
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
    const mutations = creates(clientId, ['g7-a@acme.test', 'g7-b@acme.test', 'g7-c@acme.test']);
    sabotage = { matches: mentions("'g7-c@acme.test'"), act: { throw: serializationFailure }, times: 1 };
    const r = await server.post<PushResponse>('/api/v1/sync/push', pushBody(uuidv7(), mutations), token);
    expect(sabotage.times).toBe(0);
    expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await server.count("customers WHERE email LIKE 'g7-%@acme.test'")).toBe(3);
    expect(await server.count(`audit_log WHERE client_id = '${clientId}'`)).toBe(3);
    expect(await server.count(`mutation_results WHERE client_id = '${clientId}'`)).toBe(3);
  });

  it('consumes nothing while the failure lasts: the push answers 503 and the whole group is left to send again', async () => {
    const clientId = uuidv7();
    const group = uuidv7();
    const mutations = creates(clientId, ['g8-a@acme.test', 'g8-b@acme.test', 'g8-c@acme.test']);
    sabotage = { matches: mentions("'g8-c@acme.test'"), act: { throw: serializationFailure }, times: 100 };
    const r = await server.post<{ error: { code: string } }>('/api/v1/sync/push', pushBody(group, mutations), token);
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('TRY_LATER');
    expect(await server.count("customers WHERE email LIKE 'g8-%@acme.test'")).toBe(0);
    expect(await server.count(`mutation_results WHERE client_id = '${clientId}'`)).toBe(0);
    expect(await lastMutationId(clientId)).toBe(0);

    sabotage = null;
    const again = await server.post<PushResponse>('/api/v1/sync/push', pushBody(group, mutations), token);
    expect(again.body.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await server.count("customers WHERE email LIKE 'g8-%@acme.test'")).toBe(3);
  });

  it.each([
    ['the disk is full', '53100'],
    ['the server is out of memory', '53200'],
    ['a statement timed out', '57014'],
    ['an I/O error', '58030'],
    ['the connection broke', '08006'],
  ])('consumes nothing when %s (SQLSTATE %s): 503, and the mutation applies when sent again', async (_what, code) => {
    const clientId = uuidv7();
    const group = uuidv7();
    const email = `g9-${code.toLowerCase()}@acme.test`;
    const mutations = creates(clientId, [email]);
    sabotage = { matches: mentions(`'${email}'`), act: { throw: () => Object.assign(new Error(`failure ${code}`), { code }) }, times: 100 };
    const r = await server.post<{ error: { code: string } }>('/api/v1/sync/push', pushBody(group, mutations), token);
    expect(r.status).toBe(503);
    expect(await server.count(`mutation_results WHERE client_id = '${clientId}'`)).toBe(0);
    sabotage = null;
    const again = await server.post<PushResponse>('/api/v1/sync/push', pushBody(group, mutations), token);
    expect(again.body.results.map((x) => x.status)).toEqual(['applied']);
    expect(await server.count(`customers WHERE email = '${email}'`)).toBe(1);
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
