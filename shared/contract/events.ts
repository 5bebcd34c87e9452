import { z } from 'zod';
import { ENTITY_NAMES } from '../domain/port.ts';
import type { EventName } from './channels.ts';
import { syncStatusSchema } from './sync.ts';

/** Events main pushes to the renderer. Past tense: something has happened. */
export const events = {
  /** Rows of these entities changed (locally, or later by sync): refetch what shows them. */
  'data.changed': z.object({ entities: z.array(z.enum([...ENTITY_NAMES, 'outbox'])) }),
  /** The signed-in user changed (sign-in, sign-out, own roles edited). */
  'session.changed': z.object({ userId: z.string().nullable() }),
  /** The workstation's sync state changed (online, offline, pending count, new issues). */
  'sync.changed': syncStatusSchema,
} as const satisfies Record<EventName, z.ZodType>;

export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
