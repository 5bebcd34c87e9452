import Database from 'better-sqlite3';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/engine/engine.ts';
import { WriteQueue } from '../../electron/engine/write-queue.ts';
import { carrierInput, customerInput } from '../support/fixtures.ts';
import { ADMIN_PASSWORD, openHost, setUpWorkspace, tempDir, type TestHost } from '../support/engine.ts';

let dir: string;
let cleanup: () => void;
let host: TestHost;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  host = openHost(dir);
});

afterEach(async () => {
  await host.close();
  cleanup();
});

function raw() {
  return new Database(join(dir, DATABASE_FILE), { readonly: true });
}

interface OutboxRow {
  client_id: string;
  id: number;
  name: string;
  args: string;
  args_sealed: number;
  actor_user_id: string;
  created_at: string;
}

describe('the local store', () => {
  it('is a WAL SQLite file with foreign keys on, in the data folder', () => {
    const db = host.core.engine.db.$client;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(readdirSync(dir)).toContain(DATABASE_FILE);
  });

  it('keeps one client id for the life of the file', async () => {
    const clientId = host.core.engine.clientId;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    await host.close();
    host = openHost(dir);
    expect(host.core.engine.clientId).toBe(clientId);
  });
});

describe('a mutation', () => {
  it('changes rows, appends to the outbox and writes the audit log in one transaction', async () => {
    const admin = await setUpWorkspace(host);
    const created = await host.ok('customers.create', customerInput());
    const db = raw();
    const outbox = db.prepare('SELECT * FROM outbox ORDER BY id').all() as OutboxRow[];
    expect(outbox.map((o) => [o.id, o.name])).toEqual([
      [1, 'workspace.setup'],
      [2, 'customers.create'],
    ]);
    const entry = outbox[1];
    expect(entry?.client_id).toBe(host.core.engine.clientId);
    expect(entry?.actor_user_id).toBe(admin.id);
    expect(entry?.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const args = JSON.parse(entry?.args ?? '{}') as Record<string, unknown>;
    expect(args.id).toBe(created.id);
    expect(args.email).toBe('ap@acmefoods.test');

    const audit = db
      .prepare("SELECT * FROM audit_log WHERE entity = 'customers' AND row_id = ?")
      .all(created.id) as { actor_user_id: string; mutation_id: number; before: string | null; after: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_user_id).toBe(admin.id);
    expect(audit[0]?.mutation_id).toBe(2);
    expect(audit[0]?.before).toBeNull();
    expect(JSON.parse(audit[0]?.after ?? '{}')).toMatchObject({ companyName: 'Acme Foods Inc.', status: 'ACTIVE', version: 1 });
    db.close();
  });

  it('first-run set-up never puts the password in the outbox', async () => {
    await setUpWorkspace(host);
    const db = raw();
    const entry = db.prepare('SELECT args FROM outbox WHERE id = 1').get() as { args: string };
    expect(entry.args).not.toContain(ADMIN_PASSWORD);
    expect(JSON.parse(entry.args)).toMatchObject({ passwordHash: expect.stringMatching(/^\$argon2id\$/) as unknown });
    db.close();
  });

  it('records before and after of an edit', async () => {
    await setUpWorkspace(host);
    const { id } = await host.ok('customers.create', customerInput());
    await host.ok('customers.update', { ...customerInput({ contactName: 'Rosa Diaz' }), id, expectedVersion: 1 });
    const history = await host.ok('audit.history', { entity: 'customers', id });
    expect(history).toHaveLength(2);
    expect(history[1]?.changes).toEqual({ contactName: ['Rita Ruiz', 'Rosa Diaz'] });
    expect(history[1]?.actorName).toBe('Ada Admin');
  });

  it('numbers the outbox contiguously, and a refused command takes no number', async () => {
    await setUpWorkspace(host);
    await host.ok('customers.create', customerInput());
    const refused = await host.call('customers.create', customerInput({ companyName: 'Other' })); // same email
    expect(refused).toMatchObject({ ok: false, error: { code: 'DUPLICATE', fields: { email: 'Acme Foods Inc. already uses this email' } } });
    await host.ok('customers.create', customerInput({ email: 'b@b.test' }));
    const db = raw();
    expect((db.prepare('SELECT id FROM outbox ORDER BY id').all() as { id: number }[]).map((r) => r.id)).toEqual([1, 2, 3]);
    db.close();
  });

  it('cannot interleave with an overlapping command: the second sees the first committed', async () => {
    await setUpWorkspace(host);
    // Fired together; each mutator awaits between its duplicate check and its insert.
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => host.call('customers.create', customerInput({ companyName: `Co ${String(i)}`, email: `shared${String(i % 2)}@x.test` }))),
    );
    const ok = replies.filter((r) => r.ok);
    const refused = replies.filter((r) => !r.ok);
    expect(ok).toHaveLength(2);
    expect(refused).toHaveLength(18);
    for (const r of refused) expect(r).toMatchObject({ ok: false, error: { code: 'DUPLICATE' } });
    const db = raw();
    expect((db.prepare('SELECT id FROM outbox ORDER BY id').all() as { id: number }[]).map((r) => r.id)).toEqual([1, 2, 3]);
    expect((db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n).toBe(2);
    db.close();
  });
});

describe('the write queue', () => {
  it('runs async jobs one at a time, in order, even when they await inside', async () => {
    const queue = new WriteQueue();
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([queue.run(job('a', 20)), queue.run(job('b', 1)), queue.run(job('c', 5))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('keeps going after a failed job', async () => {
    const queue = new WriteQueue();
    const failed = queue.run(() => Promise.reject(new Error('boom')));
    await expect(failed).rejects.toThrow('boom');
    await expect(queue.run(() => 'next')).resolves.toBe('next');
    await queue.idle();
    expect(queue.size).toBe(0);
  });
});

describe('secrets at rest', () => {
  it('never writes a bank account number in clear: not in the row, the outbox or the audit log', async () => {
    await setUpWorkspace(host);
    const { id } = await host.ok('carriers.create', carrierInput());
    await host.ok('carriers.setBankAccount', {
      id,
      expectedVersion: 1,
      bankAccount: { routingNumber: '121000358', accountNumber: '987654321012', accountType: 'SAVINGS', holderName: 'Red River' },
    });
    await host.close();
    for (const file of readdirSync(dir).filter((f) => f.startsWith(DATABASE_FILE))) {
      const bytes = readFileSync(join(dir, file)).toString('latin1');
      expect(bytes, file).not.toContain('000123456789');
      expect(bytes, file).not.toContain('987654321012');
    }
    host = openHost(dir);
    const db = raw();
    const outbox = db.prepare("SELECT args, args_sealed FROM outbox WHERE name LIKE 'carriers.%'").all() as OutboxRow[];
    expect(outbox.every((o) => o.args_sealed === 1 && o.args.startsWith('v1.'))).toBe(true);
    expect(host.core.engine.outboxArgs({ args: outbox[0]?.args ?? '', argsSealed: true })).toMatchObject({
      bankAccount: { accountNumber: '000123456789' },
    });
    db.close();
  });

  it('shows the last four digits, and the full number only to roles that pay, with an audit entry', async () => {
    await setUpWorkspace(host);
    const { id } = await host.ok('carriers.create', carrierInput());
    const carrier = await host.ok('carriers.get', { id });
    expect(carrier.bankAccountLast4).toBe('6789');
    expect(carrier).not.toHaveProperty('bankAccountSealed');
    const asAdmin = await host.call('carriers.revealBankAccount', { id });
    expect(asAdmin).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORIZED' } });

    await host.ok('users.create', { email: 'pat@x.test', name: 'Pat Payables', roles: ['AP_CLERK'], password: 'ap clerk password' });
    await host.ok('session.signIn', { email: 'pat@x.test', password: 'ap clerk password' }, 'ap');
    expect(await host.ok('carriers.revealBankAccount', { id }, 'ap')).toEqual({ accountNumber: '000123456789' });
    const history = await host.ok('audit.history', { entity: 'carriers', id });
    expect(history.map((h) => h.mutationName)).toContain('carriers.revealBankAccount');
  });

  it('keeps data readable after a restart (the key persists in the data folder)', async () => {
    await setUpWorkspace(host);
    const { id } = await host.ok('carriers.create', carrierInput());
    await host.close();
    host = openHost(dir);
    await host.ok('session.signIn', { email: 'ada@lonestar.test', password: ADMIN_PASSWORD });
    const db = raw();
    const row = db.prepare('SELECT bank_account_sealed AS s FROM carriers WHERE id = ?').get(id) as { s: string };
    expect(host.core.engine.openSecret(row.s)).toBe('000123456789');
    db.close();
  });
});
