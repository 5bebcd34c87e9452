import { asc, eq } from 'drizzle-orm';
import type { SqliteDb } from '../../../db/sqlite/port.ts';
import { users, workspaces } from '../../../db/sqlite/schema.ts';
import type { UserRow } from '../../../shared/domain/users/schema.ts';

export function listUsers(db: SqliteDb): UserRow[] {
  return db.select().from(users).orderBy(asc(users.name)).all();
}

export function findUserById(db: SqliteDb, id: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function findUserByEmail(db: SqliteDb, email: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.email, email)).get();
}

export function currentWorkspace(db: SqliteDb): { id: string; name: string } | null {
  return db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).limit(1).get() ?? null;
}
