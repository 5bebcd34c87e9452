import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.ts';
import type { SqliteDb } from './port.ts';

export const DEFAULT_MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface SqliteConnection {
  raw: Database.Database;
  db: SqliteDb;
}

/**
 * WAL for concurrent readers, foreign keys on, a wait (not an error) when another writer holds the
 * lock, and a 64 MiB page cache: a board search over 100,000 loads touches thousands of pages, and
 * SQLite's 2 MiB default made it re-read them from the OS on every keystroke (10× slower).
 */
export function openConnection(file: string, options: { readonly?: boolean } = {}): SqliteConnection {
  const raw = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  if (!options.readonly) raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('cache_size = -65536');
  return { raw, db: drizzle({ client: raw, schema }) };
}

export class MigrationError extends Error {
  readonly backupFile: string | null;
  constructor(message: string, backupFile: string | null, cause: unknown) {
    super(message, { cause });
    this.name = 'MigrationError';
    this.backupFile = backupFile;
  }
}

export interface MigrationOutcome {
  applied: string[];
  backupFile: string | null;
}

interface JournalRow {
  created_at: number;
}

/**
 * Applies pending drizzle-kit migrations. When the file already holds data, it is first copied
 * (VACUUM INTO, a consistent snapshot) to `<backupDir>/`. drizzle's migrator runs all pending
 * migrations in one transaction, so a failure leaves the file exactly as it was; the error names
 * the backup and nothing is ever deleted.
 */
export function migrateWithBackup(
  conn: SqliteConnection,
  options: { migrationsDir?: string; backupDir: string; now: () => Date },
): MigrationOutcome {
  const migrationsFolder = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const all = readMigrationFiles({ migrationsFolder });
  const appliedMillis = new Set(appliedMigrationMillis(conn.raw));
  const pending = all.filter((m) => !appliedMillis.has(m.folderMillis));
  if (pending.length === 0) return { applied: [], backupFile: null };

  let backupFile: string | null = null;
  if (hasUserTables(conn.raw)) {
    mkdirSync(options.backupDir, { recursive: true });
    const stamp = options.now().toISOString().replace(/[:.]/g, '-');
    backupFile = join(options.backupDir, `notchify-${stamp}-before-migration.db`);
    conn.raw.prepare('VACUUM INTO ?').run(backupFile);
  }
  try {
    migrate(conn.db, { migrationsFolder });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      `The database could not be upgraded (${detail}). Nothing was changed${backupFile ? `; a backup was saved to ${backupFile}` : ''}.`,
      backupFile,
      error,
    );
  }
  return { applied: pending.map((m) => String(m.folderMillis)), backupFile };
}

function appliedMigrationMillis(raw: Database.Database): number[] {
  const exists = raw
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!exists) return [];
  return (raw.prepare('SELECT created_at FROM __drizzle_migrations').all() as JournalRow[]).map((r) => r.created_at);
}

function hasUserTables(raw: Database.Database): boolean {
  const row = raw
    .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .get() as { n: number };
  return row.n > 0;
}

export function ensureDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`);
}
