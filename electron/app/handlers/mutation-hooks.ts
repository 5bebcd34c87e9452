import { v7 as uuidv7 } from 'uuid';
import { DomainError } from '../../../shared/domain/errors.ts';
import type { MutationHooks } from '../context.ts';
import { hashPassword, verifyPassword } from '../../../db/password.ts';

export const mutationHooks: MutationHooks = {
  'workspace.setup': {
    async prepare(input) {
      return {
        workspaceName: input.workspaceName,
        name: input.name,
        email: input.email,
        workspaceId: uuidv7(),
        userId: uuidv7(),
        passwordHash: await hashPassword(input.password),
      };
    },
    actor: (args) => ({ userId: args.userId, roles: ['ADMIN'] }),
    after(result, ctx) {
      ctx.sessions.signIn(ctx.sessionKey, result.id);
      ctx.events.toSession(ctx.sessionKey, 'session.changed', { userId: result.id });
    },
  },
  'users.create': {
    async prepare({ password, ...input }) {
      return { ...input, id: input.id ?? uuidv7(), passwordHash: await hashPassword(password) };
    },
  },
  'users.resetPassword': {
    async prepare(input) {
      return { id: input.id, passwordHash: await hashPassword(input.password) };
    },
  },
  'users.changeOwnPassword': {
    async prepare(input, ctx) {
      if (!ctx.user) throw new DomainError('NOT_SIGNED_IN', 'Sign in first');
      // A workstation connected to a server holds no password hashes (they stay on the server):
      // there the verifier kept for signing in offline knows the current password.
      const hash = ctx.user.passwordHash || ctx.sync.offlineVerifier(ctx.user.id);
      if (!hash || !(await verifyPassword(hash, input.currentPassword))) {
        const message = 'Your current password is not right';
        throw new DomainError('INVALID_CREDENTIALS', message, { currentPassword: message });
      }
      return { id: ctx.user.id, passwordHash: await hashPassword(input.newPassword) };
    },
    // The new hash is a verifier of the new password: signing in offline takes it from now on.
    async after(_result, ctx, args) {
      await ctx.sync.keepOfflineVerifier(args.id, args.passwordHash);
    },
  },
};
