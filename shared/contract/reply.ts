import { z } from 'zod';
import { ERROR_CODES, type ErrorBody } from '../domain/errors.ts';

/** Every call answers with exactly one of these; a host never throws across the boundary. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

export const errorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
});

export const replySchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorBodySchema }),
]);
