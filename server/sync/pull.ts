import { entityCodec } from '../../db/pg/port.ts';
import { sqlLiteral } from '../../db/pg/queryable.ts';
import { decodePgRow, pgQuote } from '../../db/pg/row-codec.ts';
import { ENTITY_NAMES, type EntityName } from '../../shared/domain/port.ts';
import { can } from '../../shared/domain/roles.ts';
import { DEFAULT_PULL_LIMIT, type Change, type MutationResult, type PullFormat, type PullRequest, type PullResponse, type PullScope } from '../../shared/sync/protocol.ts';
import { wireColumns } from '../../shared/sync/rows.ts';
import type { AuthUser } from '../auth/service.ts';
import type { ServerDatabase } from '../database.ts';
import { HttpError } from '../http-error.ts';
import { HORIZON_SQL } from './change-order.ts';
import type { PageReadAhead } from './page-read-ahead.ts';
import { claimClientGroup } from './push.ts';
import { assertSchemaVersion } from './version.ts';

export interface PullDeps {
  db: ServerDatabase;
  open: (sealed: string) => string;
  clock: () => Date;
  /** Where the next page of a pull of many pages is made while this one travels (page-read-ahead.ts). */
  readAhead?: PageReadAhead<PullResponse>;
  /** This life of the database (secrets.ts, loadIncarnation); a cookie from another is refused. */
  incarnation?: string;
}

/**
 * Changes since the desktop's cookie, in the server's commit order, in one REPEATABLE READ
 * snapshot. A page is a range of versions (cookie, next cookie], ending on a version boundary, so a
 * mutation's changes never straddle two pages. The change log keeps each row's latest change only,
 * so a row a mutation made may arrive in a later page (someone changed it since): last-mutation-ids
 * therefore come with the last page only, when every change up to them has arrived. Results come
 * with the page of their version, so the desktop can record refusals as they arrive.
 */
export async function pull(deps: PullDeps, user: AuthUser, request: PullRequest): Promise<PullResponse> {
  assertSchemaVersion(request.schemaVersion);
  if (deps.incarnation !== undefined && request.incarnation !== undefined && request.incarnation !== deps.incarnation && request.cookie !== null) {
    throw new HttpError(409, 'RESET_REQUIRED', 'The server was restored from a backup since this workstation last synced; it must sync again from the start.');
  }
  const limit = request.limit ?? DEFAULT_PULL_LIMIT;
  // When what the user may see is not what the desktop's rows hold (a role given or taken), every
  // row is sent again, scoped anew: bank account numbers blanked, or sent. The desktop says what
  // it holds; the scope the server last sent is only a fallback for one that does not, as an
  // answer the desktop never applied (lost, or the desktop died) may have carried it.
  const scope = scopeOf(user);
  const previous = request.scope ?? (await swapScope(deps, request.clientGroupId, user, scope));
  const since = previous !== null && previous !== scope ? 0 : (request.cookie ?? 0);
  const page = { clientGroupId: request.clientGroupId, since, limit, scope, format: request.format ?? 'rows' };
  let read = (await deps.readAhead?.take({ ...page, userId: user.id })) ?? (await readPage(deps, user, page));
  if (!read) {
    // New here: registered, then read again. Another user's: refused (by the claim), nothing sent.
    await claimClientGroup(deps.db, request.clientGroupId, user.id, deps.clock());
    read = await readPage(deps, user, page);
    if (!read) throw new HttpError(403, 'FORBIDDEN', 'This workstation is registered to another user.');
  }
  const next = { ...page, since: read.cookie };
  if (read.more) deps.readAhead?.start({ ...next, userId: user.id }, () => readPage(deps, user, next));
  return deps.incarnation === undefined ? read : { ...read, incarnation: deps.incarnation };
}

/**
 * The page after `since`, in one round trip, or null when the workstation is not registered to
 * the user (checked in the same round trip): each statement leaves what the next ones need (the
 * horizon, where the page ends) in a transaction-local setting, all in the snapshot of the first.
 */
async function readPage(
  deps: PullDeps,
  user: AuthUser,
  { clientGroupId, since, limit, scope, format }: { clientGroupId: string; since: number; limit: number; scope: PullScope; format: PullFormat },
): Promise<PullResponse | null> {
  const answers = await deps.db.transaction(
    (tx) =>
      tx.finish([
        // Everything below the horizon is final (change-order.ts); `current` is the cookie of a
        // pull that has seen all of it.
        `SELECT set_config('notchify.pull_current', (h.horizon - 1)::text, true) AS current FROM (${HORIZON_SQL}) h`,
        `SELECT user_id FROM sync_client_groups WHERE client_group_id = ${sqlLiteral(clientGroupId)}`,
        ...PAGE_PLANNER_SETTINGS,
        // The page ends at the version of its `limit`-th change, taking all of that version's
        // changes; versions are transaction ids, with gaps, so whether anything follows is asked.
        `${pageEndSql(since, limit)} SELECT set_config('notchify.pull_cookie', cookie::text, true) AS cookie, more FROM page`,
        `SELECT client_id, mutation_id, name, status, code, message, details FROM mutation_results
         WHERE client_group_id = ${sqlLiteral(clientGroupId)} AND version > ${sqlLiteral(since)} AND version <= ${COOKIE} ORDER BY version, client_id, mutation_id`,
        // Last-mutation-ids come with the last page only (see above), the one that ends at `current`.
        `SELECT client_id, max(mutation_id) AS last FROM mutation_results
         WHERE ${COOKIE} = ${CURRENT} AND client_group_id = ${sqlLiteral(clientGroupId)} AND version <= ${COOKIE} GROUP BY client_id`,
        // Counting what is left costs a scan of the change log: done in full once, on a first
        // sync's first page (its total drives the progress bar); later pages count at most one page ahead.
        `SELECT count(*) AS n FROM (SELECT 1 FROM change_log WHERE version > ${COOKIE} AND version <= ${CURRENT} LIMIT ${since === 0 ? 'ALL' : sqlLiteral(limit)}) ahead`,
        `SELECT entity, row_id FROM change_log WHERE op = 'del' AND version > ${sqlLiteral(since)} AND version <= ${COOKIE}`,
        ...ENTITY_NAMES.map((entity) => changedRowsSql(entity, since)),
      ]),
    { isolation: 'repeatable read', readOnly: true },
  );
  const [horizon, owners, , , ends, results, lmids, remaining, deleted, ...changed] = answers;
  const current = Number((horizon?.[0] as { current: string } | undefined)?.current ?? 0);
  if ((owners?.[0] as { user_id: string } | undefined)?.user_id !== user.id) return null;
  if (since > current) throw new HttpError(409, 'RESET_REQUIRED', 'This workstation is ahead of the server; it must sync again from the start.');
  const end = ends?.[0] as { cookie: string; more: boolean } | undefined;
  return {
    cookie: Number(end?.cookie ?? current),
    lastMutationIds: Object.fromEntries(((lmids ?? []) as { client_id: string; last: string | number }[]).map((r) => [r.client_id, Number(r.last)])),
    results: ((results ?? []) as ResultRow[]).map(toResult),
    changes: changesOf(changed, (deleted ?? []) as { entity: EntityName; row_id: string }[], user, deps.open, format),
    more: end?.more ?? false,
    scope,
    remaining: Number((remaining?.[0] as { n: string | number } | undefined)?.n ?? 0),
  };
}

/** The horizon less one (the newest version a pull may send), and the end of this pull's page, as the statements above leave them. */
const CURRENT = "current_setting('notchify.pull_current')::bigint";
const COOKIE = "current_setting('notchify.pull_cookie')::bigint";

/**
 * A page joins at most `limit` change-log entries to their rows by primary key. With PostgreSQL's
 * defaults (random_page_cost 4, costed for spinning disks) the planner would rather read a
 * 700,000-row table whole and hash it, for every page: a first sync then took three times as long.
 * Rows read by key from cached pages cost about what sequential ones do, and parallel workers
 * only queue behind the other requests on a small server.
 */
const PAGE_PLANNER_SETTINGS = ['SET LOCAL random_page_cost = 1.1', 'SET LOCAL max_parallel_workers_per_gather = 0'];

/**
 * A CTE `page` (cookie, more): where the page of changes after `since` ends, `limit` changes on
 * (all of its last version's changes included), or at `current` when no change follows that.
 */
function pageEndSql(since: number, limit: number): string {
  const after = sqlLiteral(since);
  return `WITH cut AS (SELECT version FROM change_log WHERE version > ${after} AND version <= ${CURRENT} ORDER BY version OFFSET ${sqlLiteral(limit - 1)} LIMIT 1),
     follows AS (SELECT EXISTS (SELECT 1 FROM change_log WHERE version > (SELECT version FROM cut) AND version <= ${CURRENT}) AS more),
     page AS (SELECT CASE WHEN follows.more THEN (SELECT version FROM cut) ELSE ${CURRENT} END AS cookie, follows.more FROM follows)`;
}

/**
 * Records the scope this pull is sent with and answers the one the workstation had; in one round
 * trip for a workstation the server knows (a new one is registered to the user first).
 */
async function swapScope(deps: PullDeps, clientGroupId: string, user: AuthUser, scope: string): Promise<string | null> {
  const swap = () =>
    deps.db.query<{ scope: string | null; user_id: string }>(
      `UPDATE sync_client_groups g SET scope = $2 FROM (SELECT scope, user_id FROM sync_client_groups WHERE client_group_id = $1 FOR UPDATE) old
       WHERE g.client_group_id = $1 AND old.user_id = $3 RETURNING old.scope, old.user_id`,
      [clientGroupId, scope, user.id],
    );
  let swapped = await swap();
  if (swapped.rows.length === 0) {
    // New here, or another user's workstation (which claimClientGroup refuses).
    await claimClientGroup(deps.db, clientGroupId, user.id, deps.clock());
    swapped = await swap();
  }
  return swapped.rows[0]?.scope ?? null;
}

type ResultRow = {
  client_id: string;
  mutation_id: string | number;
  name: string;
  status: 'applied' | 'rejected';
  code: string | null;
  message: string | null;
  details: { fields?: Record<string, string>; conflict?: MutationResult['conflict'] } | null;
};

function toResult(row: ResultRow): MutationResult {
  return {
    clientId: row.client_id,
    id: Number(row.mutation_id),
    name: row.name,
    status: row.status,
    ...(row.code ? { code: row.code } : {}),
    ...(row.message ? { message: row.message } : {}),
    ...(row.details?.fields ? { fields: row.details.fields } : {}),
    ...(row.details?.conflict ? { conflict: row.details.conflict } : {}),
  };
}

/** Rows of `entity` changed after `since`, up to the page's end. */
function changedRowsSql(entity: EntityName, since: number): string {
  return `SELECT t.* FROM change_log c JOIN ${pgQuote(entityCodec(entity).table)} t ON t."id" = c.row_id
    WHERE c.entity = ${sqlLiteral(entity)} AND c.op = 'put' AND c.version > ${sqlLiteral(since)} AND c.version <= ${COOKIE}`;
}

/**
 * The page's changes: each table's changed rows (in ENTITY_NAMES order), scoped to the user, then
 * the deletions. In the `columns` format a table's rows are one `putRows` change, in the order of
 * the table's wire columns.
 */
function changesOf(
  changed: Record<string, unknown>[][],
  deleted: { entity: EntityName; row_id: string }[],
  user: AuthUser,
  open: (sealed: string) => string,
  format: PullFormat,
): Change[] {
  const changes: Change[] = [];
  ENTITY_NAMES.forEach((entity, i) => {
    const codec = entityCodec(entity);
    const raws = changed[i] ?? [];
    if (format === 'columns') {
      if (raws.length === 0) return;
      const columns = wireColumns[entity];
      const rows = raws.map((raw) => {
        const row = scopeRow(entity, decodePgRow<Record<string, unknown>>(codec, raw), user, open);
        return columns.map((column) => row[column] ?? null);
      });
      changes.push({ op: 'putRows', table: entity, columns: [...columns], rows });
      return;
    }
    for (const raw of raws) {
      changes.push({ op: 'put', table: entity, row: scopeRow(entity, decodePgRow<Record<string, unknown>>(codec, raw), user, open) });
    }
  });
  for (const d of deleted) changes.push({ op: 'del', table: d.entity, id: d.row_id });
  return changes;
}

/** The part of a user's roles that decides what pulled rows hold (scopeRow). */
export function scopeOf(user: AuthUser): PullScope {
  return can(user.roles, 'carriers.bank.reveal') ? 'bank' : 'masked';
}

/**
 * What a user may hold of a row: nobody gets password hashes; bank account numbers reach only the
 * roles that pay carriers (as the number itself, which the desktop seals with its own key); other
 * roles keep the masked last four digits.
 */
export function scopeRow(entity: EntityName, row: Record<string, unknown>, user: AuthUser, open: (sealed: string) => string): Record<string, unknown> {
  if (entity === 'users') return { ...row, passwordHash: '' };
  if (entity === 'carriers') {
    const { bankAccountSealed, ...rest } = row;
    const mayHold = can(user.roles, 'carriers.bank.reveal') && typeof bankAccountSealed === 'string';
    return { ...rest, bankAccountNumber: mayHold ? open(bankAccountSealed) : null };
  }
  return row;
}
