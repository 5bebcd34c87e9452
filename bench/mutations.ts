import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { createCore } from '../electron/app/core.ts';
import { DATABASE_FILE } from '../electron/engine/engine.ts';
import { KeyFileStore } from '../electron/services/key-store.ts';
import { customerFieldsSchema } from '../shared/domain/customers/schema.ts';
import { customerInput } from '../tests/support/fixtures.ts';

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
const core = createCore<string>({
  dataDir: dir,
  keyStore: new KeyFileStore(dir),
  events: { broadcast: () => undefined, toSession: () => undefined },
  isTrustedSender: () => true,
  sessionKeyOf: (s) => s,
});

const setup = await core.route('bench', 'workspace.setup', { workspaceName: 'Bench', name: 'Bench Admin', email: 'bench@x.test', password: 'benchmark password' });
if (!setup.ok) throw new Error(JSON.stringify(setup.error));
const actor = { userId: (setup.value as { id: string }).id, roles: ['ADMIN'] as const };

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return { p50: at(50), p95: at(95), p99: at(99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

async function time(label: string, run: (i: number) => unknown) {
  for (let i = 0; i < 200; i++) await run(-1 - i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await run(i);
    samples.push(performance.now() - t0);
  }
  return { label, ...percentiles(samples) };
}

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

const results = [
  await time('raw better-sqlite3 insert (+ zod parse)', (i) => rawInsert(i)),
  await time('engine.mutate customers.create', (i) =>
    core.engine.mutate('customers.create', { ...customerInput({ email: `eng${String(i)}@x.test` }), id: uuidv7() }, actor),
  ),
  await time('router customers.create (whole IPC path)', async (i) => {
    const reply = await core.route('bench', 'customers.create', customerInput({ email: `rtr${String(i)}@x.test` }));
    if (!reply.ok) throw new Error(reply.error.message);
  }),
];

const base = results[0]?.p50 ?? 1;
console.log(`customers.create, ${String(count)} runs each, one row per transaction (ms)`);
console.log('label'.padEnd(44), 'p50'.padStart(7), 'p95'.padStart(7), 'p99'.padStart(7), 'mean'.padStart(7), 'p50 vs raw'.padStart(11));
for (const r of results) {
  console.log(r.label.padEnd(44), ...[r.p50, r.p95, r.p99, r.mean].map((v) => v.toFixed(3).padStart(7)), `${(r.p50 / base).toFixed(1)}x`.padStart(11));
}
const outbox = raw.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number };
console.log(`outbox rows: ${String(outbox.n)} (set-up + ${String(outbox.n - 1)} creates, warm-ups included)`);
raw.close();
await core.close();
rmSync(dir, { recursive: true, force: true });
