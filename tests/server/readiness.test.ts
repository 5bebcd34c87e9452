import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeOrderProblem } from '../../server/sync/change-order.ts';
import type { ServerDatabase } from '../../server/database.ts';
import { startTestServer, type TestServer } from './support.ts';

/**
 * /ready says "not yet" (503) whenever the server could not serve desktops correctly: migrations
 * not all applied, the database not answering, or a change log copied from another PostgreSQL
 * cluster (pg_dump/pg_restore), whose versions lie ahead of this cluster's transaction ids.
 */
let server: TestServer;
let unreachable = false;

beforeAll(async () => {
  server = await startTestServer({
    wrapDb: (db): ServerDatabase => ({
      ...db,
      kind: db.kind,
      query: (text, params) => (unreachable ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })) : db.query(text, params)),
      migrationState: () => (unreachable ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : db.migrationState()),
    }),
  });
});
afterAll(async () => {
  await server.close();
});

const ready = async () => {
  const r = await server.app.inject('/ready');
  return { status: r.statusCode, body: r.json<{ status: string; problem?: string; applied?: number; shipped?: number }>() };
};

describe('/ready', () => {
  it('is ready with every migration applied and the change log in order', async () => {
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(await changeOrderProblem(server.db)).toBeNull();
  });

  it('answers 503 while a migration is still to be applied', async () => {
    const last = await server.db.query<{ id: number; hash: string; created_at: string }>('SELECT id, hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id DESC LIMIT 1');
    const row = last.rows[0];
    await server.db.query('DELETE FROM drizzle.__drizzle_migrations WHERE id = $1', [row?.id]);
    try {
      const r = await ready();
      expect(r.status).toBe(503);
      expect(r.body.status).toBe('migrating');
      expect((r.body.applied ?? 0) + 1).toBe(r.body.shipped);
    } finally {
      await server.db.query('INSERT INTO drizzle.__drizzle_migrations (id, hash, created_at) VALUES ($1, $2, $3)', [row?.id, row?.hash, row?.created_at]);
    }
    expect((await ready()).status).toBe(200);
  });

  it('answers 503 while the database does not answer', async () => {
    unreachable = true;
    try {
      expect(await ready()).toEqual({ status: 503, body: { status: 'database unreachable' } });
    } finally {
      unreachable = false;
    }
  });

  it('answers 503, naming the cause and the remedy, when the change log is ahead of the transaction ids (a pg_dump/pg_restore copy)', async () => {
    await server.db.query("INSERT INTO change_log (entity, row_id, op, version) VALUES ('customers', 'restored-elsewhere', 'put', 9000000000000)");
    try {
      const r = await ready();
      expect(r.status).toBe(503);
      expect(r.body.problem).toMatch(/pg_dump\/pg_restore/);
      expect(r.body.problem).toMatch(/physical backup/);
      expect(await changeOrderProblem(server.db)).toMatch(/up to 9000000000000/);
    } finally {
      await server.db.query("DELETE FROM change_log WHERE row_id = 'restored-elsewhere'");
    }
    expect((await ready()).status).toBe(200);
  });
});
