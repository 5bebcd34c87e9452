import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_KEY_BYTES, type SecretBox } from '../db/secret-box.ts';
import type { Queryable } from '../db/pg/queryable.ts';

/**
 * The server's data key (seals carriers' bank account numbers at rest): NOTCHIFY_SERVER_KEY
 * (base64, 32 bytes) when set, else a file in the server's data folder readable only by its user,
 * created on first start. It never goes into the database it protects.
 */
export function loadDataKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.NOTCHIFY_SERVER_KEY) {
    const key = Buffer.from(env.NOTCHIFY_SERVER_KEY, 'base64');
    if (key.length !== DATA_KEY_BYTES) throw new Error('NOTCHIFY_SERVER_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'data-key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== DATA_KEY_BYTES) throw new Error(`The key file ${file} is damaged`);
    return key;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(DATA_KEY_BYTES);
  writeFileSync(`${file}.tmp`, key.toString('base64'), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  chmodSync(file, 0o600);
  return key;
}

/**
 * The secret that signs access tokens, kept in the database so every server instance behind a
 * load balancer shares it; made once, on the first start.
 */
export async function loadTokenSecret(db: Queryable): Promise<Uint8Array> {
  return new Uint8Array(Buffer.from(await keptValue(db, 'jwtSecret', () => randomBytes(32).toString('base64')), 'base64'));
}

/** The value of `key` in server_meta, made by `make` and stored the first time it is asked for. */
async function keptValue(db: Queryable, key: string, make: () => string): Promise<string> {
  await db.query('INSERT INTO server_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, make()]);
  const { rows } = await db.query<{ value: string }>('SELECT value FROM server_meta WHERE key = $1', [key]);
  const value = rows[0]?.value;
  if (!value) throw new Error(`The server's ${key} could not be stored`);
  return value;
}

const KEY_CHECK = 'notchify data key check';

/**
 * Refuses a data key that is not the one the database's secrets were sealed with: an instance
 * started without NOTCHIFY_SERVER_KEY makes a key file of its own, and would then fail every pull
 * that carries bank account numbers, for ever. Checked against a value sealed on the first start
 * (or, in a database from before that, against a carrier's sealed account number), then kept.
 */
export async function checkDataKey(db: Queryable, box: SecretBox): Promise<void> {
  const stored = await db.query<{ value: string }>("SELECT value FROM server_meta WHERE key = 'dataKeyCheck'");
  const sample =
    stored.rows[0]?.value ??
    (await db.query<{ sealed: string }>('SELECT bank_account_sealed AS sealed FROM carriers WHERE bank_account_sealed IS NOT NULL LIMIT 1')).rows[0]?.sealed;
  if (sample !== undefined && !opens(box, sample)) {
    throw new Error(
      "This server's data key is not the one the database's bank account numbers were sealed with. Give every server instance the same NOTCHIFY_SERVER_KEY (or the key file of the first one), then start it again.",
    );
  }
  await db.query("INSERT INTO server_meta (key, value) VALUES ('dataKeyCheck', $1) ON CONFLICT (key) DO NOTHING", [box.seal(KEY_CHECK)]);
}

function opens(box: SecretBox, sealed: string): boolean {
  try {
    box.open(sealed);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which life of this database the server is in: made on the first start, and made anew by
 * `npm run server -- after-restore` once the database has been restored from a backup, so that
 * every desktop's cookie from before is refused and it syncs again from the start (sync/pull.ts).
 */
export function loadIncarnation(db: Queryable): Promise<string> {
  return keptValue(db, 'incarnation', randomUUID);
}

export async function newIncarnation(db: Queryable): Promise<string> {
  const value = randomUUID();
  await db.query("INSERT INTO server_meta (key, value) VALUES ('incarnation', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [value]);
  return value;
}
