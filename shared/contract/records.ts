import { z } from 'zod';
import { idSchema } from '../domain/fields.ts';
import { ENTITY_NAMES } from '../domain/port.ts';
import { local, query } from './define.ts';

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actorUserId: z.string(),
  actorName: z.string().nullable(),
  mutationName: z.string(),
  entity: z.string(),
  rowId: z.string(),
  /** Field → [before, after] for the fields that changed; secrets appear as "(changed)". */
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
  created: z.boolean(),
});
export type AuditEntry = z.output<typeof auditEntrySchema>;

export const GRID_IDS = ['customers', 'carriers', 'users', 'loads'] as const;

export const gridPrefsSchema = z.object({
  columnVisibility: z.record(z.string(), z.boolean()).default({}),
  columnOrder: z.array(z.string()).default([]),
});
export type GridPrefs = z.output<typeof gridPrefsSchema>;

export const recordCommands = {
  'audit.history': query({
    summary: 'Who changed a record, when, and what changed',
    input: z.object({ entity: z.enum(ENTITY_NAMES), id: idSchema }),
    output: z.array(auditEntrySchema),
    access: 'signedIn',
  }),
  'prefs.getGrid': query({
    summary: "The signed-in user's column visibility and order for a grid",
    input: z.object({ grid: z.enum(GRID_IDS) }),
    output: gridPrefsSchema,
    access: 'signedIn',
  }),
  'prefs.setGrid': local({
    summary: "Save the signed-in user's column visibility and order for a grid",
    input: z.object({ grid: z.enum(GRID_IDS), prefs: gridPrefsSchema }),
    output: z.object({}),
    access: 'signedIn',
  }),
} as const;
