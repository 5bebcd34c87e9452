import { z } from 'zod';

/**
 * The common shape of a list query: quick search, one sort, and a window of rows. Lists are
 * sorted, filtered and windowed in the engine, so a screen never holds more than it shows.
 */
export const SORT_DIRECTIONS = ['asc', 'desc'] as const;

export function listInputSchema<F extends readonly [string, ...string[]]>(sortFields: F) {
  return z.object({
    search: z.string().trim().max(100, 'Search is too long').default(''),
    sort: z
      .object({ field: z.enum(sortFields), dir: z.enum(SORT_DIRECTIONS) })
      .default({ field: sortFields[0], dir: 'asc' }),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  });
}

export function listOutputSchema<R extends z.ZodType>(row: R) {
  return z.object({ rows: z.array(row), total: z.number().int().min(0) });
}

export const byIdSchema = z.object({ id: z.uuid({ error: 'Not a valid record id' }) });
