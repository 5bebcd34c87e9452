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

/** Statements the port's owner wants sent with the transaction's first round trip, and what to do with their rows. */
export interface Prelude {
  statements: string[];
  /** Runs on the statements' rows before any read is answered; throwing fails every read of that round trip. */
  check(rows: Record<string, unknown>[][]): void;
}

interface QueuedRead {
  sql: string;
  resolve: (rows: Record<string, unknown>[]) => void;
  reject: (error: unknown) => void;
}

/**
 * The transaction port over one PostgreSQL transaction (the sync server replaying a desktop's
 * mutation). The caller owns BEGIN/COMMIT; rows read for update are locked (`FOR UPDATE`), so two
 * desktops' mutations on the same load serialise and the second sees the first's result. Every
 * change is recorded for the change log and the audit log.
 *
 * Round trips cost more than statements on a busy server, so statements travel together, with
 * their values as literals: writes wait in `pending` until the next read or the end of the
 * mutation (the caller sends the last of them with its own statements and the COMMIT,
 * `takePending`); reads asked for in the same turn (`Promise.all`) go in one round trip; and the
 * caller's prelude (its claim on the client's sequence) rides with the first of them. A write the
 * database refuses (a unique index) fails there instead.
 */
export class PgTxPort implements TxPort {
  readonly actor: Actor;
  readonly changes: RowChange[] = [];
  /** Rows read or written in this transaction. They are locked (FOR UPDATE), so they can't change under it. */
  private readonly rows = new Map<string, Record<string, unknown>>();
  private readonly db: Transaction;
  private readonly services: PortServices;
  private pending: string[] = [];
  private prelude: Prelude | null;
  private reads: QueuedRead[] = [];

  constructor(db: Transaction, services: PortServices, prelude: Prelude | null = null) {
    this.db = db;
    this.services = services;
    this.actor = services.actor;
    this.prelude = prelude;
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
    const rows = await this.read(`SELECT * FROM ${pgQuote(c.table)} WHERE "id" = ${sqlLiteral(id)} FOR UPDATE`);
    if (!rows[0]) return undefined;
    // Another read in the same round trip may have brought it already; the first copy stands.
    const known = this.rows.get(key);
    if (known) return structuredClone(known) as Entities[E];
    const row = decodePgRow<Entities[E]>(c, rows[0]);
    this.rows.set(key, structuredClone(row as Record<string, unknown>));
    return row;
  }

  async findBy<E extends EntityName, F extends LookupField<E>>(entity: E, field: F, value: NonNullable<Entities[E][F]>): Promise<Entities[E][]> {
    const c = entityCodec(entity);
    const col = c.byKey.get(field);
    const rows = await this.read(`SELECT * FROM ${pgQuote(c.table)} WHERE ${column(c, field)} = ${sqlLiteral(col?.toDriver(value))}`);
    return rows.map((r) => decodePgRow<Entities[E]>(c, r));
  }

  async count<E extends EntityName>(entity: E): Promise<number> {
    const rows = await this.read(`SELECT count(*) AS n FROM ${pgQuote(entityCodec(entity).table)}`);
    return Number(rows[0]?.n ?? 0);
  }

  async sumWhere<E extends EntityName>(entity: E, field: NumericField<E>, where: Where<E>): Promise<number> {
    const c = entityCodec(entity);
    const conditions = Object.entries(where as Record<string, unknown>).map(([key, value]) => {
      const col = c.byKey.get(key);
      if (!Array.isArray(value)) return `${column(c, key)} = ${sqlLiteral(col?.toDriver(value))}`;
      // IN with untyped literals, which take the column's type (an ARRAY of them would be text[]).
      return value.length === 0 ? 'FALSE' : `${column(c, key)} IN (${value.map((v: unknown) => sqlLiteral(col?.toDriver(v))).join(', ')})`;
    });
    const whereSql = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const rows = await this.read(`SELECT coalesce(sum(${column(c, field)}), 0) AS total FROM ${pgQuote(c.table)}${whereSql}`);
    return Number(rows[0]?.total ?? 0);
  }

  /** Queues a read; the reads asked for in this turn go together, after the writes still waiting. */
  private read(sql: string): Promise<Record<string, unknown>[]> {
    return new Promise((resolve, reject) => {
      this.reads.push({ sql, resolve, reject });
      if (this.reads.length === 1) queueMicrotask(() => void this.sendReads());
    });
  }

  private async sendReads(): Promise<void> {
    const reads = this.reads;
    this.reads = [];
    try {
      const answers = await this.send(reads.map((r) => r.sql));
      reads.forEach((r, i) => r.resolve(answers[i] ?? []));
    } catch (error) {
      for (const r of reads) r.reject(error);
    }
  }

  /** Sends the prelude (first time only), the writes waiting and `statements`; returns the rows of `statements`. */
  private async send(statements: string[]): Promise<Record<string, unknown>[][]> {
    const prelude = this.prelude;
    this.prelude = null;
    const head = [...(prelude?.statements ?? []), ...this.takePending()];
    const answers = await this.db.batch([...head, ...statements]);
    prelude?.check(answers.slice(0, prelude.statements.length));
    return answers.slice(head.length);
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

  /** Sends the prelude if no read has taken it yet (with the writes waiting), so its check has run. */
  async sendPrelude(): Promise<void> {
    if (this.prelude) await this.send([]);
  }

  /** Sends the prelude, if it has not gone yet, and the writes still waiting. */
  async flush(): Promise<void> {
    if (this.prelude || this.pending.length > 0) await this.send([]);
  }

  /** The writes still waiting, for the caller to send with its own last statements. */
  takePending(): string[] {
    const statements = this.pending;
    this.pending = [];
    return statements;
  }
}
