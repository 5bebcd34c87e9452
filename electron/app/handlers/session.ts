import type { Handler } from '../context.ts';
import { DomainError } from '../../../shared/domain/errors.ts';
import { toSessionUser } from '../../../shared/domain/mutators/users.ts';
import { currentWorkspace, findUserByEmail, findUserById } from '../../engine/queries/users.ts';
import { randomUUID } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../../db/password.ts';

export const sessionCurrent: Handler<'session.current'> = (_input, ctx) => ({
  workspace: currentWorkspace(ctx.engine.db),
  user: ctx.user ? toSessionUser(ctx.user) : null,
});

const BAD_CREDENTIALS = 'That email and password do not match an active user';

export const signIn: Handler<'session.signIn'> = async (input, ctx) => {
  await ctx.throttle.beforeAttempt(input.email);
  if (ctx.sync.connected) return signInThroughServer(input, ctx);
  const user = findUserByEmail(ctx.engine.db, input.email);
  // Verify even when the user is unknown, so the answer takes as long either way.
  const ok = await verifyPassword(user?.passwordHash ?? (await unknownUserHash()), input.password);
  if (!user || !ok || !user.active) {
    ctx.throttle.failed(input.email);
    throw new DomainError('INVALID_CREDENTIALS', BAD_CREDENTIALS, { password: BAD_CREDENTIALS });
  }
  ctx.throttle.succeeded(input.email);
  ctx.sessions.signIn(ctx.sessionKey, user.id);
  ctx.events.toSession(ctx.sessionKey, 'session.changed', { userId: user.id });
  return toSessionUser(user);
};

/**
 * A workstation connected to a server signs its user in against the server (which also renews
 * the sync session), or — when the server can't be reached — against the verifier kept from the
 * last online sign-in, so work goes on offline.
 */
async function signInThroughServer(input: { email: string; password: string }, ctx: Parameters<Handler<'session.signIn'>>[1]) {
  let userId: string;
  try {
    ({ userId } = await ctx.sync.signIn(input.email, input.password));
  } catch (error) {
    if (error instanceof DomainError && error.code === 'INVALID_CREDENTIALS') {
      ctx.throttle.failed(input.email);
      throw new DomainError('INVALID_CREDENTIALS', error.message, { password: error.message });
    }
    throw error;
  }
  ctx.throttle.succeeded(input.email);
  const user = findUserById(ctx.engine.db, userId);
  if (!user?.active) throw new DomainError('INVALID_CREDENTIALS', BAD_CREDENTIALS, { password: BAD_CREDENTIALS });
  ctx.sessions.signIn(ctx.sessionKey, user.id);
  ctx.sync.start();
  ctx.events.toSession(ctx.sessionKey, 'session.changed', { userId: user.id });
  return toSessionUser(user);
}

export const signOut: Handler<'session.signOut'> = (_input, ctx) => {
  ctx.sessions.signOut(ctx.sessionKey);
  ctx.events.toSession(ctx.sessionKey, 'session.changed', { userId: null });
  return {};
};

/** A real argon2id hash of a random password nobody knows, so a miss costs a full verify. */
let unknownHash: Promise<string> | undefined;
function unknownUserHash(): Promise<string> {
  unknownHash ??= hashPassword(randomUUID());
  return unknownHash;
}
