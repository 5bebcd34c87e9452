import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/engine.ts';

/**
 * The committed migrations are what drizzle-kit makes of the schemas: `drizzle-kit generate`, run
 * on a copy of each migrations folder, finds nothing to add. (A schema change without
 * `npm run db:generate` / `npm run db:generate:pg` fails here.) The committed folders are untouched.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const DRIZZLE_KIT = join(ROOT, 'node_modules', 'drizzle-kit', 'bin.cjs');

const STORES = [
  { name: 'SQLite (desktop)', dialect: 'sqlite', schema: 'db/sqlite/schema.ts', migrations: 'db/sqlite/migrations' },
  { name: 'PostgreSQL (server)', dialect: 'postgresql', schema: 'db/pg/schema.ts', migrations: 'db/pg/migrations' },
] as const;

/** Every file under `dir` with its content. */
function contents(dir: string): Record<string, string> {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(entries.map((e) => [relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name), 'utf8')]));
}

describe('schema and committed migrations agree', () => {
  it.each(STORES)('$name: drizzle-kit generate finds no changes', ({ dialect, schema, migrations }) => {
    const { dir, cleanup } = tempDir('notchify-drizzle-');
    try {
      const out = join(dir, 'migrations');
      cpSync(join(ROOT, migrations), out, { recursive: true });
      // drizzle-kit prefixes --out with "./", so it runs in the copy's folder with relative paths.
      const run = spawnSync(
        process.execPath,
        [DRIZZLE_KIT, 'generate', '--dialect', dialect, '--schema', relative(dir, join(ROOT, schema)), '--out', './migrations'],
        { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
      );
      const output = `${run.stdout}\n${run.stderr}`;
      expect(run.status, output).toBe(0);
      // drizzle-kit also exits 0 after some failures; only this line says it compared and found nothing.
      expect(output).toContain('No schema changes, nothing to migrate');
      expect(contents(out)).toEqual(contents(join(ROOT, migrations)));
    } finally {
      cleanup();
    }
  });
});
