import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Queryable, Transaction } from '../db/pg/queryable.ts';

export const PG_MIGRATIONS_DIR = resolve(import.meta.dirname, '..', 'db', 'pg', 'migrations');

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  readOnly?: boolean;
}

/**
 * The server's database: a real PostgreSQL through DATABASE_URL, or an embedded PGlite in a data
 * folder. Both answer the same SQL and run the same drizzle-kit migrations (db/pg/migrations).
 */
export interface ServerDatabase extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: COMMIT when it resolves (unless it finished it), ROLLBACK when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Applies the migrations not yet applied (from `folder`, a test's copy of some of them; else all shipped). */
  migrate(folder?: string): Promise<void>;
  /** How many migrations are applied, and how many this build ships. */
  migrationState(): Promise<{ applied: number; shipped: number }>;
  close(): Promise<void>;
}

function beginSql(options: TransactionOptions = {}): string {
  return `BEGIN ISOLATION LEVEL ${(options.isolation ?? 'read committed').toUpperCase()}${options.readOnly ? ' READ ONLY' : ''}`;
}

function shippedMigrations(): number {
  const journal = JSON.parse(readFileSync(join(PG_MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

async function appliedMigrations(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ exists: boolean }>("SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS exists");
  if (!rows[0]?.exists) return 0;
  const counted = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations');
  return Number(counted.rows[0]?.n ?? 0);
}

/** How long an idle PostgreSQL connection is kept. */
export const POOL_IDLE_MS = 10 * 60_000;

export function openPostgres(url: string, options: { max?: number } = {}): ServerDatabase {
  // A connection idle for 10 s (pg's default) closes, and the next burst opens new ones, whose
  // backends spend their first statements loading the catalog: 50-75 ms each, measured with
  // log_min_duration_statement in the latency bench, where they were its slowest requests. A
  // server keeps the connections it has needed for a while instead.
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, idleTimeoutMillis: POOL_IDLE_MS });
  // An idle client's error (the server restarted) must not crash the process; the next query
  // gets a fresh connection.
  pool.on('error', () => undefined);
  const query = async <R,>(text: string, params?: unknown[]) => {
    const result = await pool.query(text, params);
    return { rows: result.rows as R[] };
  };
  return {
    kind: 'postgres',
    query,
    async transaction(work, options) {
      const client = await pool.connect();
      const begin = beginSql(options);
      let state = 'idle' as 'idle' | 'open' | 'finished';
      /** Sends `text`, opening the transaction with it when it has not been opened yet; one result per statement of `text`. */
      const send = async (text: string, params?: unknown[]): Promise<pg.QueryResult[]> => {
        if (state === 'finished') throw new Error('The transaction has been committed');
        if (state === 'idle' && params && params.length > 0) {
          await client.query(begin);
          state = 'open';
        }
        const opening = state === 'idle';
        state = 'open';
        const result = (await client.query(opening ? `${begin}; ${text}` : text, params)) as pg.QueryResult | pg.QueryResult[];
        // Several statements answer with one result each; BEGIN's is not the caller's.
        const results = Array.isArray(result) ? result : [result];
        return opening ? results.slice(1) : results;
      };
      const tx: Transaction = {
        async query<R>(text: string, params?: unknown[]) {
          return { rows: ((await send(text, params)).at(-1)?.rows ?? []) as R[] };
        },
        async batch(statements) {
          if (statements.length === 0) return [];
          return (await send(statements.join(';\n'))).map((r) => r.rows as Record<string, unknown>[]);
        },
        async finish(statements) {
          const results = await send([...statements, 'COMMIT'].join(';\n'));
          state = 'finished';
          return results.slice(0, statements.length).map((r) => r.rows as Record<string, unknown>[]);
        },
      };
      let broken = false;
      try {
        const result = await work(tx);
        if (state === 'open') await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          if (state !== 'idle') await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async migrate(folder = PG_MIGRATIONS_DIR) {
      // One migrator at a time when several servers start against the same database.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(7415001)');
        await migratePg(drizzlePg({ client }), { migrationsFolder: folder });
      } finally {
        await client.query('SELECT pg_advisory_unlock(7415001)').catch(() => undefined);
        client.release();
      }
    },
    async migrationState() {
      return { applied: await appliedMigrations({ query }), shipped: shippedMigrations() };
    },
    async close() {
      await pool.end();
    },
  };
}

/** PGlite in `dataDir` (or in memory when it is null). */
export async function openPglite(dataDir: string | null): Promise<ServerDatabase> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create(dataDir ?? undefined);
  const query = async <R,>(text: string, params?: unknown[]) => {
    const result = await lite.query<R>(text, params);
    return { rows: result.rows };
  };
  return {
    kind: 'pglite',
    query,
    transaction(work, options) {
      // PGlite has one connection; its transaction() holds it until the work is done.
      return lite.transaction(async (t) => {
        if (options?.isolation || options?.readOnly) {
          await t.query(`SET TRANSACTION${beginSql(options).slice('BEGIN'.length)}`);
        }
        return work({
          async query<R>(text: string, params?: unknown[]) {
            const result = await t.query<R>(text, params);
            return { rows: result.rows };
          },
          async batch(statements) {
            if (statements.length === 0) return [];
            return (await t.exec(statements.join(';\n'))).map((r) => r.rows as Record<string, unknown>[]);
          },
          // PGlite commits when the work resolves; the last statements simply run.
          async finish(statements) {
            if (statements.length === 0) return [];
            return (await t.exec(statements.join(';\n'))).map((r) => r.rows as Record<string, unknown>[]);
          },
        });
      });
    },
    async migrate(folder = PG_MIGRATIONS_DIR) {
      await migratePglite(drizzlePglite({ client: lite }), { migrationsFolder: folder });
    },
    async migrationState() {
      return { applied: await appliedMigrations({ query }), shipped: shippedMigrations() };
    },
    async close() {
      await lite.close();
    },
  };
}
