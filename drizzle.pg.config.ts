import { defineConfig } from 'drizzle-kit';

/** Sync server migrations: `npx drizzle-kit generate --config drizzle.pg.config.ts` after changing db/pg/schema.ts. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/pg/schema.ts',
  out: './db/pg/migrations',
});
