import type Database from 'better-sqlite3';
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { TableCodec } from '../row-change.ts';

export { decodeRow, type ColumnCodec, type TableCodec } from '../row-change.ts';

/**
 * Rows in and out of SQLite without building a query per call: each table's columns, and how each
 * value maps to and from the driver, come from the drizzle schema itself (JSON columns, boolean
 * columns). The port's hot path then runs cached prepared statements, which is what keeps one user
 * action (rows + outbox + audit) within a couple of milliseconds.
 */

const codecs = new WeakMap<SQLiteTable, TableCodec>();

export function codecOf(table: SQLiteTable): TableCodec {
  let codec = codecs.get(table);
  if (codec) return codec;
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => ({
    key,
    name: column.name,
    toDriver: (value: unknown) => (value === null || value === undefined ? null : column.mapToDriverValue(value)),
    fromDriver: (value: unknown) => (value === null || value === undefined ? null : column.mapFromDriverValue(value)),
  }));
  codec = { table: getTableConfig(table).name, columns, byKey: new Map(columns.map((c) => [c.key, c])) };
  codecs.set(table, codec);
  return codec;
}

export function encodeRow(codec: TableCodec, row: Record<string, unknown>): unknown[] {
  return codec.columns.map((c) => c.toDriver(row[c.key]));
}


const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** One prepared statement per SQL text per connection. */
export function prepared(db: Database.Database, sqlText: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let statement = cache.get(sqlText);
  if (!statement) {
    statement = db.prepare(sqlText);
    cache.set(sqlText, statement);
  }
  return statement;
}

export const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
