import { and, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Actor, Entities, EntityName, LookupField, NumericField, TxPort, Where, ZipPlace } from '../../shared/domain/port.ts';
import { zipPlace } from '../reference/zip-directory.ts';
import * as schema from './schema.ts';

export type SqliteDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** One row a mutation changed: what the audit log records and (later) what a rebase undoes. */
export interface RowChange {
  entity: EntityName;
  id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface PortServices {
  actor: Actor;
  now: () => string;
  newId: () => string;
  seal: (secret: string) => string;
}

type EntityTable = SQLiteTable & { id: SQLiteColumn } & Record<string, unknown>;

function tableOf(entity: EntityName): EntityTable {
  return schema.entityTables[entity] as unknown as EntityTable;
}

function columnOf(entity: EntityName, field: string): SQLiteColumn {
  const column = tableOf(entity)[field];
  if (!column || typeof column !== 'object') throw new Error(`${entity}.${field} is not a column`);
  return column as SQLiteColumn;
}

function whereClause<E extends EntityName>(entity: E, where: Where<E>): SQL | undefined {
  const parts = Object.entries(where as Record<string, unknown>).map(([field, value]) => {
    const column = columnOf(entity, field);
    return Array.isArray(value) ? inArray(column, value as unknown[]) : eq(column, value);
  });
  return and(...parts);
}

/**
 * The transaction port over the desktop's SQLite store. The caller (the engine's write queue)
 * owns BEGIN/COMMIT; this adapter only reads and writes rows and records every change.
 * Row shapes equal the shared rows (tests/contract/schema-types.test.ts), so the casts below
 * only bridge drizzle's per-table generics to the port's entity-indexed ones.
 */
export class SqliteTxPort implements TxPort {
  readonly actor: Actor;
  readonly changes: RowChange[] = [];
  private readonly db: SqliteDb;
  private readonly services: PortServices;

  constructor(db: SqliteDb, services: PortServices) {
    this.db = db;
    this.services = services;
    this.actor = services.actor;
  }

  now(): string {
    return this.services.now();
  }

  newId(): string {
    return this.services.newId();
  }

  seal(secret: string): string {
    return this.services.seal(secret);
  }

  get<E extends EntityName>(entity: E, id: string): Promise<Entities[E] | undefined> {
    const table = tableOf(entity);
    const row = this.db.select().from(table).where(eq(table.id, id)).get();
    return Promise.resolve(row as Entities[E] | undefined);
  }

  findBy<E extends EntityName, F extends LookupField<E>>(
    entity: E,
    field: F,
    value: NonNullable<Entities[E][F]>,
  ): Promise<Entities[E][]> {
    const table = tableOf(entity);
    const rows = this.db.select().from(table).where(eq(columnOf(entity, field), value)).all();
    return Promise.resolve(rows as Entities[E][]);
  }

  count<E extends EntityName>(entity: E): Promise<number> {
    const result = this.db.select({ n: count() }).from(tableOf(entity)).get();
    return Promise.resolve(result?.n ?? 0);
  }

  sumWhere<E extends EntityName>(entity: E, field: NumericField<E>, where: Where<E>): Promise<number> {
    const table = tableOf(entity);
    const result = this.db
      .select({ total: sql<number>`coalesce(sum(${columnOf(entity, field)}), 0)` })
      .from(table)
      .where(whereClause(entity, where))
      .get();
    return Promise.resolve(result?.total ?? 0);
  }

  zipPlace(zip: string): ZipPlace | null {
    return zipPlace(zip);
  }

  insert<E extends EntityName>(entity: E, row: Entities[E]): Promise<void> {
    this.db.insert(tableOf(entity)).values(row).run();
    this.changes.push({ entity, id: row.id, before: null, after: { ...row } });
    return Promise.resolve();
  }

  async update<E extends EntityName>(entity: E, row: Entities[E]): Promise<void> {
    const table = tableOf(entity);
    const before = await this.get(entity, row.id);
    if (!before) throw new Error(`${entity} ${row.id} does not exist`);
    const { id: _id, ...rest } = row;
    this.db.update(table).set(rest).where(eq(table.id, row.id)).run();
    this.changes.push({ entity, id: row.id, before: { ...before }, after: { ...row } });
  }

  async remove(entity: EntityName, id: string): Promise<void> {
    const table = tableOf(entity);
    const before = await this.get(entity, id);
    if (!before) return;
    this.db.delete(table).where(eq(table.id, id)).run();
    this.changes.push({ entity, id, before: { ...before }, after: null });
  }
}
