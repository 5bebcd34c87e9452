import { contract, isCommandName } from '../../../shared/contract/index.ts';
import type { SyncIssue } from '../../../shared/contract/sync.ts';
import { DomainError } from '../../../shared/domain/errors.ts';
import { toSessionUser } from '../../../shared/domain/mutators/users.ts';
import { conflictSchema } from '../../../shared/sync/protocol.ts';
import type { SqliteDb } from '../../../db/sqlite/port.ts';
import { findUserById } from '../../engine/queries/users.ts';
import type { Handler } from '../context.ts';

export const syncStatus: Handler<'sync.status'> = (_input, ctx) => ctx.sync.status();

export const syncConnect: Handler<'sync.connect'> = async (input, ctx) => {
  const wire = await ctx.sync.connect(input.serverUrl, input.email, input.password);
  const user = findUserById(ctx.engine.db, wire.id);
  if (!user) throw new DomainError('NOT_FOUND', 'The server did not send your user record. Try connecting again.');
  ctx.sessions.signIn(ctx.sessionKey, user.id);
  ctx.sync.start();
  ctx.events.toSession(ctx.sessionKey, 'session.changed', { userId: user.id });
  return toSessionUser(user);
};

export const syncNow: Handler<'sync.now'> = async (_input, ctx) => {
  if (!ctx.sync.connected) return ctx.sync.status();
  ctx.sync.start();
  return ctx.sync.syncNow();
};

export const syncDiscardIssue: Handler<'sync.discardIssue'> = async (input, ctx) => {
  await ctx.sync.discardIssue(input.clientId, input.mutationId);
  return {};
};

interface IssueRow {
  client_id: string;
  mutation_id: number;
  name: string;
  args: string;
  args_sealed: number;
  actor_user_id: string;
  created_at: string;
  code: string;
  message: string;
  details: string | null;
  received_at: string;
}

export const syncIssues: Handler<'sync.issues'> = (_input, ctx) => {
  const db = ctx.engine.db;
  const rows = db.$client
    .prepare('SELECT * FROM sync_issues WHERE discarded_at IS NULL AND actor_user_id = ? ORDER BY received_at DESC, mutation_id DESC')
    .all(ctx.user?.id ?? '') as IssueRow[];
  return rows.map((row): SyncIssue => {
    const args = ctx.engine.outboxArgs({ args: row.args, argsSealed: row.args_sealed === 1 });
    const details = row.details ? (JSON.parse(row.details) as { fields?: Record<string, string>; conflict?: unknown }) : {};
    const conflict = conflictSchema.safeParse(details.conflict);
    return {
      clientId: row.client_id,
      mutationId: row.mutation_id,
      name: row.name,
      summary: describeMutation(db, row.name, args),
      actorName: findUserById(db, row.actor_user_id)?.name ?? null,
      createdAt: row.created_at,
      code: row.code,
      message: row.message,
      fields: details.fields ?? null,
      conflict: conflict.success ? conflict.data : null,
      receivedAt: row.received_at,
    };
  });
};

/** "Load L100042: Book a compliant carrier …": the record it was about, and what the command does. */
function describeMutation(db: SqliteDb, name: string, args: unknown): string {
  const what = isCommandName(name) ? contract[name].summary : name;
  const record = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
  const id = typeof record.id === 'string' ? record.id : null;
  const lookup = (sql: string) => (id ? (db.$client.prepare(sql).get(id) as { label: string } | undefined)?.label : undefined);
  let label: string | undefined;
  if (name.startsWith('loads.')) label = lookup('SELECT load_number AS label FROM loads WHERE id = ?') ?? (typeof record.loadNumber === 'string' ? record.loadNumber : undefined);
  else if (name.startsWith('customers.')) label = typeof record.companyName === 'string' ? record.companyName : lookup('SELECT company_name AS label FROM customers WHERE id = ?');
  else if (name.startsWith('carriers.')) label = typeof record.companyName === 'string' ? record.companyName : lookup('SELECT company_name AS label FROM carriers WHERE id = ?');
  else if (name.startsWith('users.')) label = typeof record.email === 'string' ? record.email : lookup('SELECT email AS label FROM users WHERE id = ?');
  const carrier =
    name === 'loads.book' && typeof record.carrierId === 'string'
      ? (db.$client.prepare('SELECT company_name AS label FROM carriers WHERE id = ?').get(record.carrierId) as { label: string } | undefined)?.label
      : undefined;
  return `${label ? `${label}: ` : ''}${what}${carrier ? ` — ${carrier}` : ''}`;
}
