import type { Actor, Entities, EntityName, LookupField, NumericField, TxPort, Where, ZipPlace } from '../../shared/domain/port.ts';
import { zipPlace } from '../reference/zip-directory.ts';
import { changedFields, columnOf, type PortServices, type RowChange, type TableCodec } from '../row-change.ts';
import { sqlLiteral, type Transaction } from './queryable.ts';
import { decodePgRow, pgCodecOf, pgQuote } from './row-codec.ts';
import { entityTables } from './schema.ts';

export function entityCodec(entity: EntityName): TableCodec {
  return pgCodecOf(entityTables[entity]);
}

function column(c: TableCodec, field: string): string {
  return pgQuote(columnOf(c, field).name);
}

/**
 * The transaction port over one PostgreSQL transaction (the sync server replaying a desktop's
 * mutation). The caller owns BEGIN/COMMIT; rows read for update are locked (`FOR UPDATE`), so two
 * desktops' mutations on the same load serialise and the second sees the first's result. Every
 * change is recorded for the change log and the audit log.
 *
 * Writes wait in `pending` (as statements with literal values) until the next read or the end of
 * the mutation: the caller sends the last of them with its own statements and the COMMIT, in one
 * round trip (`takePending`). A write the database refuses (a unique index) fails there instead.
 */
export class PgTxPort implements TxPort {
  readonly actor: Actor;
  readonly changes: RowChange[] = [];
  /** Rows read or written in this transaction. They are locked (FOR UPDATE), so they can't change under it. */
  private readonly rows = new Map<string, Record<string, unknown>>();
  private readonly db: Transaction;
  private readonly services: PortServices;
  private pending: string[] = [];

  constructor(db: Transaction, services: PortServices) {
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

  async get<E extends EntityName>(entity: E, id: string): Promise<Entities[E] | undefined> {
    const key = `${entity}\u0000${id}`;
    const cached = this.rows.get(key);
    if (cached) return structuredClone(cached) as Entities[E];
    const c = entityCodec(entity);
    await this.flush();
    const { rows } = await this.db.query(`SELECT * FROM ${pgQuote(c.table)} WHERE "id" = $1 FOR UPDATE`, [id]);
    if (!rows[0]) return undefined;
    const row = decodePgRow<Entities[E]>(c, rows[0]);
    this.rows.set(key, structuredClone(row as Record<string, unknown>));
    return row;
  }

  async findBy<E extends EntityName, F extends LookupField<E>>(entity: E, field: F, value: NonNullable<Entities[E][F]>): Promise<Entities[E][]> {
    const c = entityCodec(entity);
    const col = c.byKey.get(field);
    await this.flush();
    const { rows } = await this.db.query(`SELECT * FROM ${pgQuote(c.table)} WHERE ${column(c, field)} = $1`, [col?.toDriver(value)]);
    return rows.map((r) => decodePgRow<Entities[E]>(c, r));
  }

  async count<E extends EntityName>(entity: E): Promise<number> {
    await this.flush();
    const { rows } = await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${pgQuote(entityCodec(entity).table)}`);
    return Number(rows[0]?.n ?? 0);
  }

  async sumWhere<E extends EntityName>(entity: E, field: NumericField<E>, where: Where<E>): Promise<number> {
    const c = entityCodec(entity);
    const params: unknown[] = [];
    const conditions = Object.entries(where as Record<string, unknown>).map(([key, value]) => {
      const col = c.byKey.get(key);
      if (Array.isArray(value)) {
        params.push(value.map((v: unknown) => col?.toDriver(v)));
        return `${column(c, key)} = ANY($${String(params.length)})`;
      }
      params.push(col?.toDriver(value));
      return `${column(c, key)} = $${String(params.length)}`;
    });
    const whereSql = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    await this.flush();
    const { rows } = await this.db.query<{ total: string | number }>(
      `SELECT coalesce(sum(${column(c, field)}), 0) AS total FROM ${pgQuote(c.table)}${whereSql}`,
      params,
    );
    return Number(rows[0]?.total ?? 0);
  }

  zipPlace(zip: string): ZipPlace | null {
    return zipPlace(zip);
  }

  insert<E extends EntityName>(entity: E, row: Entities[E]): Promise<void> {
    const c = entityCodec(entity);
    const values = c.columns.map((col) => sqlLiteral(col.toDriver((row as Record<string, unknown>)[col.key])));
    this.pending.push(`INSERT INTO ${pgQuote(c.table)} (${c.columns.map((col) => pgQuote(col.name)).join(', ')}) VALUES (${values.join(', ')})`);
    this.changes.push({ entity, id: row.id, before: null, after: { ...row } });
    this.rows.set(`${entity}\u0000${row.id}`, structuredClone(row as Record<string, unknown>));
    return Promise.resolve();
  }

  async update<E extends EntityName>(entity: E, row: Entities[E]): Promise<void> {
    const before = await this.get(entity, row.id);
    if (!before) throw new Error(`${entity} ${row.id} does not exist`);
    const { was, now } = changedFields(before, row);
    if (Object.keys(now).length === 0) return;
    const c = entityCodec(entity);
    const changed = c.columns.filter((col) => col.key !== 'id' && col.key in now);
    this.pending.push(
      `UPDATE ${pgQuote(c.table)} SET ${changed.map((col) => `${pgQuote(col.name)} = ${sqlLiteral(col.toDriver(now[col.key]))}`).join(', ')} WHERE "id" = ${sqlLiteral(row.id)}`,
    );
    this.changes.push({ entity, id: row.id, before: was, after: now });
    this.rows.set(`${entity}\u0000${row.id}`, structuredClone(row as Record<string, unknown>));
  }

  async remove(entity: EntityName, id: string): Promise<void> {
    const before = await this.get(entity, id);
    if (!before) return;
    this.pending.push(`DELETE FROM ${pgQuote(entityCodec(entity).table)} WHERE "id" = ${sqlLiteral(id)}`);
    this.rows.delete(`${entity}\u0000${id}`);
    this.changes.push({ entity, id, before: { ...before }, after: null });
  }

  /** Sends the writes still waiting. */
  async flush(): Promise<void> {
    await this.db.run(this.takePending());
  }

  /** The writes still waiting, for the caller to send with its own last statements. */
  takePending(): string[] {
    const statements = this.pending;
    this.pending = [];
    return statements;
  }
}
