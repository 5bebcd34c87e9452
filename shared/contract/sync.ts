import { z } from 'zod';
import { emailSchema } from '../domain/fields.ts';
import { conflictSchema } from '../sync/protocol.ts';
import { local, query } from './define.ts';
import { sessionUserSchema } from './session.ts';

export const SYNC_STATES = ['standalone', 'offline', 'syncing', 'online', 'signInRequired', 'updateRequired', 'error'] as const;

export const syncStatusSchema = z.object({
  state: z.enum(SYNC_STATES),
  serverUrl: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  pending: z.number().int(),
  issues: z.number().int(),
  message: z.string().nullable(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
});
export type SyncStatusView = z.output<typeof syncStatusSchema>;

export const syncIssueSchema = z.object({
  clientId: z.string(),
  mutationId: z.number().int(),
  name: z.string(),
  /** What it was, in a clerk's words ("Book L100042 with Red River Trucking"). */
  summary: z.string(),
  actorName: z.string().nullable(),
  createdAt: z.string(),
  code: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.string()).nullable(),
  conflict: conflictSchema.nullable(),
  receivedAt: z.string(),
});
export type SyncIssue = z.output<typeof syncIssueSchema>;

const serverUrlSchema = z
  .string({ error: 'Enter the server address' })
  .trim()
  .min(1, 'Enter the server address')
  .max(300, 'The server address is too long')
  .refine((v) => /^(https?:\/\/)?[\w.-]+(:\d{1,5})?(\/.*)?$/i.test(v), 'Enter an address like https://sync.yourbrokerage.com');

export const syncCommands = {
  'sync.status': query({
    summary: 'Whether this workstation syncs with a server, and how that is going',
    input: z.object({}),
    output: syncStatusSchema,
    access: 'public',
  }),
  'sync.connect': local({
    summary: 'Connect this new workstation to a sync server and sign in; the first sync follows',
    input: z.object({ serverUrl: serverUrlSchema, email: emailSchema, password: z.string().min(1, 'Enter your password').max(200) }),
    output: sessionUserSchema,
    access: 'public',
  }),
  'sync.now': local({
    summary: 'Sync now instead of waiting for the next round',
    input: z.object({}),
    output: syncStatusSchema,
    access: 'signedIn',
  }),
  'sync.issues': query({
    summary: 'Changes the server refused, with the reason and who changed the record first',
    input: z.object({}),
    output: z.array(syncIssueSchema),
    access: 'signedIn',
  }),
  'sync.discardIssue': local({
    summary: 'Discard a sync issue once it has been dealt with',
    input: z.object({ clientId: z.string().min(1), mutationId: z.number().int().positive() }),
    output: z.object({}),
    access: 'signedIn',
  }),
} as const;
