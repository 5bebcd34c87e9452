import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPglite, PG_MIGRATIONS_DIR, type ServerDatabase } from '../../server/database.ts';
import { readHorizon } from '../../server/sync/change-order.ts';

/** One test per server migration that moves data (Signal-Desktop's rule), on PGlite. */

const folders: string[] = [];
const databases: ServerDatabase[] = [];
afterEach(async () => {
  for (const db of databases.splice(0)) await db.close();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the shipped migrations up to and including `lastTag`. */
function migrationsUpTo(lastTag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'notchify-pg-migrations-'));
  folders.push(dir);
  cpSync(PG_MIGRATIONS_DIR, dir, { recursive: true });
  const journalFile = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const end = journal.entries.findIndex((e) => e.tag === lastTag);
  if (end < 0) throw new Error(`no migration ${lastTag}`);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, end + 1) }));
  return dir;
}

async function databaseAt(lastTag: string): Promise<ServerDatabase> {
  const db = await openPglite(null);
  databases.push(db);
  await db.migrate(migrationsUpTo(lastTag));
  return db;
}

const tableExists = async (db: ServerDatabase, table: string) =>
  (await db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table])).rows[0]?.found;

describe('0002_change_version_is_transaction_id', () => {
  it('drops the change counter and keeps the versions already recorded, below every later change', async () => {
    const db = await databaseAt('0001_client_group_scope');
    // As the counter left them: three changes, versions 1 to 3.
    await db.query('INSERT INTO sync_state (id, version) VALUES (1, 3)');
    await db.query("INSERT INTO change_log (entity, row_id, op, version) VALUES ('customers', 'a', 'put', 1), ('customers', 'b', 'put', 2), ('loads', 'c', 'del', 3)");

    await db.migrate();

    expect(await tableExists(db, 'sync_state')).toBe(false);
    const { rows } = await db.query<{ row_id: string; version: string | number }>('SELECT row_id, version FROM change_log ORDER BY version');
    expect(rows.map((r) => [r.row_id, Number(r.version)])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    // A desktop whose cookie is 3 has them all, and what comes next is above its cookie.
    const horizon = await db.transaction((tx) => readHorizon(tx), { isolation: 'repeatable read', readOnly: true });
    expect(horizon).toBeGreaterThan(3);
    const next = await db.transaction(async (tx) => {
      const r = await tx.query<{ version: string | number }>(
        "INSERT INTO change_log (entity, row_id, op, version) VALUES ('customers', 'd', 'put', pg_current_xact_id()::text::bigint) RETURNING version",
      );
      return Number(r.rows[0]?.version);
    });
    expect(next).toBeGreaterThan(3);
  });

  it('refuses to run, and changes nothing, when recorded versions run ahead of transaction ids', async () => {
    const db = await databaseAt('0001_client_group_scope');
    await db.query('INSERT INTO sync_state (id, version) VALUES (1, 5000000000)');
    await db.query("INSERT INTO change_log (entity, row_id, op, version) VALUES ('customers', 'a', 'put', 5000000000)");

    await expect(db.migrate()).rejects.toThrow(/change versions run ahead of transaction ids/);

    expect(await tableExists(db, 'sync_state')).toBe(true);
    expect((await db.migrationState()).applied).toBe(2);
  });
});
