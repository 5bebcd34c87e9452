import type { Actor, EntityName } from '../shared/domain/port.ts';

/**
 * One row a mutation changed: what the audit log records, what the server's change log announces
 * and what a desktop rebase undoes. An insert keeps the whole new row; an update keeps, before
 * and after, only the fields that changed; a delete keeps the whole old row.
 */
export interface RowChange {
  entity: EntityName;
  id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The fields whose values differ, with their before and after values. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      was[key] = before[key] ?? null;
      now[key] = after[key] ?? null;
    }
  }
  return { was, now };
}

/** What a store's transaction port gets from its host: who acts, the clock, ids, the data key. */
export interface PortServices {
  actor: Actor;
  now: () => string;
  newId: () => string;
  seal: (secret: string) => string;
}

/** How one column's values map to and from a store's driver (both stores derive it from drizzle). */
export interface ColumnCodec {
  key: string;
  name: string;
  toDriver(value: unknown): unknown;
  fromDriver(value: unknown): unknown;
}

export interface TableCodec {
  table: string;
  columns: ColumnCodec[];
  byKey: Map<string, ColumnCodec>;
}

/** The column of a lookup field, or an error naming it. */
export function columnOf(c: TableCodec, field: string): ColumnCodec {
  const col = c.byKey.get(field);
  if (!col) throw new Error(`${c.table}.${field} is not a column`);
  return col;
}

/** A driver row (column names) as a store-independent row (property keys). */
export function decodeRow<R>(codec: TableCodec, raw: Record<string, unknown>): R {
  const row: Record<string, unknown> = {};
  for (const c of codec.columns) row[c.key] = c.fromDriver(raw[c.name]);
  return row as R;
}
