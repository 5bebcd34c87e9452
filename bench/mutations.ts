import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { DATABASE_FILE } from '../electron/engine/engine.ts';
import { customerFieldsSchema } from '../shared/domain/customers/schema.ts';
import { customerInput } from '../tests/support/fixtures.ts';
import { benchCore, printTable, time } from './support.ts';

/**
 * One user action on the local store, measured three ways in the same process, on the same file:
 *   raw      – a prepared better-sqlite3 INSERT of the same customer row, in its own transaction
 *   engine   – engine.mutate('customers.create'): zod args, shared mutator (duplicate-email lookup),
 *              row + outbox + audit in one BEGIN IMMEDIATE transaction
 *   router   – the whole path a window takes: router checks, input parse, engine, output parse
 * Run: node bench/mutations.ts [count]
 */
const count = Number(process.argv[2] ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'notchify-bench-'));
const core = benchCore(dir);

const setup = await core.route('bench', 'workspace.setup', { workspaceName: 'Bench', name: 'Bench Admin', email: 'bench@x.test', password: 'benchmark password' });
if (!setup.ok) throw new Error(JSON.stringify(setup.error));
const actor = { userId: (setup.value as { id: string }).id, roles: ['ADMIN'] as const };

const raw = new Database(join(dir, DATABASE_FILE));
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = NORMAL');
const insert = raw.prepare(
  `INSERT INTO customers (id, company_name, contact_name, email, phone, billing_email, billing_address, shipping_address,
   credit_limit_cents, payment_terms, status, required_documents, notes, created_at, updated_at, version)
   VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, 'ACTIVE', ?, NULL, ?, ?, 1)`,
);
const rawInsert = raw.transaction((i: number) => {
  const f = customerFieldsSchema.parse(customerInput({ email: `raw${String(i)}@x.test` }));
  const now = new Date().toISOString();
  insert.run(uuidv7(), f.companyName, f.contactName, f.email, f.phone, f.billingEmail, JSON.stringify(f.billingAddress), f.creditLimitCents, f.paymentTerms, JSON.stringify(f.requiredDocuments), now, now);
});

printTable(`customers.create, ${String(count)} runs each, one row per transaction`, [
  await time('raw better-sqlite3 insert (+ zod parse)', count, (i) => rawInsert(i), 200),
  await time('engine.mutate customers.create', count, (i) =>
    core.engine.mutate('customers.create', { ...customerInput({ email: `eng${String(i)}@x.test` }), id: uuidv7() }, actor),
  200),
  await time('router customers.create (whole IPC path)', count, async (i) => {
    const reply = await core.route('bench', 'customers.create', customerInput({ email: `rtr${String(i)}@x.test` }));
    if (!reply.ok) throw new Error(reply.error.message);
  }, 200),
]);

const outbox = raw.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number };
console.log(`outbox rows: ${String(outbox.n)} (set-up + ${String(outbox.n - 1)} creates, warm-ups included)`);
raw.close();
await core.close();
rmSync(dir, { recursive: true, force: true });
