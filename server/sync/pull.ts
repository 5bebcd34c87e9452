import { entityCodec } from '../../db/pg/port.ts';
import type { Queryable } from '../../db/pg/queryable.ts';
import { decodePgRow, pgQuote } from '../../db/pg/row-codec.ts';
import type { EntityName } from '../../shared/domain/port.ts';
import { can } from '../../shared/domain/roles.ts';
import { DEFAULT_PULL_LIMIT, type Change, type MutationResult, type PullRequest, type PullResponse } from '../../shared/sync/protocol.ts';
import type { AuthUser } from '../auth/service.ts';
import type { ServerDatabase } from '../database.ts';
import { HttpError } from '../http-error.ts';
import { readHorizon } from './change-order.ts';
import { claimClientGroup } from './push.ts';
import { assertSchemaVersion } from './version.ts';

export interface PullDeps {
  db: ServerDatabase;
  open: (sealed: string) => string;
  clock: () => Date;
}

interface ChangeRow {
  entity: EntityName;
  row_id: string;
  op: 'put' | 'del';
  version: string | number;
}

/**
 * Changes since the desktop's cookie, in the server's commit order, in one REPEATABLE READ
 * snapshot. A page ends on a version boundary, so a mutation's changes never straddle two pages.
 * The change log keeps each row's latest change only, so a row a mutation made may arrive in a
 * later page (someone changed it since): last-mutation-ids therefore come with the last page
 * only, when every change up to them has arrived. Results come with the page of their version,
 * so the desktop can record refusals as they arrive.
 */
export async function pull(deps: PullDeps, user: AuthUser, request: PullRequest): Promise<PullResponse> {
  assertSchemaVersion(request.schemaVersion);
  await claimClientGroup(deps.db, request.clientGroupId, user.id, deps.clock());
  const limit = request.limit ?? DEFAULT_PULL_LIMIT;
  // When what the user may see has changed since the workstation last pulled (a role given or
  // taken), every row is sent again, scoped anew: a desktop that lost the right to see bank
  // account numbers has them blanked, one that gained it receives them.
  const scope = scopeOf(user);
  const stored = await deps.db.query<{ scope: string | null }>(
    'UPDATE sync_client_groups g SET scope = $2 FROM (SELECT scope FROM sync_client_groups WHERE client_group_id = $1 FOR UPDATE) old WHERE g.client_group_id = $1 RETURNING old.scope',
    [request.clientGroupId, scope],
  );
  const previous = stored.rows[0]?.scope ?? null;
  const since = previous !== null && previous !== scope ? 0 : (request.cookie ?? 0);

  return deps.db.transaction(
    async (tx) => {
      // Everything below the horizon is final (change-order.ts); `current` is the cookie of a pull
      // that has seen all of it.
      const current = (await readHorizon(tx)) - 1;
      if (since > current) throw new HttpError(409, 'RESET_REQUIRED', 'This workstation is ahead of the server; it must sync again from the start.');

      let page = (
        await tx.query<ChangeRow>('SELECT entity, row_id, op, version FROM change_log WHERE version > $1 AND version <= $2 ORDER BY version LIMIT $3', [
          since,
          current,
          limit + 1,
        ])
      ).rows;
      let cookie = current;
      let more = false;
      if (page.length > limit) {
        // Cut at the last whole version of the page, and take all of that version's rows.
        const boundary = Number(page[limit - 1]?.version);
        const atBoundary = await tx.query<ChangeRow>('SELECT entity, row_id, op, version FROM change_log WHERE version = $1', [boundary]);
        // Versions are transaction ids, with gaps: whether anything follows the cut is asked, not
        // computed, so that a last page is never followed by an empty one.
        more =
          page.some((c) => Number(c.version) > boundary) ||
          (await tx.query('SELECT 1 FROM change_log WHERE version > $1 AND version <= $2 LIMIT 1', [boundary, current])).rows.length > 0;
        page = [...page.filter((c) => Number(c.version) < boundary), ...atBoundary.rows];
        if (more) cookie = boundary;
      }
      // Counting what is left costs a scan of the change log: done in full once, on a first sync's
      // first page (its total drives the progress bar); later pages count at most ten pages ahead.
      const remaining = more
        ? Number(
            (
              await tx.query<{ n: string | number }>('SELECT count(*) AS n FROM (SELECT 1 FROM change_log WHERE version > $1 AND version <= $2 LIMIT $3) ahead', [
                cookie,
                current,
                since === 0 ? null : limit * 10,
              ])
            ).rows[0]?.n ?? 0,
          )
        : 0;
      const changes = await materialise(tx, page, user, deps.open);
      const results = await tx.query<ResultRow>(
        `SELECT client_id, mutation_id, name, status, code, message, details FROM mutation_results
         WHERE client_group_id = $1 AND version > $2 AND version <= $3 ORDER BY version`,
        [request.clientGroupId, since, cookie],
      );
      const lmids = await tx.query<{ client_id: string; last: string | number }>(
        'SELECT client_id, max(mutation_id) AS last FROM mutation_results WHERE client_group_id = $1 AND version <= $2 GROUP BY client_id',
        [request.clientGroupId, cookie],
      );
      return {
        cookie,
        lastMutationIds: more ? {} : Object.fromEntries(lmids.rows.map((r) => [r.client_id, Number(r.last)])),
        results: results.rows.map(toResult),
        changes,
        more,
        remaining,
      };
    },
    { isolation: 'repeatable read', readOnly: true },
  );
}

interface ResultRow {
  client_id: string;
  mutation_id: string | number;
  name: string;
  status: 'applied' | 'rejected';
  code: string | null;
  message: string | null;
  details: { fields?: Record<string, string>; conflict?: MutationResult['conflict'] } | null;
}

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

async function materialise(tx: Queryable, page: ChangeRow[], user: AuthUser, open: (sealed: string) => string): Promise<Change[]> {
  const byEntity = new Map<EntityName, string[]>();
  for (const change of page) {
    if (change.op !== 'put') continue;
    const ids = byEntity.get(change.entity) ?? [];
    ids.push(change.row_id);
    byEntity.set(change.entity, ids);
  }
  const rows = new Map<string, Record<string, unknown>>();
  for (const [entity, ids] of byEntity) {
    const codec = entityCodec(entity);
    const found = await tx.query(`SELECT * FROM ${pgQuote(codec.table)} WHERE "id" = ANY($1)`, [ids]);
    for (const raw of found.rows) {
      const row = decodePgRow<Record<string, unknown>>(codec, raw);
      rows.set(`${entity}\u0000${String(row.id)}`, scopeRow(entity, row, user, open));
    }
  }
  const changes: Change[] = [];
  for (const change of page) {
    if (change.op === 'del') {
      changes.push({ op: 'del', table: change.entity, id: change.row_id });
      continue;
    }
    const row = rows.get(`${change.entity}\u0000${change.row_id}`);
    if (row) changes.push({ op: 'put', table: change.entity, row });
  }
  return changes;
}

/** The part of a user's roles that decides what pulled rows hold (scopeRow). */
export function scopeOf(user: AuthUser): string {
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
