import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { Actor, Entities, EntityName, LookupField, NumericField, TxPort, Where, ZipPlace } from '../../shared/domain/port.ts';
import { zipPlace } from '../reference/zip-directory.ts';
import { codecOf, decodeRow, encodeRow, prepared, quote, type TableCodec } from './row-codec.ts';
import * as schema from './schema.ts';
import { changedFields, columnOf, type PortServices, type RowChange } from '../row-change.ts';

export { changedFields, type PortServices, type RowChange };

export type SqliteDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };


function codec(entity: EntityName): TableCodec {
  return codecOf(schema.entityTables[entity]);
}

function column(c: TableCodec, field: string): string {
  return quote(columnOf(c, field).name);
}

/**
 * The transaction port over the desktop's SQLite store. The caller (the engine's write queue)
 * owns BEGIN/COMMIT; this adapter only reads and writes rows, through prepared statements, and
 * records every change. Row shapes equal the shared rows (tests/contract/schema-types.test.ts).
 */
export class SqliteTxPort implements TxPort {
  readonly actor: Actor;
  readonly changes: RowChange[] = [];
  private readonly raw: Database.Database;
  private readonly services: PortServices;

  constructor(raw: Database.Database, services: PortServices) {
    this.raw = raw;
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
    return Promise.resolve(this.getNow(entity, id));
  }

  findBy<E extends EntityName, F extends LookupField<E>>(
    entity: E,
    field: F,
    value: NonNullable<Entities[E][F]>,
  ): Promise<Entities[E][]> {
    const c = codec(entity);
    const col = c.byKey.get(field);
    const rows = prepared(this.raw, `SELECT * FROM ${quote(c.table)} WHERE ${column(c, field)} = ?`).all(col?.toDriver(value)) as Record<string, unknown>[];
    return Promise.resolve(rows.map((r) => decodeRow<Entities[E]>(c, r)));
  }

  count<E extends EntityName>(entity: E): Promise<number> {
    const row = prepared(this.raw, `SELECT count(*) AS n FROM ${quote(codec(entity).table)}`).get() as { n: number };
    return Promise.resolve(row.n);
  }

  sumWhere<E extends EntityName>(entity: E, field: NumericField<E>, where: Where<E>): Promise<number> {
    const c = codec(entity);
    const params: unknown[] = [];
    const conditions = Object.entries(where as Record<string, unknown>).map(([key, value]) => {
      const col = c.byKey.get(key);
      if (Array.isArray(value)) {
        params.push(...value.map((v: unknown) => col?.toDriver(v)));
        return `${column(c, key)} IN (${value.map(() => '?').join(', ')})`;
      }
      params.push(col?.toDriver(value));
      return `${column(c, key)} = ?`;
    });
    const whereSql = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const row = prepared(this.raw, `SELECT coalesce(sum(${column(c, field)}), 0) AS total FROM ${quote(c.table)}${whereSql}`).get(...params) as {
      total: number;
    };
    return Promise.resolve(row.total);
  }

  zipPlace(zip: string): ZipPlace | null {
    return zipPlace(zip);
  }

  insert<E extends EntityName>(entity: E, row: Entities[E]): Promise<void> {
    const c = codec(entity);
    const names = c.columns.map((col) => quote(col.name)).join(', ');
    const marks = c.columns.map(() => '?').join(', ');
    prepared(this.raw, `INSERT INTO ${quote(c.table)} (${names}) VALUES (${marks})`).run(...encodeRow(c, row));
    this.changes.push({ entity, id: row.id, before: null, after: { ...row } });
    return Promise.resolve();
  }

  update<E extends EntityName>(entity: E, row: Entities[E]): Promise<void> {
    const before = this.getNow(entity, row.id);
    if (!before) throw new Error(`${entity} ${row.id} does not exist`);
    const { was, now } = changedFields(before, row);
    if (Object.keys(now).length === 0) return Promise.resolve();
    // Only the changed columns: SQLite then touches only the indexes (and search triggers) on them.
    const c = codec(entity);
    const changed = c.columns.filter((col) => col.key !== 'id' && col.key in now);
    prepared(this.raw, `UPDATE ${quote(c.table)} SET ${changed.map((col) => `${quote(col.name)} = ?`).join(', ')} WHERE "id" = ?`).run(
      ...changed.map((col) => col.toDriver(now[col.key])),
      row.id,
    );
    this.changes.push({ entity, id: row.id, before: was, after: now });
    return Promise.resolve();
  }

  remove(entity: EntityName, id: string): Promise<void> {
    const before = this.getNow(entity, id);
    if (!before) return Promise.resolve();
    prepared(this.raw, `DELETE FROM ${quote(codec(entity).table)} WHERE "id" = ?`).run(id);
    this.changes.push({ entity, id, before: { ...before }, after: null });
    return Promise.resolve();
  }

  private getNow<E extends EntityName>(entity: E, id: string): Entities[E] | undefined {
    const c = codec(entity);
    const raw = prepared(this.raw, `SELECT * FROM ${quote(c.table)} WHERE "id" = ?`).get(id) as Record<string, unknown> | undefined;
    return raw ? decodeRow<Entities[E]>(c, raw) : undefined;
  }
}
