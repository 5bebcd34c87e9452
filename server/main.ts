import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { read } from 'read';
import { createSecretBox } from '../db/secret-box.ts';
import { DomainError } from '../shared/domain/errors.ts';
import { buildApp } from './app.ts';
import { createFirstAdmin } from './bootstrap.ts';
import { configFromEnv, type ServerConfig } from './config.ts';
import { openPglite, openPostgres, type ServerDatabase } from './database.ts';
import { loadDataKey, newIncarnation } from './secrets.ts';
import { changeOrderProblem } from './sync/change-order.ts';

/**
 * `npm run server`: the sync API on HOST:PORT (127.0.0.1:5180 by default), on DATABASE_URL or,
 * when that is unset, on an embedded PGlite database in NOTCHIFY_SERVER_DATA_DIR.
 * `npm run server -- create-admin --email a@b.c [--name "Ada Admin"] [--workspace "Acme Freight"]`
 * makes the first administrator (password from NOTCHIFY_ADMIN_PASSWORD, else asked for).
 * `npm run server -- after-restore` follows a restore of the database from a backup.
 */
async function openDatabase(config: ServerConfig): Promise<ServerDatabase> {
  const db = config.databaseUrl ? openPostgres(config.databaseUrl) : await openPglite(`${config.dataDir}/pgdata`);
  await db.migrate();
  return db;
}

async function serve(config: ServerConfig): Promise<void> {
  const db = await openDatabase(config);
  const problem = await changeOrderProblem(db);
  if (problem) {
    await db.close();
    throw new Error(problem);
  }
  const app = await buildApp({ db, dataKey: loadDataKey(config.dataDir), accessTokenSeconds: config.accessTokenSeconds, logger: config.log, pushGroupSize: config.pushGroupSize });
  const address = await app.listen({ host: config.host, port: config.port });
  console.log(`Notchify sync server\n  database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}/pgdata`}\n  listening: ${address}`);
  const stop = () => {
    setTimeout(() => process.exit(0), 5_000).unref();
    void app
      .close()
      .then(() => db.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The new administrator's password: asked twice on a terminal, without showing it; else the first line piped in. */
async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    throw new Error('No password given: set NOTCHIFY_ADMIN_PASSWORD, or type it when asked.');
  }
  const hidden = async (prompt: string): Promise<string> => {
    const answer: unknown = await read({ prompt, silent: true, replace: '*' });
    return typeof answer === 'string' ? answer : String(answer);
  };
  const password = await hidden('Password for the administrator (at least 10 characters): ');
  if ((await hidden('The same password again: ')) !== password) throw new Error('The two passwords differ; nothing was created.');
  return password;
}

async function createAdmin(config: ServerConfig, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { email: { type: 'string' }, name: { type: 'string' }, workspace: { type: 'string' } } });
  if (!values.email) throw new Error('create-admin needs --email');
  let password = process.env.NOTCHIFY_ADMIN_PASSWORD;
  if (!password) {
    password = await askPassword();
  }
  const db = await openDatabase(config);
  try {
    const box = createSecretBox(loadDataKey(config.dataDir));
    const { userId } = await createFirstAdmin(
      db,
      { email: values.email, name: values.name ?? values.email.split('@')[0] ?? 'Administrator', workspaceName: values.workspace ?? 'My brokerage', password },
      (secret) => box.seal(secret),
    );
    console.log(`Administrator ${values.email} created (${userId}). Sign in from the desktop with "Connect to a server".`);
  } finally {
    await db.close();
  }
}

/**
 * `npm run server -- after-restore`, once the database has been restored from a backup and before
 * the server starts on it: desktops may hold changes the backup does not, so each is made to sync
 * again from the start (a new incarnation; sync/pull.ts).
 */
async function afterRestore(config: ServerConfig): Promise<void> {
  const db = await openDatabase(config);
  try {
    await newIncarnation(db);
    console.log('Done. Every workstation will sync everything again from this server on its next sync, then send what it still has queued.');
  } finally {
    await db.close();
  }
}

const [command, ...rest] = process.argv.slice(2);
try {
  const config = configFromEnv();
  if (command === 'create-admin') await createAdmin(config, rest);
  else if (command === 'after-restore') await afterRestore(config);
  else if (command === undefined || command === 'serve') await serve(config);
  else throw new Error(`Unknown command "${command}". Use "npm run server", "npm run server -- create-admin --email …" or "npm run server -- after-restore".`);
} catch (error) {
  if (error instanceof DomainError) {
    console.error([error.message, ...Object.entries(error.fields ?? {}).map(([field, problem]) => `  ${field}: ${problem}`)].join('\n'));
  } else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
