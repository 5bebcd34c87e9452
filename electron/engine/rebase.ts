import type Database from 'better-sqlite3';
import type { SqliteTxPort, RowChange } from '../../db/sqlite/port.ts';
import { codecOf, encodeRow, prepared, quote } from '../../db/sqlite/row-codec.ts';
import { entityTables } from '../../db/sqlite/schema.ts';
import type { MutationName } from '../../shared/contract/index.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { ENTITY_NAMES, type EntityName } from '../../shared/domain/port.ts';
import { changeCount, rowReader, type Change, type MutationResult, type PullResponse } from '../../shared/sync/protocol.ts';
import { wireFields, wireRowSchemas } from '../../shared/sync/rows.ts';
import { isUniqueViolation, moveAsideUniqueValues } from './unique-values.ts';

export interface OutboxEntry {
  clientId: string;
  id: number;
  name: MutationName;
  args: string;
  argsSealed: boolean;
  actorUserId: string;
  createdAt: string;
}

export interface RebaseDeps {
  raw: Database.Database;
  seal: (secret: string) => string;
  now: () => string;
  /** Runs one pending mutation again on the current rows; returns the rows it changed. */
  replay: (entry: OutboxEntry) => Promise<SqliteTxPort>;
  writeAudit: (changes: RowChange[], m: { actorUserId: string; mutationId: number; name: string; at: string }) => void;
}

export interface RebaseOutcome {
  applied: number;
  confirmed: number;
  rejected: number;
  replayed: number;
  entities: Set<EntityName>;
}

/**
 * One pulled page, applied as DESIGN.md's rebase, inside the caller's transaction: undo the
 * pending mutations (from the before-images in the audit log, newest first), apply the server's
 * changes, drop the mutations the server has processed (keeping the refused ones in Sync issues),
 * and replay the rest on top. A crash anywhere rolls the whole page back, cookie included.
 */
export async function rebase(deps: RebaseDeps, page: PullResponse, options: { wipe?: boolean } = {}): Promise<RebaseOutcome> {
  const { raw } = deps;
  const entities = new Set<EntityName>();
  const pending = readOutbox(raw);
  if (pending.length > 0) undoPending(raw, entities);
  if (options.wipe) wipeSyncedRows(raw, entities);

  await applyChanges(raw, page.changes, deps.seal, entities);

  let confirmed = 0;
  let rejected = 0;
  const byId = new Map(pending.map((e) => [`${e.clientId}:${String(e.id)}`, e]));
  for (const result of page.results) {
    const entry = byId.get(`${result.clientId}:${String(result.id)}`);
    if (result.status === 'rejected' && entry) {
      recordIssue(raw, entry, result, deps.now());
      rejected++;
    }
  }
  // Only the last page of a pull confirms mutations: before it, a row a confirmed mutation made
  // may still be on its way (server/sync/pull.ts), so everything pending is replayed.
  const lastIds = page.more ? {} : page.lastMutationIds;
  for (const [clientId, lastId] of Object.entries(lastIds)) {
    // Refused mutations never happened: their audit entries go with them; applied ones keep theirs.
    prepared(
      raw,
      'DELETE FROM audit_log WHERE client_id = ? AND mutation_id <= ? AND mutation_id IN (SELECT mutation_id FROM sync_issues WHERE client_id = ?)',
    ).run(clientId, lastId, clientId);
    confirmed += prepared(raw, 'DELETE FROM outbox WHERE client_id = ? AND id <= ?').run(clientId, lastId).changes;
  }

  const remaining = pending.filter((e) => e.id > (lastIds[e.clientId] ?? 0));
  let replayed = 0;
  for (const entry of remaining) {
    prepared(raw, 'DELETE FROM audit_log WHERE client_id = ? AND mutation_id = ?').run(entry.clientId, entry.id);
    raw.exec('SAVEPOINT replay');
    try {
      const port = await deps.replay(entry);
      deps.writeAudit(port.changes, { actorUserId: entry.actorUserId, mutationId: entry.id, name: entry.name, at: entry.createdAt });
      for (const c of port.changes) entities.add(c.entity);
      raw.exec('RELEASE replay');
      replayed++;
    } catch (error) {
      raw.exec('ROLLBACK TO replay');
      raw.exec('RELEASE replay');
      // The rules refuse it on the newer rows: it stays queued without a local effect, and the
      // server, which decides, will answer it.
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return { applied: changeCount(page.changes), confirmed, rejected, replayed, entities };
}

export function readOutbox(raw: Database.Database, range?: { clientId: string; afterId: number; limit: number }): OutboxEntry[] {
  const columns = 'SELECT client_id, id, name, args, args_sealed, actor_user_id, created_at FROM outbox';
  const rows = (
    range
      ? prepared(raw, `${columns} WHERE client_id = ? AND id > ? ORDER BY id LIMIT ?`).all(range.clientId, range.afterId, range.limit)
      : prepared(raw, `${columns} ORDER BY client_id, id`).all()
  ) as {
    client_id: string;
    id: number;
    name: MutationName;
    args: string;
    args_sealed: number;
    actor_user_id: string;
    created_at: string;
  }[];
  return rows.map((r) => ({
    clientId: r.client_id,
    id: r.id,
    name: r.name,
    args: r.args,
    argsSealed: r.args_sealed === 1,
    actorUserId: r.actor_user_id,
    createdAt: r.created_at,
  }));
}

/**
 * Empties every synced table (their triggers take the derived rows with them), for the first page
 * of a sync from the start that replaces what the desktop held: after a server restored from a
 * backup, rows it no longer has must go too. Pending mutations stay queued and are replayed on top.
 */
function wipeSyncedRows(raw: Database.Database, entities: Set<EntityName>): void {
  for (const entity of ENTITY_NAMES) {
    raw.exec(`DELETE FROM ${quote(codecOf(entityTables[entity]).table)}`);
    entities.add(entity);
  }
}

/**
 * Puts back the rows the pending mutations changed, newest change first, from the before-images
 * the audit log keeps: afterwards the synced tables hold exactly what the server last sent.
 */
function undoPending(raw: Database.Database, entities: Set<EntityName>): void {
  const changes = prepared(
    raw,
    `SELECT a.entity, a.row_id, a.before, a.after FROM audit_log a JOIN outbox o ON o.client_id = a.client_id AND o.id = a.mutation_id
     ORDER BY a.mutation_id DESC, a.rowid DESC`,
  ).all() as { entity: EntityName; row_id: string; before: string | null; after: string | null }[];
  for (const change of changes) {
    const c = codecOf(entityTables[change.entity]);
    entities.add(change.entity);
    if (change.before === null) {
      prepared(raw, `DELETE FROM ${quote(c.table)} WHERE "id" = ?`).run(change.row_id);
    } else if (change.after === null) {
      prepared(raw, `INSERT INTO ${quote(c.table)} (${c.columns.map((col) => quote(col.name)).join(', ')}) VALUES (${c.columns.map(() => '?').join(', ')})`).run(
        ...encodeRow(c, JSON.parse(change.before) as Record<string, unknown>),
      );
    } else {
      const before = JSON.parse(change.before) as Record<string, unknown>;
      const cols = c.columns.filter((col) => col.key in before && col.key !== 'id');
      if (cols.length === 0) continue;
      prepared(raw, `UPDATE ${quote(c.table)} SET ${cols.map((col) => `${quote(col.name)} = ?`).join(', ')} WHERE "id" = ?`).run(
        ...cols.map((col) => col.toDriver(before[col.key])),
        change.row_id,
      );
    }
  }
}

const upsertSql = new Map<string, string>();

/**
 * `INSERT … VALUES (…), (…) ON CONFLICT ("id") DO UPDATE` of every column for `rows` rows at once,
 * built once per table and size. One statement for many rows saves a quarter of a first sync's
 * time in SQLite (docs/BENCHMARKS.md); the upsert applies row by row as ever.
 */
function upsertOf(entity: EntityName, rows: number): string {
  const key = `${entity}:${String(rows)}`;
  let text = upsertSql.get(key);
  if (!text) {
    const c = codecOf(entityTables[entity]);
    const names = c.columns.map((col) => quote(col.name));
    const tuple = `(${names.map(() => '?').join(', ')})`;
    text = `INSERT INTO ${quote(c.table)} (${names.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')} ON CONFLICT ("id") DO UPDATE SET ${names
      .filter((n) => n !== '"id"')
      .map((n) => `${n} = excluded.${n}`)
      .join(', ')}`;
    upsertSql.set(key, text);
  }
  return text;
}

/**
 * `values[from..to)` in one statement. A failed statement leaves nothing behind in SQLite, so when
 * a row needs a unique value a stale row here still holds, that value is moved aside and the
 * statement runs again; rows this page wrote before are not stale and are never moved.
 */
function upsert(raw: Database.Database, entity: EntityName, values: unknown[][], from: number, to: number): void {
  const rows = values.slice(from, to);
  const statement = prepared(raw, upsertOf(entity, rows.length));
  try {
    statement.run(rows.flat());
  } catch (error) {
    if (!isUniqueViolation(error) || moveAsideUniqueValues(raw, entityTables[entity], rows, values.slice(0, from)) === 0) throw error;
    statement.run(rows.flat());
  }
}

/** Pages with more loads than this index their quick-search terms in one statement at the end. */
const BULK_SEARCH_INDEX = 200;
/** Rows written by one statement, and the most parameters SQLite takes in one. */
const ROWS_PER_STATEMENT = 50;
const MAX_PARAMETERS = 32_766;
/** Statements between two moments the thread is let go. */
const YIELD_EVERY = 10;

/**
 * The server's rows, as they are. A page holds each row once (the change log keeps a row's latest
 * change only), so its rows are written table by table, many to a statement. A page of many loads
 * (a first sync) would spend most of its time in the quick-search triggers, which index one row per
 * statement; so for such a page the triggers stand down inside this transaction (a row in
 * search_index_pause, migration 0007), the terms of all its loads are indexed by one statement, and
 * the pause is lifted before it commits.
 */
async function applyChanges(raw: Database.Database, changes: Change[], seal: (secret: string) => string, entities: Set<EntityName>): Promise<void> {
  const rows = new Map<EntityName, unknown[][]>();
  const loadIds: string[] = [];
  const deleted: { table: EntityName; id: string }[] = [];
  const add = (entity: EntityName, wire: unknown) => {
    const row: Record<string, unknown> = wireRowSchemas[entity].parse(wire);
    if (entity === 'carriers') {
      const { bankAccountNumber } = row;
      row.bankAccountSealed = typeof bankAccountNumber === 'string' ? seal(bankAccountNumber) : null;
      delete row.bankAccountNumber;
    }
    if (entity === 'loads') loadIds.push(String(row.id));
    let table = rows.get(entity);
    if (!table) rows.set(entity, (table = []));
    table.push(encodeRow(codecOf(entityTables[entity]), row));
  };
  for (const change of changes) {
    entities.add(change.table);
    if (change.op === 'del') deleted.push(change);
    else if (change.op === 'put') add(change.table, change.row);
    else {
      const read = rowReader(change.columns, wireFields[change.table]);
      for (const values of change.rows) add(change.table, read(values));
    }
  }

  const bulkLoads = loadIds.length > BULK_SEARCH_INDEX;
  if (bulkLoads) {
    // The loads' old terms go now; their new ones are indexed all at once below.
    prepared(raw, 'INSERT INTO search_index_pause (id) VALUES (1)').run();
    prepared(raw, 'DELETE FROM loads_search WHERE rowid IN (SELECT rowid FROM loads WHERE id IN (SELECT value FROM json_each(?)))').run(JSON.stringify(loadIds));
  }
  let statements = 0;
  // A page of thousands of rows takes a good part of a second: now and then the thread is let go,
  // so the next page's request reaches the server meanwhile and the host stays responsive (the
  // engine's queue keeps every other write out of this transaction).
  const breathe = async () => {
    if (++statements % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
  };
  // Deletions first: a value a deleted row held (a unique number) may be taken by a row of this page.
  for (const d of deleted) {
    prepared(raw, `DELETE FROM ${quote(codecOf(entityTables[d.table]).table)} WHERE "id" = ?`).run(d.id);
    await breathe();
  }
  for (const [entity, values] of rows) {
    const many = Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / codecOf(entityTables[entity]).columns.length));
    let i = 0;
    for (; i + many <= values.length; i += many) {
      upsert(raw, entity, values, i, i + many);
      await breathe();
    }
    for (; i < values.length; i++) upsert(raw, entity, values, i, i + 1);
  }
  if (bulkLoads) {
    prepared(raw, 'DELETE FROM search_index_pause').run();
    prepared(
      raw,
      `INSERT INTO loads_search (rowid, terms)
       SELECT rowid, load_number || ' ' || substr(load_number, 2) || ' ' || coalesce(po_number, '') || ' ' || coalesce(bol_number, '') || ' ' ||
         coalesce(pro_number, '') || ' ' || origin_city || ' ' || dest_city
       FROM loads WHERE id IN (SELECT value FROM json_each(?))`,
    ).run(JSON.stringify(loadIds));
  }
}

function recordIssue(raw: Database.Database, entry: OutboxEntry, result: MutationResult, now: string): void {
  const details = result.fields || result.conflict ? JSON.stringify({ fields: result.fields, conflict: result.conflict }) : null;
  prepared(
    raw,
    `INSERT INTO sync_issues (client_id, mutation_id, name, args, args_sealed, actor_user_id, created_at, code, message, details, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(entry.clientId, entry.id, entry.name, entry.args, entry.argsSealed ? 1 : 0, entry.actorUserId, entry.createdAt, result.code ?? 'REJECTED', result.message ?? 'The server refused this change.', details, now);
}

