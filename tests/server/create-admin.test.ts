import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPglite } from '../../server/database.ts';
import { tempDir } from '../support/engine.ts';

/**
 * `npm run server -- create-admin`, run for real on embedded PGlite: the password meets the same
 * rules as on a desktop's first run, and a refused one creates nothing.
 */
const MAIN = join(import.meta.dirname, '../../server/main.ts');
let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

function createAdmin(dataDir: string, email: string, password: string) {
  // On the embedded database, whatever database the test run itself is pointed at.
  const { DATABASE_URL: _unused, ...env } = process.env;
  return spawnSync(process.execPath, [MAIN, 'create-admin', '--email', email, '--name', 'Ada Admin', '--workspace', 'Lone Star Logistics'], {
    env: { ...env, NOTCHIFY_SERVER_DATA_DIR: dataDir, NOTCHIFY_ADMIN_PASSWORD: password },
    encoding: 'utf8',
  });
}

async function users(dataDir: string): Promise<string[]> {
  const db = await openPglite(join(dataDir, 'pgdata'));
  try {
    return (await db.query<{ email: string }>('SELECT email FROM users ORDER BY email')).rows.map((r) => r.email);
  } finally {
    await db.close();
  }
}

describe('create-admin', () => {
  it('refuses a short password or a bad email, naming the field, and creates nothing; then makes the administrator', async () => {
    const made = tempDir('notchify-create-admin-');
    cleanup = made.cleanup;
    const short = createAdmin(made.dir, 'ada@lonestar.test', 'short');
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/password.*at least 10 characters/i);
    const badEmail = createAdmin(made.dir, 'not-an-email', 'a long password');
    expect(badEmail.status).toBe(1);
    expect(badEmail.stderr).toMatch(/email/i);
    expect(await users(made.dir)).toEqual([]);

    const ok = createAdmin(made.dir, 'ada@lonestar.test', 'a long password');
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/Administrator ada@lonestar.test created/);
    expect(await users(made.dir)).toEqual(['ada@lonestar.test']);
  }, 120_000);
});
