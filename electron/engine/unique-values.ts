import type Database from 'better-sqlite3';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { codecOf, prepared, quote } from '../../db/sqlite/row-codec.ts';

/**
 * A pulled row may take a unique value (an email, an MC number) that a row held here still
 * carries: the server gave it up in a change this desktop has not applied yet, later in the same
 * page or in a later page of the same pull (the change log keeps a row's latest change only, so a
 * page is not a snapshot). SQLite checks unique indexes row by row and can't defer them, so the
 * statement fails and the pull would fail forever.
 *
 * The row here is stale by then — at the pull's horizon the value is the pulled row's — so the
 * value is moved aside: it becomes `~` and the row's id, unique and unlike any real value, until
 * that row's own change arrives. Only called after such a failure; an ordinary page pays nothing.
 */
export function moveAsideUniqueValues(raw: Database.Database, table: SQLiteTable, rows: readonly unknown[][], writtenBefore: readonly unknown[][]): number {
  const codec = codecOf(table);
  const idAt = codec.columns.findIndex((c) => c.key === 'id');
  const fresh = new Set(writtenBefore.map((row) => row[idAt]));
  let moved = 0;
  for (const column of uniqueColumnsOf(table)) {
    const at = codec.columns.findIndex((c) => c.name === column);
    const holders = prepared(raw, `SELECT "id" FROM ${quote(codec.table)} WHERE ${quote(column)} = ? AND "id" <> ?`);
    const moveAside = prepared(raw, `UPDATE ${quote(codec.table)} SET ${quote(column)} = '~' || "id" WHERE "id" = ?`);
    for (const row of rows) {
      if (row[at] === null || row[at] === undefined) continue;
      for (const { id } of holders.all(row[at], row[idAt]) as { id: string }[]) {
        if (!fresh.has(id)) moved += moveAside.run(id).changes;
      }
    }
  }
  return moved;
}

const uniqueColumns = new WeakMap<SQLiteTable, string[]>();

/** The columns that carry a single-column unique index (other than the id). */
export function uniqueColumnsOf(table: SQLiteTable): string[] {
  let columns = uniqueColumns.get(table);
  if (!columns) {
    columns = getTableConfig(table)
      .indexes.filter((index) => index.config.unique && index.config.columns.length === 1)
      .flatMap((index) => index.config.columns.flatMap((c) => ('name' in c && typeof c.name === 'string' ? [c.name] : [])));
    uniqueColumns.set(table, columns);
  }
  return columns;
}

export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE';
