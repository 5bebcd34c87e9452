import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_GROUP_SIZE, MAX_GROUP_SIZE } from './sync/group-size.ts';

/** The port `npm run server` listens on unless PORT says otherwise (README, "Sync server"). */
export const DEFAULT_SERVER_PORT = 5180;

const GROUP_SIZE_MESSAGE = `NOTCHIFY_PUSH_GROUP_SIZE must be a whole number from 1 to ${String(MAX_GROUP_SIZE)}`;

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number({ error: 'PORT must be a port number' }).int().min(0).max(65535).default(DEFAULT_SERVER_PORT),
  DATABASE_URL: z.string().min(1).optional(),
  NOTCHIFY_SERVER_DATA_DIR: z.string().min(1).optional(),
  NOTCHIFY_SERVER_LOG: z.enum(['0', '1']).optional(),
  NOTCHIFY_ACCESS_TOKEN_SECONDS: z.coerce.number().int().min(5).max(86_400).default(900),
  NOTCHIFY_PUSH_GROUP_SIZE: z.coerce
    .number({ error: GROUP_SIZE_MESSAGE })
    .int(GROUP_SIZE_MESSAGE)
    .min(1, GROUP_SIZE_MESSAGE)
    .max(MAX_GROUP_SIZE, GROUP_SIZE_MESSAGE)
    .default(DEFAULT_GROUP_SIZE),
});

export interface ServerConfig {
  host: string;
  port: number;
  databaseUrl: string | null;
  dataDir: string;
  log: boolean;
  accessTokenSeconds: number;
  /** How many of a client's consecutive mutations a push commits together. */
  pushGroupSize: number;
}

/** Reads the environment; a bad value is an error naming the variable. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${String(issue?.path.join('.'))}: ${String(issue?.message)}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: e.NOTCHIFY_SERVER_DATA_DIR ?? join(homedir(), '.notchify-server'),
    log: e.NOTCHIFY_SERVER_LOG === '1',
    accessTokenSeconds: e.NOTCHIFY_ACCESS_TOKEN_SECONDS,
    pushGroupSize: e.NOTCHIFY_PUSH_GROUP_SIZE,
  };
}
