import { z } from 'zod';
import { idSchema, versionSchema } from '../domain/fields.ts';
import { passwordSchema, userFieldsSchema, userViewSchema } from '../domain/users/schema.ts';
import { mutation, query } from './define.ts';

const saved = z.object({ id: z.string(), version: z.number().int() });

export const userCommands = {
  'users.list': query({
    summary: 'Every user of the workspace',
    input: z.object({}),
    output: z.array(userViewSchema),
    access: 'users.manage',
  }),
  'users.create': mutation({
    summary: 'Add a user with roles and a first password',
    input: userFieldsSchema.extend({ id: idSchema.optional(), password: passwordSchema }),
    args: userFieldsSchema.extend({ id: idSchema, passwordHash: z.string().min(1) }),
    output: saved,
    access: 'users.manage',
  }),
  'users.update': mutation({
    summary: "Change a user's name, roles or active flag (deactivate instead of delete)",
    input: z.object({
      id: idSchema,
      expectedVersion: versionSchema,
      name: userFieldsSchema.shape.name,
      roles: userFieldsSchema.shape.roles,
      active: z.boolean(),
    }),
    args: z.object({
      id: idSchema,
      expectedVersion: versionSchema,
      name: userFieldsSchema.shape.name,
      roles: userFieldsSchema.shape.roles,
      active: z.boolean(),
    }),
    output: saved,
    access: 'users.manage',
  }),
  'users.resetPassword': mutation({
    summary: "Set a new password for a user (an administrator's reset)",
    input: z.object({ id: idSchema, password: passwordSchema }),
    args: z.object({ id: idSchema, passwordHash: z.string().min(1) }),
    output: saved,
    access: 'users.manage',
  }),
  'users.changeOwnPassword': mutation({
    summary: 'Change your own password (needs the current one)',
    input: z.object({ currentPassword: z.string().min(1, 'Enter your current password'), newPassword: passwordSchema }),
    args: z.object({ id: idSchema, passwordHash: z.string().min(1) }),
    output: saved,
    access: 'signedIn',
  }),
} as const;
