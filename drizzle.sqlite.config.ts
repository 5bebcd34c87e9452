import { defineConfig } from 'drizzle-kit';

/** Desktop store migrations: `npm run db:generate` after changing db/sqlite/schema.ts. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/sqlite/schema.ts',
  out: './db/sqlite/migrations',
});
