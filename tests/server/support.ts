import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { createSecretBox } from '../../db/secret-box.ts';
import { hashPassword } from '../../db/password.ts';
import { buildApp, type AppOptions } from '../../server/app.ts';
import { createFirstAdmin } from '../../server/bootstrap.ts';
import { openPglite, openPostgres, type ServerDatabase } from '../../server/database.ts';
import { entityCodec } from '../../db/pg/port.ts';
import { decodePgRow, pgQuote } from '../../db/pg/row-codec.ts';
import { ENTITY_NAMES } from '../../shared/domain/port.ts';
import { can, type Role } from '../../shared/domain/roles.ts';
import { rowChanges, SCHEMA_VERSION, type PullFormat, type PullResponse, type Tokens } from '../../shared/sync/protocol.ts';
import { CHANGE_VERSION_SQL, readHorizon } from '../../server/sync/change-order.ts';

/**
 * A fresh, migrated server database: PGlite in memory, or — when DATABASE_URL is set (CI sets it)
 * — a new database on that PostgreSQL, dropped again by `drop()`.
 */
export async function openTestDatabase(): Promise<{ db: ServerDatabase; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openPglite(null);
    await db.migrate();
    return { db, drop: () => db.close() };
  }
  const name = `notchify_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = openPostgres(target.toString());
  await db.migrate();
  return {
    db,
    drop: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export const TEST_DATA_KEY = Buffer.alloc(32, 7);
export const testBox = createSecretBox(TEST_DATA_KEY);
export const PASSWORD = 'a long password';

export interface TestServer {
  app: FastifyInstance;
  db: ServerDatabase;
  adminId: string;
  post<T = unknown>(url: string, body: unknown, token?: string): Promise<{ status: number; body: T }>;
  login(email: string, password?: string): Promise<Tokens>;
  /** Adds a user straight into the database, with its change-log entry (users.create through sync has its own tests). */
  addUser(email: string, roles: Role[], name?: string): Promise<string>;
  count(table: string): Promise<number>;
  /** Stops the app and starts it again on the same database (and the same port, if it listened). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: Partial<AppOptions> & { adminEmail?: string; /** What the app sees of the database (a test's recorder around it). */ wrapDb?: (db: ServerDatabase) => ServerDatabase } = {},
): Promise<TestServer> {
  const { db, drop } = await openTestDatabase();
  const adminEmail = options.adminEmail ?? 'ada@lonestar.test';
  const { userId: adminId } = await createFirstAdmin(db, { workspaceName: 'Lone Star Logistics', name: 'Ada Admin', email: adminEmail, password: PASSWORD }, (s) =>
    testBox.seal(s),
  );
  const { wrapDb, ...appOptions } = options;
  const build = () => buildApp({ db: wrapDb ? wrapDb(db) : db, dataKey: TEST_DATA_KEY, rateLimits: { auth: 10_000, sync: 100_000 }, ...appOptions });
  let app = await build();
  const post = async <T,>(url: string, body: unknown, token?: string) => {
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.statusCode, body: (response.body ? JSON.parse(response.body) : null) as T };
  };
  const server: TestServer = {
    app,
    db,
    adminId,
    post,
    async login(email, password = PASSWORD) {
      const r = await post<Tokens>('/api/v1/auth/login', { email, password });
      if (r.status !== 200) throw new Error(`login ${email}: ${String(r.status)} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async addUser(email, roles, name = email.split('@')[0] ?? email) {
      const id = uuidv7();
      const now = new Date().toISOString();
      const passwordHash = await hashPassword(PASSWORD);
      await db.transaction(async (tx) => {
        await tx.query(
          'INSERT INTO users (id, email, name, roles, password_hash, active, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, true, $6, $6, 1)',
          [id, email, name, JSON.stringify(roles), passwordHash, now],
        );
        await tx.query(`INSERT INTO change_log (entity, row_id, op, version) VALUES ('users', $1, 'put', ${CHANGE_VERSION_SQL})`, [id]);
      });
      return id;
    },
    async count(table) {
      const { rows } = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table}`);
      return Number(rows[0]?.n);
    },
    async restart() {
      const address = app.server.address();
      await app.close();
      app = await build();
      server.app = app;
      if (address && typeof address === 'object') await app.listen({ host: address.address, port: address.port });
    },
    async close() {
      await app.close();
      await drop();
    },
  };
  return server;
}

// ---------------------------------------------------------------------------------------------
// Helpers for the fuzz, pull and concurrency tests
// ---------------------------------------------------------------------------------------------

export interface Envelope {
  clientId: string;
  id: number;
  name: string;
  args: unknown;
  actorUserId: string;
  createdAt: string;
}

/** One mutation as a desktop's outbox sends it. */
export function envelope(clientId: string, id: number, name: string, args: unknown, actorUserId: string): Envelope {
  return { clientId, id, name, args, actorUserId, createdAt: new Date().toISOString() };
}

export function pushBody(clientGroupId: string, mutations: Envelope[]): { clientGroupId: string; schemaVersion: number; mutations: Envelope[] } {
  return { clientGroupId, schemaVersion: SCHEMA_VERSION, mutations };
}

/** Every table a request could write to, and the change counter. */
export const WATCHED_TABLES = [
  'workspaces',
  'users',
  'customers',
  'carriers',
  'loads',
  'load_events',
  'mutation_results',
  'change_log',
  'sync_clients',
  'sync_client_groups',
  'audit_log',
  'refresh_tokens',
  'number_leases',
] as const;

/** Row counts of WATCHED_TABLES and the latest change version: equal snapshots mean nothing was written. */
export async function snapshot(db: ServerDatabase): Promise<Record<string, number>> {
  const { rows } = await db.query<Record<string, string | number>>(
    `SELECT ${WATCHED_TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}, (SELECT coalesce(max(version), 0) FROM change_log) AS change_version`,
  );
  const row = rows[0] ?? {};
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

/** The highest change version recorded (a change or a mutation's result): a desktop whose cookie reaches it is up to date. */
export async function latestVersion(db: ServerDatabase): Promise<number> {
  const { rows } = await db.query<{ v: string | number }>(
    'SELECT greatest((SELECT coalesce(max(version), 0) FROM change_log), (SELECT coalesce(max(version), 0) FROM mutation_results)) AS v',
  );
  return Number(rows[0]?.v);
}

/** The cookie a pull started now would end on once caught up (the horizon less one, change-order.ts). */
export async function caughtUpCookie(db: ServerDatabase): Promise<number> {
  return (await db.transaction((tx) => readHorizon(tx), { isolation: 'repeatable read', readOnly: true })) - 1;
}

/** Pulls page after page from `cookie` until `more` is false; returns every page. */
export async function pullPages(
  server: TestServer,
  token: string,
  clientGroupId: string,
  options: { cookie?: number | null; limit?: number; maxPages?: number; format?: PullFormat } = {},
): Promise<PullResponse[]> {
  const pages: PullResponse[] = [];
  let cookie = options.cookie ?? null;
  for (let i = 0; i < (options.maxPages ?? 10_000); i++) {
    const r = await server.post<PullResponse>(
      '/api/v1/sync/pull',
      { clientGroupId, schemaVersion: SCHEMA_VERSION, cookie, ...(options.limit ? { limit: options.limit } : {}), ...(options.format ? { format: options.format } : {}) },
      token,
    );
    if (r.status !== 200) throw new Error(`pull: ${String(r.status)} ${JSON.stringify(r.body)}`);
    pages.push(r.body);
    cookie = r.body.cookie;
    if (!r.body.more) return pages;
  }
  throw new Error('pull: too many pages');
}

/** Applies pulled changes in order to a replica keyed `table/id`, as a desktop's srv_* tables would. */
export function applyChanges(replica: Map<string, Record<string, unknown>>, changes: PullResponse['changes']): void {
  for (const change of rowChanges(changes)) {
    if (change.op === 'put') replica.set(`${change.table}/${String(change.row.id)}`, change.row);
    else replica.delete(`${change.table}/${change.id}`);
  }
}

/**
 * What a user of `roles` should hold after a complete pull: every synced row as the database has
 * it, with password hashes blanked and bank account numbers in clear only for the roles that pay.
 * Keyed `table/id` like applyChanges.
 */
export async function serverProjection(db: ServerDatabase, roles: Role[]): Promise<Map<string, Record<string, unknown>>> {
  const projection = new Map<string, Record<string, unknown>>();
  for (const entity of ENTITY_NAMES) {
    const codec = entityCodec(entity);
    const { rows } = await db.query(`SELECT * FROM ${pgQuote(codec.table)}`);
    for (const raw of rows) {
      const row = decodePgRow<Record<string, unknown>>(codec, raw);
      if (entity === 'users') row.passwordHash = '';
      if (entity === 'carriers') {
        const sealed = row.bankAccountSealed;
        delete row.bankAccountSealed;
        row.bankAccountNumber = can(roles, 'carriers.bank.reveal') && typeof sealed === 'string' ? testBox.open(sealed) : null;
      }
      projection.set(`${entity}/${String(row.id)}`, row);
    }
  }
  return projection;
}
