import { v7 as uuidv7 } from 'uuid';
import { PgTxPort, type Prelude } from '../../db/pg/port.ts';
import { sqlLiteral, sqlTextArray, type Queryable, type Transaction } from '../../db/pg/queryable.ts';
import { contract, type CommandSpec, type MutationName } from '../../shared/contract/index.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { idSchema } from '../../shared/domain/fields.ts';
import { runMutation } from '../../shared/domain/mutators/index.ts';
import { type Conflict, type MutationEnvelope, type MutationResult, type PushRequest, type PushResponse } from '../../shared/sync/protocol.ts';
import type { AuthUser } from '../auth/service.ts';
import type { ServerDatabase } from '../database.ts';
import { HttpError } from '../http-error.ts';
import { DEFAULT_GROUP_SIZE } from './group-size.ts';
import { outcomeSql, type ProcessedMutation } from './outcome.ts';
import { isTransient, isUniqueViolation } from './transient.ts';
import { assertSchemaVersion } from './version.ts';

export interface PushDeps {
  db: ServerDatabase;
  seal: (secret: string) => string;
  clock: () => Date;
  onResult?: (result: MutationResult) => void;
  log?: (message: string, error: unknown) => void;
  /** How many of a client's consecutive mutations may share one transaction (1: each its own). */
  groupSize?: number;
}

const ATTEMPTS = 4;


export function isMutationName(name: string): name is MutationName {
  const specs: Record<string, CommandSpec | undefined> = contract;
  return Object.hasOwn(specs, name) && specs[name]?.kind === 'mutation';
}

/**
 * Applies a desktop's mutations, each atomically with its client's last-mutation-id and its stored
 * result, so each applies exactly once however often it is sent. A client's consecutive mutations
 * go in groups: one transaction each, with every mutation in a savepoint of its own, and what they
 * leave written together with the COMMIT (processGroup). A mutation the rules refuse is consumed
 * as `rejected`; a transient database failure consumes nothing and ends the push (the desktop
 * sends the rest again).
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
  const clientIds = [...new Set(request.mutations.map((m) => m.clientId))];
  if (clientIds.length === 0) {
    await registerClients(deps.db, request.clientGroupId, [], user.id, deps.clock());
    return { results: [], lastMutationIds: await lastMutationIds(deps.db, request.clientGroupId) };
  }
  // The roles as the request's sign-in read them; each group's claim reads them again.
  const push: PushState = { clientGroupId: request.clientGroupId, actor: { roles: user.roles }, unconfirmedClients: clientIds, lastMutationIds: null };

  const results: MutationResult[] = [];
  const stopped = new Set<string>();
  for (let i = 0; i < request.mutations.length; ) {
    const m = request.mutations[i];
    if (!m || stopped.has(m.clientId)) {
      i++;
      continue;
    }
    const group = nextGroup(request.mutations, i, deps.groupSize ?? DEFAULT_GROUP_SIZE);
    const outcome = await processGroupWithRetries(deps, user, push, group);
    for (const result of outcome.results) {
      results.push(result);
      deps.onResult?.(result);
    }
    if (outcome.stop) {
      stopped.add(m.clientId);
      if (outcome.stop === 'transient' && results.length === 0) {
        throw new HttpError(503, 'TRY_LATER', 'The sync server could not reach its database. Your changes are kept and will be sent again.');
      }
    }
    i += Math.max(1, outcome.results.length);
  }
  return { results, lastMutationIds: push.lastMutationIds ?? (await lastMutationIds(deps.db, request.clientGroupId)) };
}

/** What a push knows as it goes. */
interface PushState {
  clientGroupId: string;
  /** The actor's roles as last read; a group whose claim finds them changed runs again with the new ones. */
  actor: ActorRoles;
  /** The push's clients until its first group has seen them all registered to this workstation and user. */
  unconfirmedClients: string[] | null;
  /** The workstation's last-mutation-ids as the last thing the push did left them, when that was a group's COMMIT. */
  lastMutationIds: Record<string, number> | null;
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
 */
async function registerClients(db: ServerDatabase, clientGroupId: string, clientIds: string[], userId: string, now: Date): Promise<void> {
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
}

function rolesOf(user: { roles: string[] | null; active: boolean | null }): AuthUser['roles'] {
  return user.active ? ((user.roles ?? []) as AuthUser['roles']) : [];
}

export async function lastMutationIds(db: Queryable, clientGroupId: string): Promise<Record<string, number>> {
  return lastMutationIdsOf((await db.query(lastMutationIdsSql(clientGroupId))).rows);
}

export function lastMutationIdsSql(clientGroupId: string): string {
  return `SELECT client_id, last_mutation_id FROM sync_clients WHERE client_group_id = ${sqlLiteral(clientGroupId)}`;
}

function lastMutationIdsOf(rows: Record<string, unknown>[]): Record<string, number> {
  return Object.fromEntries((rows as { client_id: string; last_mutation_id: string | number }[]).map((r) => [r.client_id, Number(r.last_mutation_id)]));
}

/** Whether the workstation and every client of the push are registered to the user: one row, `registered`. */
function registeredSql(clientGroupId: string, clientIds: string[], userId: string): string {
  const [group, user] = [clientGroupId, userId].map(sqlLiteral);
  return `SELECT EXISTS (SELECT 1 FROM sync_client_groups WHERE client_group_id = ${group} AND user_id = ${user})
      AND (SELECT count(*) FROM sync_clients WHERE client_id = ANY(${sqlTextArray(clientIds)}) AND client_group_id = ${group} AND user_id = ${user}) = ${sqlLiteral(clientIds.length)} AS registered`;
}

type Refusal = { code: string; message: string; fields?: Record<string, string> };

/** The actor's roles as this push last read them; a group whose claim finds them changed runs again with the new ones. */
interface ActorRoles {
  roles: AuthUser['roles'];
}

/** The claim found the group's first mutation is not its client's next: processed already, or one before it is missing. */
class NotNext extends Error {
  readonly lastMutationId: number;
  constructor(lastMutationId: number) {
    super('Not the next mutation of its client');
    this.lastMutationId = lastMutationId;
  }
}

/** The claim found the actor's roles changed since the push read them: the group runs again with them. */
class RolesChanged extends Error {
  readonly roles: AuthUser['roles'];
  constructor(roles: AuthUser['roles']) {
    super('The actor\'s roles changed');
    this.roles = roles;
  }
}

/** What became of a group: the results of the mutations it consumed (a prefix of it), and why it stopped short, if it did. */
interface GroupOutcome {
  results: MutationResult[];
  stop: 'gap' | 'transient' | null;
}

/**
 * The next group from `start`: consecutive mutations of one client, in sequence, at most `size`.
 * A group ends after a mutation on users, since it may change the actor's roles, which the next
 * group's claim reads again.
 */
function nextGroup(mutations: MutationEnvelope[], start: number, size: number): MutationEnvelope[] {
  const group: MutationEnvelope[] = [];
  for (let i = start; i < mutations.length && group.length < size; i++) {
    const m = mutations[i];
    const previous = group.at(-1);
    if (!m || (previous && (m.clientId !== previous.clientId || m.id !== previous.id + 1 || previous.name.startsWith('users.')))) break;
    group.push(m);
  }
  return group;
}

/** The first group's check found the workstation or a client of the push not yet registered to the user. */
class NotRegistered extends Error {
  constructor() {
    super('Not registered yet');
  }
}

async function processGroupWithRetries(deps: PushDeps, user: AuthUser, push: PushState, group: MutationEnvelope[]): Promise<GroupOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      const results = await deps.db.transaction((tx) => processGroup(deps, tx, user, push, group));
      return { results, stop: null };
    } catch (error) {
      push.lastMutationIds = null;
      if (error instanceof NotRegistered && push.unconfirmedClients) {
        // A new workstation or client: registered (or refused, before anything is written) in a
        // transaction of its own; then the group runs.
        await registerClients(deps.db, push.clientGroupId, push.unconfirmedClients, user.id, deps.clock());
        push.unconfirmedClients = null;
        continue;
      }
      if (error instanceof NotNext) return notNextOutcome(deps.db, group, error.lastMutationId);
      if (error instanceof RolesChanged) {
        // Not a failure: the rules must see the roles as they are now. Roles change rarely, so
        // this can't go round for long; it counts as an attempt all the same.
        push.actor.roles = error.roles;
        if (attempt < ATTEMPTS + 2) continue;
      }
      if (isTransient(error)) {
        if (attempt < ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
          continue;
        }
        return { results: [], stop: 'transient' };
      }
      if (error instanceof HttpError) throw error;
      const first = group[0];
      if (!first) return { results: [], stop: null };
      // Anything else failed outside the rules of any one mutation (recording the group, say).
      // One at a time, the mutation at fault is found; alone, it would fail the same way on every
      // retry and hold up the queue behind it, so it is consumed as refused, in a transaction of
      // its own, and shown to its clerk.
      if (group.length > 1) return processGroupWithRetries(deps, user, push, [first]);
      deps.log?.(`mutation ${first.name} could not be recorded`, error);
      return await recordInternalRefusal(deps, user, push.clientGroupId, first);
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

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

/** The group's first mutation was not next: those already processed are answered from their stored results; a missing one stops the client. */
async function notNextOutcome(db: Queryable, group: MutationEnvelope[], lastMutationId: number): Promise<GroupOutcome> {
  const done = group.filter((m) => m.id <= lastMutationId);
  const first = group[0];
  if (!first || done.length === 0) return { results: [], stop: 'gap' };
  const stored = await db.query<{ mutation_id: string | number; name: string }>('SELECT mutation_id, name FROM mutation_results WHERE client_id = $1 AND mutation_id = ANY($2)', [
    first.clientId,
    done.map((m) => m.id),
  ]);
  const names = new Map(stored.rows.map((r) => [Number(r.mutation_id), r.name]));
  return { results: done.map((m) => ({ clientId: m.clientId, id: m.id, name: names.get(m.id) ?? m.name, status: 'alreadyProcessed' })), stop: null };
}

/** A mutation's savepoint in its group's transaction: its writes roll back alone when the rules refuse it. */
export function savepointOf(m: Pick<MutationEnvelope, 'id'>): string {
  return `mutation_${String(m.id)}`;
}

/** A mutation's last writes and its savepoint's release, sent with the next mutation's first reads. */
interface Carry {
  statements: string[];
  savepoint: string;
}

/** Savepoint '…' does not exist: what rolling back to a savepoint says when it was never reached. */
const NO_SUCH_SAVEPOINT = '3B001';

/**
 * One transaction for a group of a client's consecutive mutations: the claim on the client's
 * sequence (with the first mutation's reads), each mutation in a savepoint of its own, and then,
 * with the COMMIT, what they all leave (change log, audit, results, last-mutation-id), written by
 * one statement. A mutation the rules refuse rolls back to its savepoint and is recorded as
 * rejected; the rest go on. A transient failure anywhere rolls the whole group back: nothing is
 * consumed, and the group is sent again.
 *
 * Round trips: a mutation's last writes and its savepoint's release travel with the next
 * mutation's savepoint and first reads (a carry), so customers.create costs one round trip. When
 * such a round trip fails, whose statement failed is found by rolling back to the newer savepoint:
 * if it was never reached, the older mutation's writes failed, and that mutation runs again.
 */
async function processGroup(deps: PushDeps, tx: Transaction, user: AuthUser, push: PushState, group: MutationEnvelope[]): Promise<MutationResult[]> {
  const processed: ProcessedMutation[] = [];
  const attempts = group.map(() => 1);
  const state: GroupState = { claimed: false, carry: null };
  const unconfirmed = push.unconfirmedClients;
  let k = 0;

  /** The mutation before `k` failed at its carried writes and is rolled back: it runs again, or, when running again can't help, is recorded as refused. */
  const carryFailed = async (error: unknown): Promise<void> => {
    const previous = group[k - 1];
    const tries = attempts[k - 1] ?? 1;
    processed.pop();
    state.carry = null;
    if (!previous) throw error;
    const refusal = refusalOf(error, tries >= ATTEMPTS);
    if (!refusal) {
      k--;
      attempts[k] = tries + 1;
      return;
    }
    processed.push(await refused(deps, tx, user, previous, { refusal, error, at: deps.clock().toISOString(), before: processed }));
  };

  for (;;) {
    while (k < group.length) {
      const m = group[k];
      if (!m) break;
      const checksRegistration = !state.claimed && unconfirmed !== null;
      const head = (savepoint: string): Prelude => ({
        statements: [
          ...(checksRegistration ? [registeredSql(push.clientGroupId, unconfirmed, user.id)] : []),
          ...(state.claimed ? [] : [claimSql(user, m)]),
          ...(state.carry?.statements ?? []),
          `SAVEPOINT ${savepoint}`,
        ],
        check(rows) {
          if (checksRegistration && !(rows[0]?.[0] as { registered?: boolean } | undefined)?.registered) throw new NotRegistered();
          if (!state.claimed) {
            const found = readClaim(rows[checksRegistration ? 1 : 0] ?? []);
            if (m.id !== found.lastMutationId + 1) throw new NotNext(found.lastMutationId);
            if (!sameRoles(found.roles, push.actor.roles)) throw new RolesChanged(found.roles);
            state.claimed = true;
          }
          state.carry = null;
        },
      });
      const step = await processInSavepoint(deps, tx, user, push.actor, m, { head, state, attempt: attempts[k] ?? 1, before: processed });
      if (step.kind === 'carryFailed') {
        await carryFailed(step.error);
        continue;
      }
      processed.push(step.processed);
      state.carry = step.carry;
      k++;
    }
    // The last mutation's writes, what the group leaves, the workstation's last-mutation-ids as
    // they now stand, and the COMMIT: one round trip.
    const carried = state.carry;
    try {
      const answers = await tx.finish([
        ...(carried?.statements ?? []),
        outcomeSql(processed, { userId: user.id, clientGroupId: push.clientGroupId, clientId: group[0]?.clientId ?? '' }),
        lastMutationIdsSql(push.clientGroupId),
      ]);
      push.lastMutationIds = lastMutationIdsOf(answers.at(-1) ?? []);
      if (unconfirmed) push.unconfirmedClients = null;
      return processed.map((p) => p.result);
    } catch (error) {
      if (isTransient(error) || !carried || !(await rollBackTo(tx, carried.savepoint))) throw error;
      await carryFailed(error);
    }
  }
}

/** Where a group's transaction stands: whether its claim has been checked, and the writes waiting to travel with the next round trip. */
interface GroupState {
  claimed: boolean;
  carry: Carry | null;
}

type Step = { kind: 'done'; processed: ProcessedMutation; carry: Carry | null } | { kind: 'carryFailed'; error: unknown };

async function processInSavepoint(
  deps: PushDeps,
  tx: Transaction,
  user: AuthUser,
  actor: ActorRoles,
  m: MutationEnvelope,
  o: { head: (savepoint: string) => Prelude; state: GroupState; attempt: number; before: ProcessedMutation[] },
): Promise<Step> {
  const name = m.name as MutationName;
  const savepoint = savepointOf(m);
  const carried = o.state.carry;
  for (let attempt = o.attempt; ; attempt++) {
    const now = deps.clock().toISOString();
    const services = { actor: { userId: user.id, roles: actor.roles }, now: () => now, newId: () => uuidv7(), seal: deps.seal };
    const port = new PgTxPort(tx, services, o.head(savepoint));
    try {
      await runMutation(port, name, m.args);
      // A mutation that read nothing has not opened its savepoint (nor, first in its group, sent the claim) yet.
      await port.sendPrelude();
      const writes = [...port.takePending(), `RELEASE SAVEPOINT ${savepoint}`];
      const processed = { mutationId: m.id, name, at: now, result: { clientId: m.clientId, id: m.id, name, status: 'applied' as const }, changes: port.changes };
      return { kind: 'done', processed, carry: { statements: writes, savepoint } };
    } catch (error) {
      if (endsGroup(error)) throw error;
      // Refused before it read anything: its savepoint (and the group's claim) go now, so there is
      // a savepoint to roll back to and the claim has been checked.
      let failed = error;
      try {
        await port.sendPrelude();
      } catch (sendError) {
        if (endsGroup(sendError)) throw sendError;
        failed = sendError;
      }
      if (!(await rollBackTo(tx, savepoint))) {
        // Its savepoint was never reached: the statements before it, the previous mutation's writes, failed.
        if (!carried || !(await rollBackTo(tx, carried.savepoint))) throw failed;
        o.state.carry = null;
        return { kind: 'carryFailed', error: failed };
      }
      // Its savepoint was reached, so whatever came before it (the previous mutation's writes) went through.
      o.state.carry = null;
      const refusal = refusalOf(error, attempt >= ATTEMPTS);
      // Another desktop's row took the value first; run again, and the rules see it.
      if (!refusal) continue;
      return { kind: 'done', processed: await refused(deps, tx, user, m, { refusal, error, at: now, before: o.before }), carry: null };
    }
  }
}

/** A mutation consumed as refused: its result, with who changed its record first (an earlier mutation of the group, or the audit log). */
async function refused(
  deps: PushDeps,
  tx: Transaction,
  user: AuthUser,
  m: MutationEnvelope,
  o: { refusal: Refusal; error: unknown; at: string; before: ProcessedMutation[] },
): Promise<ProcessedMutation> {
  if (!(o.error instanceof DomainError)) deps.log?.(`mutation ${m.name} failed on the server`, o.error);
  const conflict = changedInGroup(o.before, m.args, user) ?? (await whoChangedFirst(tx, m.args));
  return { mutationId: m.id, name: m.name, at: o.at, result: rejectedResult(m, o.refusal, conflict), changes: [] };
}

/** Failures that end the group's transaction, not one mutation: the claim's findings and transient database failures. */
function endsGroup(error: unknown): boolean {
  return error instanceof NotRegistered || error instanceof NotNext || error instanceof RolesChanged || isTransient(error);
}

/** Rolls back to `savepoint` and releases it; false when the transaction never reached it. */
async function rollBackTo(tx: Transaction, savepoint: string): Promise<boolean> {
  try {
    await tx.batch([`ROLLBACK TO SAVEPOINT ${savepoint}`, `RELEASE SAVEPOINT ${savepoint}`]);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === NO_SUCH_SAVEPOINT) return false;
    throw error;
  }
}

function rejectedResult(m: MutationEnvelope, refusal: Refusal, conflict: Conflict | null): MutationResult {
  // Messages and field names can echo what the desktop sent; PostgreSQL text and jsonb hold no NUL.
  const clean = (text: string) => text.replaceAll('\u0000', '');
  const fields = refusal.fields ? Object.fromEntries(Object.entries(refusal.fields).map(([k, v]) => [clean(k), clean(v)])) : undefined;
  return {
    clientId: m.clientId,
    id: m.id,
    name: m.name,
    status: 'rejected',
    code: refusal.code,
    message: clean(refusal.message),
    ...(fields ? { fields } : {}),
    ...(conflict ? { conflict } : {}),
  };
}

const INTERNAL_MESSAGE = 'The server could not apply this change. It is kept in Sync issues; tell your administrator.';

/** A mutation that can't be recorded at all, consumed as refused in a transaction of its own, so the queue behind it moves. */
async function recordInternalRefusal(deps: PushDeps, user: AuthUser, clientGroupId: string, m: MutationEnvelope): Promise<GroupOutcome> {
  return deps.db.transaction(async (tx) => {
    const claim = readClaim((await tx.query(claimSql(user, m))).rows);
    if (m.id !== claim.lastMutationId + 1) return notNextOutcome(tx, [m], claim.lastMutationId);
    const at = deps.clock().toISOString();
    const result = rejectedResult(m, { code: 'INTERNAL', message: INTERNAL_MESSAGE }, null);
    await tx.finish([outcomeSql([{ mutationId: m.id, name: m.name, at, result, changes: [] }], { userId: user.id, clientGroupId, clientId: m.clientId })]);
    return { results: [result], stop: null };
  });
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

/** The record a mutation was about (its `id` or `loadId`), when its args name one well-formed; args the rules refused may hold anything. */
function recordIdOf(args: unknown): string | null {
  if (typeof args !== 'object' || args === null) return null;
  const record = args as Record<string, unknown>;
  const candidate = typeof record.loadId === 'string' ? record.loadId : typeof record.id === 'string' ? record.id : null;
  return candidate !== null && idSchema.safeParse(candidate).success ? candidate : null;
}

/** The last change of the refused mutation's record by a mutation before it in the same group, not yet in the audit log. */
function changedInGroup(before: ProcessedMutation[], args: unknown, user: AuthUser): Conflict | null {
  const rowId = recordIdOf(args);
  if (!rowId) return null;
  for (const mutation of [...before].reverse()) {
    const change = mutation.changes.findLast((c) => c.id === rowId);
    if (change) return { entity: change.entity, rowId, changedBy: user.name, changedAt: mutation.at, mutationName: mutation.name };
  }
  return null;
}

/** Who last changed the refused mutation's record on the server. */
async function whoChangedFirst(tx: Queryable, args: unknown): Promise<Conflict | null> {
  const rowId = recordIdOf(args);
  if (!rowId) return null;
  const { rows } = await tx.query<{ entity: string; at: string; mutation_name: string | null; name: string | null }>(
    `SELECT a.entity, a.at, a.mutation_name, u.name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
     WHERE a.row_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT 1`,
    [rowId],
  );
  const row = rows[0];
  return row ? { entity: row.entity, rowId, changedBy: row.name, changedAt: row.at, mutationName: row.mutation_name } : null;
}
