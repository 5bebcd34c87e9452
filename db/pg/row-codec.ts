import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';

/**
 * Rows in and out of PostgreSQL without building a query per call: columns and their driver
 * mappings (jsonb, bigint as number) come from the drizzle schema, as db/sqlite/row-codec.ts does
 * for the desktop.
 */
export interface PgColumnCodec {
  key: string;
  name: string;
  toDriver(value: unknown): unknown;
  fromDriver(value: unknown): unknown;
}

export interface PgTableCodec {
  table: string;
  columns: PgColumnCodec[];
  byKey: Map<string, PgColumnCodec>;
}

const codecs = new WeakMap<PgTable, PgTableCodec>();

export function pgCodecOf(table: PgTable): PgTableCodec {
  let codec = codecs.get(table);
  if (codec) return codec;
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => {
    const json = column.columnType === 'PgJsonb' || column.columnType === 'PgJson';
    return {
      key,
      name: column.name,
      toDriver: (value: unknown) => (value === null || value === undefined ? null : json ? JSON.stringify(value) : column.mapToDriverValue(value)),
      // Both drivers hand jsonb back parsed; bigint comes back as text and is mapped to a number.
      fromDriver: (value: unknown) => (value === null || value === undefined ? null : json ? value : column.mapFromDriverValue(value)),
    };
  });
  codec = { table: getTableConfig(table).name, columns, byKey: new Map(columns.map((c) => [c.key, c])) };
  codecs.set(table, codec);
  return codec;
}

export function decodePgRow<R>(codec: PgTableCodec, raw: Record<string, unknown>): R {
  const row: Record<string, unknown> = {};
  for (const c of codec.columns) row[c.key] = c.fromDriver(raw[c.name]);
  return row as R;
}

export const pgQuote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
