import { v7 as uuidv7 } from 'uuid';
import { sqlLiteral, sqlTextArray, type Queryable } from '../../db/pg/queryable.ts';
import type { RowChange } from '../../db/row-change.ts';
import type { MutationResult } from '../../shared/sync/protocol.ts';
import { CHANGE_VERSION_SQL } from './change-order.ts';

/** One processed mutation of a client, as its transaction records it: its result, and the changes it made if it applied. */
export interface ProcessedMutation {
  mutationId: number;
  name: string;
  at: string;
  result: MutationResult;
  changes: RowChange[];
}

/**
 * Everything the processed mutations of one client leave, in one statement: the change log
 * (latest op per row) and the stored results under the transaction's change version
 * (change-order.ts), the audit rows, and the client's last-mutation-id (the last of them). Its
 * values are literals, so it can travel with the COMMIT. The mutations are consecutive in their
 * client's sequence.
 */
export function outcomeSql(processed: ProcessedMutation[], m: { userId: string; clientGroupId: string; clientId: string }): string {
  const last = processed.at(-1);
  if (!last) throw new Error('No mutation to record');
  const latest = new Map<string, RowChange>();
  const audit: { change: RowChange; mutation: ProcessedMutation }[] = [];
  for (const mutation of processed) {
    for (const change of mutation.changes) {
      latest.set(`${change.entity}\u0000${change.id}`, change);
      audit.push({ change, mutation });
    }
  }
  const logged = [...latest.values()];
  const [userId, clientId] = [m.userId, m.clientId].map(sqlLiteral);
  const bigints = (values: number[]) => `ARRAY[${values.map((v) => sqlLiteral(v)).join(', ')}]::bigint[]`;
  return `WITH v AS (SELECT ${CHANGE_VERSION_SQL} AS version),
     log AS (
       INSERT INTO change_log (entity, row_id, op, version)
       SELECT t.entity, t.row_id, t.op, v.version
       FROM v, unnest(${sqlTextArray(logged.map((c) => c.entity))}, ${sqlTextArray(logged.map((c) => c.id))}, ${sqlTextArray(logged.map((c) => (c.after === null ? 'del' : 'put')))}) AS t(entity, row_id, op)
       ON CONFLICT (entity, row_id) DO UPDATE SET op = excluded.op, version = excluded.version),
     audit AS (
       INSERT INTO audit_log (id, at, actor_user_id, client_id, mutation_id, mutation_name, entity, row_id, before, after)
       SELECT t.id, t.at, ${userId}, ${clientId}, t.mutation_id, t.name, t.entity, t.row_id, t.before::jsonb, t.after::jsonb
       FROM unnest(${sqlTextArray(audit.map(() => uuidv7()))}, ${sqlTextArray(audit.map((a) => a.mutation.at))}, ${bigints(audit.map((a) => a.mutation.mutationId))},
                   ${sqlTextArray(audit.map((a) => a.mutation.name))}, ${sqlTextArray(audit.map((a) => a.change.entity))}, ${sqlTextArray(audit.map((a) => a.change.id))},
                   ${sqlTextArray(audit.map((a) => jsonOrNull(a.change.before)))}, ${sqlTextArray(audit.map((a) => jsonOrNull(a.change.after)))})
            AS t(id, at, mutation_id, name, entity, row_id, before, after)),
     result AS (
       INSERT INTO mutation_results (client_id, mutation_id, client_group_id, name, status, code, message, details, version, processed_at)
       SELECT ${clientId}, t.mutation_id, ${sqlLiteral(m.clientGroupId)}, t.name, t.status, t.code, t.message, t.details::jsonb, v.version, t.at
       FROM v, unnest(${bigints(processed.map((p) => p.mutationId))}, ${sqlTextArray(processed.map((p) => p.name))}, ${sqlTextArray(processed.map((p) => p.result.status))},
                      ${sqlTextArray(processed.map((p) => p.result.code ?? null))}, ${sqlTextArray(processed.map((p) => p.result.message ?? null))},
                      ${sqlTextArray(processed.map((p) => detailsOf(p.result)))}, ${sqlTextArray(processed.map((p) => p.at))})
            AS t(mutation_id, name, status, code, message, details, at))
     UPDATE sync_clients SET last_mutation_id = ${sqlLiteral(last.mutationId)}, last_seen_at = ${sqlLiteral(last.at)} WHERE client_id = ${clientId}`;
}

/** What a result says beyond its status, code and message: the fields it names and who changed the record first. */
function detailsOf(result: MutationResult): string | null {
  return result.fields || result.conflict ? JSON.stringify({ fields: result.fields, conflict: result.conflict }) : null;
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
