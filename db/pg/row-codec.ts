import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { decodeRow, type TableCodec } from '../row-change.ts';

/** A PostgreSQL row as a store-independent row. */
export const decodePgRow = decodeRow;

/**
 * Rows in and out of PostgreSQL without building a query per call: columns and their driver
 * mappings (jsonb, bigint as number) come from the drizzle schema, as db/sqlite/row-codec.ts does
 * for the desktop.
 */

const codecs = new WeakMap<PgTable, TableCodec>();

export function pgCodecOf(table: PgTable): TableCodec {
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


export const pgQuote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
