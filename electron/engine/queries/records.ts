import { and, asc, eq } from 'drizzle-orm';
import type { Out } from '../../../shared/contract/index.ts';
import { gridPrefsSchema, type GridPrefs } from '../../../shared/contract/records.ts';
import type { EntityName } from '../../../shared/domain/port.ts';
import type { SqliteDb } from '../../../db/sqlite/port.ts';
import { auditLog, userPrefs, users } from '../../../db/sqlite/schema.ts';

/** Fields whose values are never shown in a history, only that they changed. */
const SECRET_FIELDS = new Set(['bankAccountSealed', 'passwordHash']);
const BOOKKEEPING_FIELDS = new Set(['version', 'updatedAt']);

export function recordHistory(db: SqliteDb, entity: EntityName, rowId: string): Out<'audit.history'> {
  const rows = db
    .select({ entry: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(eq(auditLog.entity, entity), eq(auditLog.rowId, rowId)))
    .orderBy(asc(auditLog.at), asc(auditLog.id))
    .all();
  return rows.map(({ entry, actorName }) => ({
    id: entry.id,
    at: entry.at,
    actorUserId: entry.actorUserId,
    actorName,
    mutationName: entry.mutationName,
    entity: entry.entity,
    rowId: entry.rowId,
    changes: diff(entry.before, entry.after),
    created: entry.before === null && entry.after !== null,
  }));
}

function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    if (BOOKKEEPING_FIELDS.has(key)) continue;
    const a = before?.[key] ?? null;
    const b = after?.[key] ?? null;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    changes[key] = SECRET_FIELDS.has(key) ? ['(hidden)', '(changed)'] : [a, b];
  }
  return changes;
}

export function readGridPrefs(db: SqliteDb, userId: string, grid: string): GridPrefs {
  const row = db
    .select()
    .from(userPrefs)
    .where(and(eq(userPrefs.userId, userId), eq(userPrefs.key, `grid:${grid}`)))
    .get();
  const parsed = gridPrefsSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : gridPrefsSchema.parse({});
}

export function writeGridPrefs(db: SqliteDb, userId: string, grid: string, prefs: GridPrefs): void {
  db.insert(userPrefs)
    .values({ userId, key: `grid:${grid}`, value: prefs })
    .onConflictDoUpdate({ target: [userPrefs.userId, userPrefs.key], set: { value: prefs } })
    .run();
}
