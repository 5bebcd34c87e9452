/**
 * What PostgreSQL itself does with the statements customers.create leaves on the sync server (the
 * claim; per mutation a savepoint, both lookups and the row; the change log, audit rows, results
 * and last-mutation-id of the group with its COMMIT), sent as the server sends them, from 4
 * concurrent clients, in groups of 1 (each mutation its own transaction), 8 and 32 (the server's
 * default, DEFAULT_GROUP_SIZE). No HTTP and no rules: the ceiling a push works under.
 *
 *   npm run bench:push-commits            (PostgreSQL at 127.0.0.1:5432, or DATABASE_URL)
 *
 * It makes a scratch database and drops it.
 */
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { createFirstAdmin } from '../server/bootstrap.ts';
import { openPostgres, type ServerDatabase } from '../server/database.ts';
import { customerRowSchema, type CustomerRow } from '../shared/domain/customers/schema.ts';
import { DEFAULT_GROUP_SIZE } from '../server/sync/group-size.ts';
import { sendCustomerCreates } from './raw-mutation.ts';

const CLIENTS = 4;
const PER_CLIENT = 2_500;

const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
const dbName = `notchify_bench_commits_${String(Date.now())}`;
await admin.query(`CREATE DATABASE ${dbName}`);
const url = new URL(baseUrl);
url.pathname = `/${dbName}`;
const db = openPostgres(url.toString(), { max: CLIENTS + 2 });
try {
  await db.migrate();
  const { userId } = await createFirstAdmin(db, { workspaceName: 'Bench', name: 'Bench Admin', email: 'bench@bench.test', password: 'a long bench password' }, (s) => s);
  console.log(`\nThe statements of one customers.create, ${String(CLIENTS)} concurrent clients × ${PER_CLIENT.toLocaleString()}`);
  for (const perTransaction of [1, 8, DEFAULT_GROUP_SIZE, 1]) {
    const ms = await run(db, userId, perTransaction);
    const shape = perTransaction === 1 ? 'one mutation per transaction' : `${String(perTransaction)} per transaction, each in a savepoint`;
    console.log(`  ${shape.padEnd(55)} ${Math.round((CLIENTS * PER_CLIENT) / (ms / 1000)).toLocaleString()} mutations/s`);
  }
} finally {
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}

async function run(db: ServerDatabase, userId: string, perTransaction: number): Promise<number> {
  const group = uuidv7();
  await db.query('INSERT INTO sync_client_groups (client_group_id, user_id, created_at) VALUES ($1, $2, now())', [group, userId]);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const clientId = uuidv7();
      await db.query('INSERT INTO sync_clients (client_id, client_group_id, user_id, last_mutation_id) VALUES ($1, $2, $3, 0)', [clientId, group, userId]);
      for (let first = 1; first <= PER_CLIENT; first += perTransaction) {
        const mutations: { mutationId: number; row: CustomerRow; at: string }[] = [];
        for (let id = first; id < first + perTransaction && id <= PER_CLIENT; id++) {
          const at = new Date().toISOString();
          const row = customerRowSchema.parse({
            ...{ id: uuidv7(), companyName: 'Bench Shipper', contactName: 'Pat Bench', email: `${uuidv7()}@bench.test`, billingEmail: 'ap@bench.test' },
            ...{ billingAddress: { line1: '1 Main St', city: 'Dallas', state: 'TX', zip: '75201' }, creditLimitCents: 0, paymentTerms: 'NET_30' },
            ...{ phone: null, contacts: [], shippingAddress: null, requiredDocuments: [], notes: null, status: 'ACTIVE', createdAt: at, updatedAt: at, version: 1 },
          });
          mutations.push({ mutationId: id, row, at });
        }
        await db.transaction((tx) => sendCustomerCreates(tx, { userId, clientGroupId: group, clientId, mutations }));
      }
    }),
  );
  return performance.now() - started;
}
