import { codecOf, encodeRow } from '../../db/sqlite/row-codec.ts';
import { entityTables } from '../../db/sqlite/schema.ts';
import type { EntityName } from '../../shared/domain/port.ts';
import type { Change, PullResponse } from '../../shared/sync/protocol.ts';
import { wireRowSchemas } from '../../shared/sync/rows.ts';

/** One table's rows of a page, checked and in SQLite's column order, one row after another. */
export interface PulledTable {
  table: EntityName;
  columns: number;
  values: unknown[];
  /**
   * The column that carries a carrier's bank account number, still in the clear: only the engine
   * holds the key that seals it (Electron's safeStorage lives in the main thread), so it seals the
   * column just before writing.
   */
  unsealedAt?: number;
}

/** A page's changes, ready to write. */
export interface PulledChanges {
  count: number;
  deleted: { table: EntityName; id: string }[];
  tables: PulledTable[];
  /** The loads of the page, whose quick-search terms change with them. */
  loadIds: string[];
  entities: EntityName[];
}

/** A pulled page whose changes are ready to write. */
export type DecodedPull = Omit<PullResponse, 'changes'> & { changes: PulledChanges };

/**
 * Checks each row against its table's schema and lays it out as SQLite's columns. Pure and
 * thread-free: a first sync does it in a worker (electron/sync/pull-decoder.ts), so the thread
 * that writes SQLite only writes.
 */
export function decodeChanges(changes: readonly Change[]): PulledChanges {
  const tables = new Map<EntityName, PulledTable>();
  const deleted: PulledChanges['deleted'] = [];
  const loadIds: string[] = [];
  const entities = new Set<EntityName>();
  for (const change of changes) {
    entities.add(change.table);
    if (change.op === 'del') {
      deleted.push({ table: change.table, id: change.id });
      continue;
    }
    const row: Record<string, unknown> = wireRowSchemas[change.table].parse(change.row);
    const codec = codecOf(entityTables[change.table]);
    let table = tables.get(change.table);
    if (!table) {
      table = { table: change.table, columns: codec.columns.length, values: [] };
      if (change.table === 'carriers') table.unsealedAt = codec.columns.findIndex((c) => c.key === 'bankAccountSealed');
      tables.set(change.table, table);
    }
    if (change.table === 'carriers') {
      row.bankAccountSealed = row.bankAccountNumber ?? null;
      delete row.bankAccountNumber;
    }
    if (change.table === 'loads') loadIds.push(String(row.id));
    for (const value of encodeRow(codec, row)) table.values.push(value);
  }
  return { count: changes.length, deleted, tables: [...tables.values()], loadIds, entities: [...entities] };
}

export const isDecoded = (page: PullResponse | DecodedPull): page is DecodedPull => !Array.isArray(page.changes);

export function decodePage(page: PullResponse): DecodedPull {
  return { ...page, changes: decodeChanges(page.changes) };
}
