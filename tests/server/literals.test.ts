import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlLiteral, sqlTextArray } from '../../db/pg/queryable.ts';
import type { PushResponse, Tokens } from '../../shared/sync/protocol.ts';
import { customerInput } from '../support/fixtures.ts';
import { envelope, pushBody, startTestServer, type TestServer } from './support.ts';

/**
 * The push sends a mutation's writes and its COMMIT in one round trip, with values as SQL
 * literals (db/pg/queryable.ts). Whatever text a clerk types must come back exactly, and nothing
 * typed can become SQL.
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

const noNul = fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => !s.includes('\u0000'));

describe('SQL literals', () => {
  it('round-trips any text without a NUL exactly, quotes, backslashes and all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(noNul, { maxLength: 4 }), async (texts) => {
        const { rows } = await server.db.query<{ one: string | null; many: string[] }>(
          `SELECT ${sqlLiteral(texts[0] ?? null)}::text AS one, ${sqlTextArray(texts)} AS many`,
        );
        expect(rows[0]?.one).toBe(texts[0] ?? null);
        expect(rows[0]?.many).toEqual(texts);
      }),
      { numRuns: 150 },
    );
  });

  it('writes numbers, booleans, null and objects as PostgreSQL reads them', async () => {
    const { rows } = await server.db.query<{ n: number; f: number; b: boolean; z: null; j: unknown }>(
      `SELECT ${sqlLiteral(-42)}::int AS n, ${sqlLiteral(0.1)}::float8 AS f, ${sqlLiteral(true)} AS b, ${sqlLiteral(null)}::text AS z, ${sqlLiteral({ a: "it's", b: [1, '\\'] })}::jsonb AS j`,
    );
    expect(rows[0]).toEqual({ n: -42, f: 0.1, b: true, z: null, j: { a: "it's", b: [1, '\\'] } });
  });

  it('refuses what a database cannot hold: a NUL in text, numbers that are not finite', () => {
    expect(() => sqlLiteral('a\u0000b')).toThrow(/NUL/);
    expect(() => sqlLiteral({ note: 'a\u0000b' })).toThrow(/NUL/);
    for (const n of [Number.NaN, Number.POSITIVE_INFINITY]) expect(() => sqlLiteral(n)).toThrow(/number/);
    // The six characters \u0000, typed as such, are text like any other.
    expect(sqlLiteral({ note: 'typed \\u0000' })).toContain('u0000');
    expect(sqlLiteral('typed \\u0000')).toContain('u0000');
  });

  it('stores a customer whose fields hold SQL, quotes and backslashes exactly as typed', async () => {
    const id = randomUUID();
    const companyName = `O'Brien \\ Sons'); DELETE FROM customers; --`;
    const notes = `$$ E'\\x00' ''' "quoted" \u{1F69A} \\`;
    const r = await server.post<PushResponse>(
      '/api/v1/sync/push',
      pushBody(randomUUID(), [envelope(randomUUID(), 1, 'customers.create', { ...customerInput({ companyName, notes }), id }, server.adminId)]),
      admin.accessToken,
    );
    expect(r.body.results.map((x) => x.status)).toEqual(['applied']);
    const { rows } = await server.db.query<{ company_name: string; notes: string }>('SELECT company_name, notes FROM customers WHERE id = $1', [id]);
    expect(rows).toEqual([{ company_name: companyName, notes }]);
    const { rows: after } = await server.db.query<{ after: { companyName: string } }>("SELECT after FROM audit_log WHERE row_id = $1 AND entity = 'customers'", [id]);
    expect(after[0]?.after.companyName).toBe(companyName);
  });
});
