import { z } from 'zod';
import { carrierRowSchema } from '../domain/carriers/schema.ts';
import { customerRowSchema } from '../domain/customers/schema.ts';
import { loadEventRowSchema, loadRowSchema } from '../domain/loads/schema.ts';
import { ENTITY_NAMES, type EntityName } from '../domain/port.ts';
import { userRowSchema, workspaceRowSchema } from '../domain/users/schema.ts';

/**
 * Rows as they travel in a pull. Every store seals bank account numbers with its own key, so a
 * carrier travels with `bankAccountNumber` (the number itself, only to roles that pay; otherwise
 * null, and the masked last four digits are all the desktop holds) instead of the sealed text.
 * Users travel without password hashes.
 */
export const wireRowSchemas = {
  workspaces: workspaceRowSchema,
  users: userRowSchema.extend({ passwordHash: z.literal('') }),
  customers: customerRowSchema,
  carriers: carrierRowSchema.omit({ bankAccountSealed: true }).extend({ bankAccountNumber: z.string().nullable() }),
  loads: loadRowSchema,
  loadEvents: loadEventRowSchema,
} as const satisfies Record<EntityName, z.ZodType>;

export type WireRow<E extends EntityName> = z.output<(typeof wireRowSchemas)[E]>;

/** One value per synced table. */
function perEntity<T>(value: (entity: EntityName) => T): Record<EntityName, T> {
  return Object.fromEntries(ENTITY_NAMES.map((entity) => [entity, value(entity)])) as Record<EntityName, T>;
}

/** Each table's wire fields, in the order a `putRows` change lays out a row's values. */
export const wireColumns: Record<EntityName, readonly string[]> = perEntity((entity) => Object.keys(wireRowSchemas[entity].shape));

/** The same, as sets: the fields a row of each table may carry on the wire. */
export const wireFields: Record<EntityName, ReadonlySet<string>> = perEntity((entity) => new Set(wireColumns[entity]));
