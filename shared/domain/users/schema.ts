import { z } from 'zod';
import { emailSchema, idSchema, instantSchema, requiredText, versionSchema } from '../fields.ts';
import { roleSchema } from '../roles.ts';

export const passwordSchema = z
  .string({ error: 'Enter a password' })
  .min(10, 'Use at least 10 characters')
  .max(200, 'Use at most 200 characters');

export const rolesSchema = z
  .array(roleSchema)
  .min(1, 'Give the user at least one role')
  .transform((roles) => [...new Set(roles)]);

export const workspaceRowSchema = z.object({
  id: idSchema,
  name: z.string(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  version: versionSchema,
});
export type WorkspaceRow = z.output<typeof workspaceRowSchema>;

export const userRowSchema = z.object({
  id: idSchema,
  email: z.string(),
  name: z.string(),
  roles: z.array(roleSchema),
  passwordHash: z.string(),
  active: z.boolean(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  version: versionSchema,
});
export type UserRow = z.output<typeof userRowSchema>;

/** What leaves the engine: never the password hash. */
export const userViewSchema = userRowSchema.omit({ passwordHash: true });
export type UserView = z.output<typeof userViewSchema>;

export const userFieldsSchema = z.object({
  email: emailSchema,
  name: requiredText('a name', 120),
  roles: rolesSchema,
});
