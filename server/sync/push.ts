import { v7 as uuidv7 } from 'uuid';
import { PgTxPort, type Prelude } from '../../db/pg/port.ts';
import { sqlLiteral, sqlTextArray, type Queryable, type Transaction } from '../../db/pg/queryable.ts';
import type { RowChange } from '../../db/row-change.ts';
import { contract, type CommandSpec, type MutationName } from '../../shared/contract/index.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { idSchema } from '../../shared/domain/fields.ts';
import { runMutation } from '../../shared/domain/mutators/index.ts';
import { type Conflict, type MutationEnvelope, type MutationResult, type PushRequest, type PushResponse } from '../../shared/sync/protocol.ts';
import type { AuthUser } from '../auth/service.ts';
import type { ServerDatabase } from '../database.ts';
import { HttpError } from '../http-error.ts';
import { CHANGE_VERSION_SQL } from './change-order.ts';
import { isTransient, isUniqueViolation } from './transient.ts';
import { assertSchemaVersion } from './version.ts';

export interface PushDeps {
  db: ServerDatabase;
  seal: (secret: string) => string;
  clock: () => Date;
  onResult?: (result: MutationResult) => void;
  log?: (message: string, error: unknown) => void;
}

const ATTEMPTS = 4;

export function isMutationName(name: string): name is MutationName {
  const specs: Record<string, CommandSpec | undefined> = contract;
  return Object.hasOwn(specs, name) && specs[name]?.kind === 'mutation';
}

/**
 * Applies a desktop's mutations, each in its own transaction together with its client's
 * last-mutation-id and its stored result, so each applies exactly once however often it is sent.
 * A mutation the rules refuse is consumed as `rejected`; a transient database failure consumes
 * nothing and ends the push (the desktop sends the rest again).
 */
export async function push(deps: PushDeps, user: AuthUser, request: PushRequest): Promise<PushResponse> {
  assertSchemaVersion(request.schemaVersion);
  // Refused before anything is written: a push may carry only its user's own, known mutations.
  for (const m of request.mutations) {
    if (m.actorUserId !== user.id) {
      throw new HttpError(403, 'FORBIDDEN', `Mutation ${String(m.id)} was made by another user; a push may carry only the signed-in user's mutations.`);
    }
    if (!isMutationName(m.name)) throw new HttpError(400, 'VALIDATION', `Unknown mutation "${m.name}"`, { fields: { name: 'Unknown mutation' } });
  }
  const actor: ActorRoles = { roles: await registerClients(deps.db, request.clientGroupId, [...new Set(request.mutations.map((m) => m.clientId))], user.id, deps.clock()) };

  const results: MutationResult[] = [];
  const stopped = new Set<string>();
  for (const m of request.mutations) {
    if (stopped.has(m.clientId)) continue;
    const result = await processWithRetries(deps, user, actor, request.clientGroupId, m);
    if (result === 'gap' || result === 'transient') {
      stopped.add(m.clientId);
      if (result === 'transient' && results.length === 0) {
        throw new HttpError(503, 'TRY_LATER', 'The sync server could not reach its database. Your changes are kept and will be sent again.');
      }
      continue;
    }
    results.push(result);
    deps.onResult?.(result);
  }
  return { results, lastMutationIds: await lastMutationIds(deps.db, request.clientGroupId) };
}

/** Registers the workstation to the user when it is new; refuses one registered to another user. */
export async function claimClientGroup(db: Queryable, clientGroupId: string, userId: string, now: Date): Promise<void> {
  // One round trip: the row this statement inserts, or the one already there.
  const { rows } = await db.query<{ user_id: string }>(
    `WITH mine AS (INSERT INTO sync_client_groups (client_group_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING user_id)
     SELECT user_id FROM mine UNION ALL SELECT user_id FROM sync_client_groups WHERE client_group_id = $1`,
    [clientGroupId, userId, now.toISOString()],
  );
  // A workstation registered at the same moment by a transaction this statement's snapshot
  // predates is seen by a statement of its own.
  const owner = rows[0]?.user_id ?? (await db.query<{ user_id: string }>('SELECT user_id FROM sync_client_groups WHERE client_group_id = $1', [clientGroupId])).rows[0]?.user_id;
  if (owner !== userId) throw new HttpError(403, 'FORBIDDEN', 'This workstation is registered to another user.');
}

/**
 * Registers the workstation and its clients to the signed-in user, all or nothing: a client that
 * belongs to another workstation or user refuses the whole push before anything is written.
 * Returns the user's roles as they are now (none when deactivated).
 */
async function registerClients(db: ServerDatabase, clientGroupId: string, clientIds: string[], userId: string, now: Date): Promise<AuthUser['roles']> {
  // Usually all is in place already (a workstation pushing again): seen in one round trip.
  const { rows: known } = await db.query<{ registered: boolean; roles: string[] | null; active: boolean | null }>(
    `SELECT EXISTS (SELECT 1 FROM sync_client_groups WHERE client_group_id = $1 AND user_id = $2)
        AND (SELECT count(*) FROM sync_clients WHERE client_id = ANY($3) AND client_group_id = $1 AND user_id = $2) = cardinality($3::text[]) AS registered,
        u.roles, u.active
     FROM (SELECT 1) AS one LEFT JOIN users u ON u.id = $2`,
    [clientGroupId, userId, clientIds],
  );
  const roles = rolesOf(known[0] ?? { roles: null, active: null });
  if (known[0]?.registered) return roles;
  await db.transaction(async (tx) => {
    await claimClientGroup(tx, clientGroupId, userId, now);
    const { rows } = await tx.query<{ client_id: string; client_group_id: string; user_id: string }>(
      'SELECT client_id, client_group_id, user_id FROM sync_clients WHERE client_id = ANY($1)',
      [clientIds],
    );
    if (rows.some((r) => r.client_group_id !== clientGroupId || r.user_id !== userId)) {
      throw new HttpError(403, 'FORBIDDEN', 'This client belongs to another workstation or user.');
    }
    for (const clientId of clientIds) {
      await tx.query('INSERT INTO sync_clients (client_id, client_group_id, user_id, last_mutation_id) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING', [
        clientId,
        clientGroupId,
        userId,
      ]);
    }
  });
  return roles;
}

function rolesOf(user: { roles: string[] | null; active: boolean | null }): AuthUser['roles'] {
  return user.active ? ((user.roles ?? []) as AuthUser['roles']) : [];
}

export async function lastMutationIds(db: Queryable, clientGroupId: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ client_id: string; last_mutation_id: string | number }>(
    'SELECT client_id, last_mutation_id FROM sync_clients WHERE client_group_id = $1',
    [clientGroupId],
  );
  return Object.fromEntries(rows.map((r) => [r.client_id, Number(r.last_mutation_id)]));
}

type Outcome = MutationResult | 'gap' | 'transient';
type Refusal = { code: string; message: string; fields?: Record<string, string> };

/** The actor's roles as this push last read them; a mutation whose claim finds them changed runs again with the new ones. */
interface ActorRoles {
  roles: AuthUser['roles'];
}

/** The rules refused the mutation: its transaction rolls back, and the refusal is recorded in one of its own. */
class Refused extends Error {
  readonly refusal: Refusal;
  constructor(refusal: Refusal) {
    super(refusal.message);
    this.refusal = refusal;
  }
}

/** The claim found the mutation is not its client's next: processed already, or one before it is missing. */
class NotNext extends Error {
  readonly lastMutationId: number;
  constructor(lastMutationId: number) {
    super('Not the next mutation of its client');
    this.lastMutationId = lastMutationId;
  }
}

/** The claim found the actor's roles changed since the mutation started: it runs again with them. */
class RolesChanged extends Error {
  readonly roles: AuthUser['roles'];
  constructor(roles: AuthUser['roles']) {
    super('The actor\'s roles changed');
    this.roles = roles;
  }
}

async function processWithRetries(deps: PushDeps, user: AuthUser, actor: ActorRoles, clientGroupId: string, m: MutationEnvelope): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      try {
        return await deps.db.transaction((tx) => processOne(deps, tx, user, actor, clientGroupId, m, attempt === ATTEMPTS));
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        return await deps.db.transaction((tx) => recordRefusal(deps, tx, user, clientGroupId, m, error.refusal, actor));
      }
    } catch (error) {
      if (error instanceof NotNext) return notNextOutcome(deps.db, m, error.lastMutationId);
      if (error instanceof RolesChanged) {
        // Not a failure: the rules must see the roles as they are now. Roles change rarely, so
        // this can't go round for long; it counts as an attempt all the same.
        actor.roles = error.roles;
        if (attempt < ATTEMPTS + 2) continue;
      }
      if (isTransient(error) || isUniqueViolation(error)) {
        if (attempt < ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
          continue;
        }
        if (isTransient(error)) return 'transient';
      }
      if (error instanceof HttpError) throw error;
      // Anything else would fail the same way on every retry and hold up the queue behind it:
      // the mutation is consumed as refused, in a transaction of its own, and shown to its clerk.
      deps.log?.(`mutation ${m.name} could not be recorded`, error);
      return deps.db.transaction((tx) => recordRefusal(deps, tx, user, clientGroupId, m, { code: 'INTERNAL', message: INTERNAL_MESSAGE }));
    }
  }
}

/**
 * The client's row, locked (pushes of one client serialise), where the mutation stands in its
 * sequence, and the actor's roles as they are now, on the server, so a permission revoked while
 * the desktop was offline refuses the mutation at replay. Literal values, so it can travel with the
 * transaction's BEGIN and the mutation's first reads.
 */
export function claimSql(user: Pick<AuthUser, 'id'>, m: Pick<MutationEnvelope, 'clientId'>): string {
  return `SELECT c.last_mutation_id, u.roles, u.active FROM sync_clients c LEFT JOIN users u ON u.id = ${sqlLiteral(user.id)}
     WHERE c.client_id = ${sqlLiteral(m.clientId)} FOR UPDATE OF c`;
}

type ClaimRow = { last_mutation_id: string | number; roles: string[] | null; active: boolean | null };

function readClaim(rows: Record<string, unknown>[]): { lastMutationId: number; roles: AuthUser['roles'] } {
  const row = rows[0] as ClaimRow | undefined;
  return { lastMutationId: Number(row?.last_mutation_id ?? 0), roles: rolesOf(row ?? { roles: null, active: null }) };
}

/** The claim as the port's prelude: it goes with the mutation's first reads, and its check runs before they are answered. */
function claimPrelude(user: AuthUser, actor: ActorRoles, m: MutationEnvelope): Prelude {
  return {
    statements: [claimSql(user, m)],
    check([rows]) {
      const claim = readClaim(rows ?? []);
      if (m.id !== claim.lastMutationId + 1) throw new NotNext(claim.lastMutationId);
      if (!sameRoles(claim.roles, actor.roles)) throw new RolesChanged(claim.roles);
    },
  };
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

async function notNextOutcome(db: Queryable, m: MutationEnvelope, lastMutationId: number): Promise<Outcome> {
  if (m.id > lastMutationId) return 'gap';
  const stored = await db.query<{ name: string }>('SELECT name FROM mutation_results WHERE client_id = $1 AND mutation_id = $2', [m.clientId, m.id]);
  return { clientId: m.clientId, id: m.id, name: stored.rows[0]?.name ?? m.name, status: 'alreadyProcessed' };
}

async function processOne(
  deps: PushDeps,
  tx: Transaction,
  user: AuthUser,
  actor: ActorRoles,
  clientGroupId: string,
  m: MutationEnvelope,
  lastAttempt: boolean,
): Promise<Outcome> {
  const name = m.name as MutationName;
  const now = deps.clock().toISOString();
  const services = { actor: { userId: user.id, roles: actor.roles }, now: () => now, newId: () => uuidv7(), seal: deps.seal };
  const port = new PgTxPort(tx, services, claimPrelude(user, actor, m));
  const result: MutationResult = { clientId: m.clientId, id: m.id, name, status: 'applied' };
  try {
    await runMutation(port, name, m.args);
    // A mutation that read nothing has not sent its claim yet: it must hold before the COMMIT.
    await port.sendPrelude();
    // The mutation's last writes, what it leaves, and the COMMIT: one round trip.
    await tx.finish([...port.takePending(), outcomeSql(port.changes, { userId: user.id, clientGroupId, clientId: m.clientId, mutationId: m.id, name, at: now, result })]);
  } catch (error) {
    if (error instanceof NotNext || error instanceof RolesChanged) throw error;
    const refusal = refusalOf(error, lastAttempt);
    if (!refusal) throw error;
    if (!(error instanceof DomainError)) deps.log?.(`mutation ${name} failed on the server`, error);
    throw new Refused(refusal);
  }
  return result;
}

const INTERNAL_MESSAGE = 'The server could not apply this change. It is kept in Sync issues; tell your administrator.';

/** A refused mutation, consumed: its result (with who changed the record first) and nothing else. */
async function recordRefusal(
  deps: PushDeps,
  tx: Transaction,
  user: AuthUser,
  clientGroupId: string,
  m: MutationEnvelope,
  refusal: Refusal,
  actor?: ActorRoles,
): Promise<Outcome> {
  const claim = readClaim((await tx.query(claimSql(user, m))).rows);
  if (m.id !== claim.lastMutationId + 1) return notNextOutcome(tx, m, claim.lastMutationId);
  // The rules may have refused it on roles read before they changed (before its claim went out).
  if (actor && !sameRoles(claim.roles, actor.roles)) throw new RolesChanged(claim.roles);
  const conflict = await whoChangedFirst(tx, m.args);
  // Messages and field names can echo what the desktop sent; PostgreSQL text and jsonb hold no NUL.
  const clean = (text: string) => text.replaceAll('\u0000', '');
  const fields = refusal.fields ? Object.fromEntries(Object.entries(refusal.fields).map(([k, v]) => [clean(k), clean(v)])) : undefined;
  const result: MutationResult = {
    clientId: m.clientId,
    id: m.id,
    name: m.name,
    status: 'rejected',
    code: refusal.code,
    message: clean(refusal.message),
    ...(fields ? { fields } : {}),
    ...(conflict ? { conflict } : {}),
  };
  await tx.finish([outcomeSql([], { userId: user.id, clientGroupId, clientId: m.clientId, mutationId: m.id, name: m.name, at: deps.clock().toISOString(), result })]);
  return result;
}

function refusalOf(error: unknown, lastAttempt: boolean): Refusal | null {
  if (error instanceof DomainError) return { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) };
  if (isTransient(error)) return null;
  if (isUniqueViolation(error)) {
    return lastAttempt ? { code: 'DUPLICATE', message: 'Another record already uses this value.' } : null;
  }
  // A mutator that fails for any other reason would fail on every retry and hold up the queue
  // behind it, so it is consumed and shown in the desktop's Sync issues inbox.
  return { code: 'INTERNAL', message: INTERNAL_MESSAGE };
}

/** The record a mutation was about (its `id` or `loadId`), and who last changed it on the server. */
async function whoChangedFirst(tx: Queryable, args: unknown): Promise<Conflict | null> {
  if (typeof args !== 'object' || args === null) return null;
  const record = args as Record<string, unknown>;
  const candidate = typeof record.loadId === 'string' ? record.loadId : typeof record.id === 'string' ? record.id : null;
  // Args the rules refused may hold anything; only a well-formed record id is looked up.
  const rowId = idSchema.safeParse(candidate).success ? candidate : null;
  if (!rowId) return null;
  const { rows } = await tx.query<{ entity: string; at: string; mutation_name: string | null; name: string | null }>(
    `SELECT a.entity, a.at, a.mutation_name, u.name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
     WHERE a.row_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT 1`,
    [rowId],
  );
  const row = rows[0];
  return row ? { entity: row.entity, rowId, changedBy: row.name, changedAt: row.at, mutationName: row.mutation_name } : null;
}

/**
 * Everything a processed mutation leaves, in one statement: the change log (latest op per row) and
 * the stored result under the transaction's change version (change-order.ts), the audit rows, and
 * the client's last-mutation-id. Its values are literals, so it can travel with the COMMIT.
 */
export function outcomeSql(
  changes: RowChange[],
  m: { userId: string; clientGroupId: string; clientId: string; mutationId: number; name: string; at: string; result: MutationResult },
): string {
  const latest = new Map<string, RowChange>();
  for (const change of changes) latest.set(`${change.entity}\u0000${change.id}`, change);
  const logged = [...latest.values()];
  const details = m.result.fields || m.result.conflict ? JSON.stringify({ fields: m.result.fields, conflict: m.result.conflict }) : null;
  const [at, userId, clientId, mutationId, name] = [m.at, m.userId, m.clientId, m.mutationId, m.name].map(sqlLiteral);
  return `WITH v AS (SELECT ${CHANGE_VERSION_SQL} AS version),
     log AS (
       INSERT INTO change_log (entity, row_id, op, version)
       SELECT t.entity, t.row_id, t.op, v.version
       FROM v, unnest(${sqlTextArray(logged.map((c) => c.entity))}, ${sqlTextArray(logged.map((c) => c.id))}, ${sqlTextArray(logged.map((c) => (c.after === null ? 'del' : 'put')))}) AS t(entity, row_id, op)
       ON CONFLICT (entity, row_id) DO UPDATE SET op = excluded.op, version = excluded.version),
     audit AS (
       INSERT INTO audit_log (id, at, actor_user_id, client_id, mutation_id, mutation_name, entity, row_id, before, after)
       SELECT t.id, ${at}, ${userId}, ${clientId}, ${mutationId}, ${name}, t.entity, t.row_id, t.before::jsonb, t.after::jsonb
       FROM unnest(${sqlTextArray(changes.map(() => uuidv7()))}, ${sqlTextArray(changes.map((c) => c.entity))}, ${sqlTextArray(changes.map((c) => c.id))},
                   ${sqlTextArray(changes.map((c) => jsonOrNull(c.before)))}, ${sqlTextArray(changes.map((c) => jsonOrNull(c.after)))}) AS t(id, entity, row_id, before, after)),
     result AS (
       INSERT INTO mutation_results (client_id, mutation_id, client_group_id, name, status, code, message, details, version, processed_at)
       SELECT ${clientId}, ${mutationId}, ${sqlLiteral(m.clientGroupId)}, ${name}, ${sqlLiteral(m.result.status)}, ${sqlLiteral(m.result.code ?? null)},
              ${sqlLiteral(m.result.message ?? null)}, ${sqlLiteral(details)}::jsonb, v.version, ${at} FROM v)
     UPDATE sync_clients SET last_mutation_id = ${mutationId}, last_seen_at = ${at} WHERE client_id = ${clientId}`;
}

export async function writeChangeLog(tx: Queryable, changes: RowChange[]): Promise<void> {
  const latest = new Map<string, RowChange>();
  for (const change of changes) latest.set(`${change.entity}\u0000${change.id}`, change);
  for (const change of latest.values()) {
    await tx.query(
      `INSERT INTO change_log (entity, row_id, op, version) VALUES ($1, $2, $3, ${CHANGE_VERSION_SQL})
       ON CONFLICT (entity, row_id) DO UPDATE SET op = excluded.op, version = excluded.version`,
      [change.entity, change.id, change.after === null ? 'del' : 'put'],
    );
  }
}

export async function writeAudit(tx: Queryable, changes: RowChange[], m: { userId: string; clientId: string; mutationId: number; name: string; at: string }): Promise<void> {
  for (const change of changes) {
    await tx.query(
      `INSERT INTO audit_log (id, at, actor_user_id, client_id, mutation_id, mutation_name, entity, row_id, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [uuidv7(), m.at, m.userId, m.clientId, m.mutationId, m.name, change.entity, change.id, jsonOrNull(change.before), jsonOrNull(change.after)],
    );
  }
}

function jsonOrNull(value: Record<string, unknown> | null): string | null {
  return value ? JSON.stringify(scrubSecrets(value)) : null;
}

/** The audit log never holds a password hash or a sealed account number. */
function scrubSecrets(value: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...value };
  for (const key of ['passwordHash', 'bankAccountSealed']) if (key in copy) copy[key] = copy[key] === null ? null : '[secret]';
  return copy;
}
