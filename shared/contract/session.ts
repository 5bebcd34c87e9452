import { z } from 'zod';
import { emailSchema, requiredText } from '../domain/fields.ts';
import { PERMISSIONS } from '../domain/roles.ts';
import { passwordSchema, userViewSchema } from '../domain/users/schema.ts';
import { local, mutation, query } from './define.ts';

export const sessionUserSchema = userViewSchema.extend({ permissions: z.array(z.enum(PERMISSIONS)) });
export type SessionUser = z.output<typeof sessionUserSchema>;

const setupFields = z.object({
  workspaceName: requiredText('the company name', 200),
  name: requiredText('your name', 120),
  email: emailSchema,
});

export const sessionCommands = {
  'session.current': query({
    summary: 'Whether the workspace is set up, and who is signed in on this window',
    input: z.object({}),
    output: z.object({
      workspace: z.object({ id: z.string(), name: z.string() }).nullable(),
      user: sessionUserSchema.nullable(),
    }),
    access: 'public',
  }),
  'session.signIn': local({
    summary: 'Sign in with email and password',
    input: z.object({ email: emailSchema, password: z.string().min(1, 'Enter your password').max(200) }),
    output: sessionUserSchema,
    access: 'public',
  }),
  'session.signOut': local({
    summary: 'Sign out of this window',
    input: z.object({}),
    output: z.object({}),
    access: 'signedIn',
  }),
  'workspace.setup': mutation({
    summary: 'First run: create the workspace and its first administrator, then sign in as them',
    input: setupFields.extend({ password: passwordSchema }),
    args: setupFields.extend({
      workspaceId: z.uuid(),
      userId: z.uuid(),
      passwordHash: z.string().min(1),
    }),
    output: sessionUserSchema,
    access: 'public',
  }),
} as const;
