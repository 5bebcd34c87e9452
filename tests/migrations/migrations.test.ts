import Database from 'better-sqlite3';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, MigrationError, migrateWithBackup, openConnection } from '../../db/sqlite/open.ts';
import { DATABASE_FILE, Engine } from '../../electron/engine/engine.ts';
import { KeyFileStore } from '../../electron/services/key-store.ts';
import { carrierInput, customerInput, loadInput } from '../support/fixtures.ts';
import { fixedClock, openHost, setUpWorkspace, tempDir } from '../support/engine.ts';

interface Journal {
  entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
}

let dir: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

/** A copy of the shipped migrations plus one more, as the next release would add it. */
function migrationsWithExtra(sql: string): string {
  const folder = join(dir, 'migrations-next');
  cpSync(DEFAULT_MIGRATIONS_DIR, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as Journal;
  const last = journal.entries[journal.entries.length - 1];
  if (!last) throw new Error('no migrations');
  const tag = `${String(last.idx + 1).padStart(4, '0')}_next_release`;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag });
  writeFileSync(journalFile, JSON.stringify(journal));
  writeFileSync(join(folder, `${tag}.sql`), sql);
  return folder;
}

/** The shipped migrations up to and including `lastIdx`: the store as an older release left it. */
function migrationsUpTo(lastIdx: number): string {
  const folder = join(dir, `migrations-upto-${String(lastIdx)}`);
  cpSync(DEFAULT_MIGRATIONS_DIR, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as Journal;
  journal.entries = journal.entries.filter((e) => e.idx <= lastIdx);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

/** A data folder migrated only up to `lastIdx`, with rows written by hand in that schema. */
function oldStore(lastIdx: number, seed: (db: Database.Database) => void): void {
  const conn = openConnection(join(dir, DATABASE_FILE));
  migrateWithBackup(conn, { migrationsDir: migrationsUpTo(lastIdx), backupDir: join(dir, 'backups'), now: () => new Date() });
  seed(conn.raw);
  conn.raw.close();
}

const NOW = '2026-11-20T10:00:00.000Z';
const ADDRESS = JSON.stringify({ line1: '1 A St', line2: null, city: 'Austin', state: 'TX', zip: '78701' });

function insertCarrier(db: Database.Database, id: string, email: string, dot: string): void {
  db.prepare(
    `INSERT INTO carriers (id, company_name, contact_name, email, dot_number, authority_status, insurance_policies, equipment_types,
     service_areas, rating, status, created_at, updated_at, version) VALUES (?, ?, 'C', ?, ?, 'ACTIVE', '[]', '["DRY_VAN"]', '[]', 0, 'ACTIVE', ?, ?, 1)`,
  ).run(id, `Carrier ${dot}`, email, dot, NOW, NOW);
}

async function seededDataDir(): Promise<void> {
  const host = openHost(dir);
  await setUpWorkspace(host);
  await host.ok('customers.create', customerInput());
  await host.close();
}

describe('0000_foundation', () => {
  it('creates the store from nothing', () => {
    const engine = Engine.open({ dataDir: dir, keyStore: new KeyFileStore(dir), clock: fixedClock(), migrationsDir: migrationsUpTo(0) });
    expect(engine.migration.applied).toHaveLength(1);
    expect(engine.migration.backupFile).toBeNull();
    const db = engine.db.$client;
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['audit_log', 'carriers', 'customers', 'meta', 'outbox', 'user_prefs', 'users', 'workspaces']);
    expect(columns(db, 'outbox')).toEqual(['client_id', 'id', 'name', 'args', 'args_sealed', 'actor_user_id', 'created_at']);
    expect(columns(db, 'customers')).toContain('credit_limit_cents');
    expect(columns(db, 'carriers')).toEqual(expect.arrayContaining(['mc_number', 'dot_number', 'bank_account_sealed', 'bank_account_last4']));
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string }[]).map((i) => i.name);
    expect(indexes).toEqual(expect.arrayContaining(['carriers_mc_number_unique', 'carriers_dot_number_unique', 'customers_email_unique', 'users_email_unique']));
    void engine.close();
  });

  it('is not applied twice, and reopening takes no backup', async () => {
    await seededDataDir();
    const engine = Engine.open({ dataDir: dir, keyStore: new KeyFileStore(dir), clock: fixedClock() });
    expect(engine.migration).toEqual({ applied: [], backupFile: null });
    expect(existsSync(join(dir, 'backups'))).toBe(false);
    await engine.close();
  });
});

describe('0001_customer_contacts_carrier_email', () => {
  it('gives existing customers an empty contact list and makes carrier emails unique', async () => {
    oldStore(0, (db) => {
      db.prepare(
        `INSERT INTO customers (id, company_name, contact_name, email, billing_email, billing_address, credit_limit_cents,
         payment_terms, status, required_documents, created_at, updated_at, version)
         VALUES ('0190c5b0-0000-7000-8000-000000000001', 'Old Co', 'Olga', 'olga@old.test', 'ap@old.test', ?, 0, 'NET_30', 'ACTIVE', '["POD"]', ?, ?, 1)`,
      ).run(ADDRESS, NOW, NOW);
      insertCarrier(db, '0190c5b0-0000-7000-8000-000000000002', 'a@carrier.test', '1001');
    });
    const engine = Engine.open({ dataDir: dir, keyStore: new KeyFileStore(dir), clock: fixedClock(), migrationsDir: migrationsUpTo(1) });
    expect(engine.migration.applied).toHaveLength(1);
    expect(engine.migration.backupFile).not.toBeNull();
    const db = engine.db.$client;
    expect((db.prepare('SELECT contacts FROM customers').get() as { contacts: string }).contacts).toBe('[]');
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'carriers'").all() as { name: string }[]).map((i) => i.name);
    expect(indexes).toContain('carriers_email_unique');
    await engine.close();
  });

  it('refuses, changing nothing, when two carriers already share an email', () => {
    oldStore(0, (db) => {
      insertCarrier(db, '0190c5b0-0000-7000-8000-000000000002', 'same@carrier.test', '1001');
      insertCarrier(db, '0190c5b0-0000-7000-8000-000000000003', 'same@carrier.test', '1002');
    });
    expect(() => Engine.open({ dataDir: dir, keyStore: new KeyFileStore(dir), clock: fixedClock() })).toThrow(MigrationError);
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    expect(columns(db, 'customers')).not.toContain('contacts');
    expect((db.prepare('SELECT count(*) AS n FROM carriers').get() as { n: number }).n).toBe(2);
    db.close();
  });
});

describe('0004_board_sort_indexes', () => {
  it('indexes every board sort on a store that already holds loads, and the board query walks them', async () => {
    // A store as the release before 0004 left it, with a load in it.
    const host = openHost(dir, { migrationsDir: migrationsUpTo(3) });
    await setUpWorkspace(host);
    const customerId = (await host.ok('customers.create', customerInput())).id;
    await host.ok('loads.create', loadInput(customerId));
    await host.close();
    const made = (readFileSync(join(DEFAULT_MIGRATIONS_DIR, '0004_board_sort_indexes.sql'), 'utf8').match(/CREATE INDEX `(\w+)`/g) ?? []).map((m) => m.slice(14, -1));
    expect(made.length).toBeGreaterThanOrEqual(12);

    const engine = Engine.open({ dataDir: dir, keyStore: new KeyFileStore(dir), clock: fixedClock(), migrationsDir: migrationsUpTo(4) });
    expect(engine.migration.applied).toHaveLength(1);
    const db = engine.db.$client;
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'loads'").all() as { name: string }[]).map((i) => i.name);
    expect(indexes).toEqual(expect.arrayContaining(made));
    const plan = (sqlText: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sqlText}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT rowid FROM loads ORDER BY CAST(substr("load_number", 2) AS INTEGER) DESC, rowid DESC LIMIT 100')).toContain('loads_number_seq_idx');
    expect(plan('SELECT rowid FROM loads ORDER BY margin_cents, rowid LIMIT 100')).toContain('loads_margin_idx');
    expect(plan("SELECT carrier_id, count(*) FROM loads WHERE origin_state = 'TX' AND dest_state = 'OK' AND status IN ('DELIVERED', 'CLOSED') GROUP BY carrier_id")).toContain('COVERING INDEX loads_lane_idx');
    expect((db.prepare('SELECT load_number FROM loads').get() as { load_number: string }).load_number).toBe('L100001');
    await engine.close();
  });
});

describe('0005_carrier_reach', () => {
  it('fills carrier_reach from the carriers already on file, then keeps it current as carriers change', async () => {
    const onFile = '0190c5b0-0000-7000-8000-000000000002';
    oldStore(4, (db) => {
      insertCarrier(db, onFile, 'a@carrier.test', '1001');
      db.prepare(`UPDATE carriers SET equipment_types = '["DRY_VAN","REEFER"]', service_areas = '["TX","OK"]'`).run();
    });
    const host = openHost(dir);
    const reachOf = (carrierId: string) =>
      (
        host.core.engine.db.$client
          .prepare("SELECT equipment_type || ':' || state AS r FROM carrier_reach WHERE carrier_id = ? ORDER BY r")
          .all(carrierId) as { r: string }[]
      ).map((x) => x.r);
    expect(reachOf(onFile)).toEqual(['DRY_VAN:OK', 'DRY_VAN:TX', 'REEFER:OK', 'REEFER:TX']);

    await setUpWorkspace(host);
    const created = await host.ok('carriers.create', carrierInput({ equipmentTypes: ['FLATBED'], serviceAreas: ['CA'] }));
    expect(reachOf(created.id)).toEqual(['FLATBED:CA']);
    const carrier = await host.ok('carriers.get', { id: created.id });
    await host.ok('carriers.update', { ...carrierInput({ equipmentTypes: ['FLATBED', 'STEP_DECK'], serviceAreas: ['NV'] }), id: created.id, expectedVersion: carrier.version });
    expect(reachOf(created.id)).toEqual(['FLATBED:NV', 'STEP_DECK:NV']);
    expect(reachOf(onFile)).toEqual(['DRY_VAN:OK', 'DRY_VAN:TX', 'REEFER:OK', 'REEFER:TX']);
    await host.close();
  });
});

describe('0006_sync', () => {
  it('adds the Sync issues inbox and the offline sign-in verifiers to a store that already holds data, keeping its outbox', async () => {
    oldStore(5, (db) => {
      insertCarrier(db, '0190c5b0-0000-7000-8000-000000000003', 'b@carrier.test', '1002');
      db.prepare("INSERT INTO outbox (client_id, id, name, args, args_sealed, actor_user_id, created_at) VALUES ('c', 1, 'carriers.create', '{}', 0, 'u', ?)").run(NOW);
    });
    const engine = Engine.open({ dataDir: dir, keyStore: new KeyFileStore(dir), clock: fixedClock() });
    const raw = engine.db.$client;
    expect(columns(raw, 'sync_issues')).toEqual([
      'client_id', 'mutation_id', 'name', 'args', 'args_sealed', 'actor_user_id', 'created_at', 'code', 'message', 'details', 'received_at', 'discarded_at',
    ]);
    expect(columns(raw, 'offline_credentials')).toEqual(['user_id', 'email', 'verifier', 'updated_at']);
    expect(engine.pendingCount()).toBe(1);
    expect((raw.prepare('SELECT count(*) AS n FROM carriers').get() as { n: number }).n).toBe(1);
    await engine.close();
  });
});

describe('0007_search_index_pause', () => {
  it('keeps indexing loads for quick search, and stands the triggers down while search_index_pause holds a row', async () => {
    // A store as the release before 0007 left it, with a load in it.
    const host = openHost(dir, { migrationsDir: migrationsUpTo(6) });
    await setUpWorkspace(host);
    const customerId = (await host.ok('customers.create', customerInput())).id;
    const first = await host.ok('loads.create', { ...loadInput(customerId), poNumber: 'PO-BEFORE' });
    await host.close();

    const engine = Engine.open({ dataDir: dir, keyStore: new KeyFileStore(dir), clock: fixedClock(), migrationsDir: migrationsUpTo(7) });
    expect(engine.migration.applied).toHaveLength(1);
    await engine.close();
    const db = new Database(join(dir, DATABASE_FILE));
    const found = (term: string) => (db.prepare('SELECT count(*) AS n FROM loads_search WHERE loads_search MATCH ?').get(`"${term}"`) as { n: number }).n;
    expect(found('PO-BEFORE')).toBe(1);
    // The triggers still index as before...
    db.prepare("UPDATE loads SET po_number = 'PO-AFTER' WHERE id = ?").run(first.id);
    expect([found('PO-BEFORE'), found('PO-AFTER')]).toEqual([0, 1]);
    // ...and stand down while the pause row is there (inside a transaction, as a pulled page does).
    db.exec('BEGIN');
    db.prepare('INSERT INTO search_index_pause (id) VALUES (1)').run();
    db.prepare("UPDATE loads SET po_number = 'PO-PAUSED' WHERE id = ?").run(first.id);
    expect([found('PO-AFTER'), found('PO-PAUSED')]).toEqual([1, 0]);
    db.exec('ROLLBACK');
    expect((db.prepare('SELECT count(*) AS n FROM search_index_pause').get() as { n: number }).n).toBe(0);
    expect(() => db.prepare('INSERT INTO search_index_pause (id) VALUES (2)').run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('upgrading a store that holds data', () => {
  it('backs the file up first, then migrates', async () => {
    await seededDataDir();
    const migrationsDir = migrationsWithExtra('ALTER TABLE `customers` ADD `credit_note` text;');
    const engine = Engine.open({ dataDir: dir, keyStore: new KeyFileStore(dir), migrationsDir, clock: fixedClock() });
    expect(engine.migration.applied).toHaveLength(1);
    const backup = engine.migration.backupFile;
    expect(backup).not.toBeNull();
    expect(readdirSync(join(dir, 'backups'))).toHaveLength(1);
    expect(columns(engine.db.$client, 'customers')).toContain('credit_note');
    const copy = new Database(backup ?? '', { readonly: true });
    expect(columns(copy, 'customers')).not.toContain('credit_note');
    expect((copy.prepare('SELECT company_name FROM customers').get() as { company_name: string }).company_name).toBe('Acme Foods Inc.');
    copy.close();
    await engine.close();
  });

  it('a failed migration changes nothing, names the backup, and deletes no data', async () => {
    await seededDataDir();
    const migrationsDir = migrationsWithExtra(
      'ALTER TABLE `customers` ADD `half_done` text;\n--> statement-breakpoint\nALTER TABLE `no_such_table` ADD `x` text;',
    );
    let error: unknown;
    try {
      Engine.open({ dataDir: dir, keyStore: new KeyFileStore(dir), migrationsDir, clock: fixedClock() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toMatch(/Nothing was changed; a backup was saved to .*before-migration\.db/);
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    expect(columns(db, 'customers')).not.toContain('half_done');
    expect((db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n).toBe(1);
    expect((db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n).toBe(2);
    db.close();
    // The app still opens with the migrations it knows.
    const host = openHost(dir);
    expect((await host.ok('session.current', {})).workspace?.name).toBe('Lone Star Logistics');
    await host.close();
  });
});
