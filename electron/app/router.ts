import {
  contract,
  isCommandName,
  type CommandName,
  type MutationName,
  type Reply,
} from '../../shared/contract/index.ts';
import { parseInput } from '../../shared/contract/parse.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { hasAccess } from '../../shared/domain/mutators/guards.ts';
import type { Actor } from '../../shared/domain/port.ts';
import { v7 as uuidv7 } from 'uuid';
import type { SyncClient } from '../sync/sync-client.ts';
import type { Engine } from '../engine/engine.ts';
import { findUserById } from '../engine/queries/users.ts';
import type { EventSink, Handler, HandlerContext, MutationHook, MutationHooks, ReadHandlers } from './context.ts';
import type { Sessions } from './sessions.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

export interface RouterOptions<Sender> {
  engine: Engine;
  sessions: Sessions;
  throttle: SignInThrottle;
  events: EventSink;
  sync: SyncClient;
  handlers: ReadHandlers;
  hooks: MutationHooks;
  /** The host's check that a call comes from our own UI (Electron: the sender frame; web: the launch secret). */
  isTrustedSender(sender: Sender): boolean;
  /** Which session (window, tab) the call belongs to. */
  sessionKeyOf(sender: Sender): string;
  /** Unexpected failures are logged here and answered with a generic INTERNAL error. */
  logError?(error: unknown, name: string): void;
}

export type Route<Sender> = (sender: Sender, name: unknown, input: unknown) => Promise<Reply<unknown>>;

/**
 * The one router, shared by the Electron IPC host and the web host. In order: is the sender our
 * UI, is the name a command, is the caller allowed, is the input valid; then the handler (reads
 * and local commands) or the engine (mutations) runs, and the output is parsed by the contract's
 * output schema, which also strips anything the schema does not name. It never throws.
 */
export function createRouter<Sender>(options: RouterOptions<Sender>): Route<Sender> {
  return async (sender, name, input) => {
    try {
      if (!options.isTrustedSender(sender)) {
        throw new DomainError('FORBIDDEN_SENDER', 'This call did not come from the Notchify window');
      }
      if (!isCommandName(name)) {
        throw new DomainError('UNKNOWN_COMMAND', `There is no command named ${JSON.stringify(String(name)).slice(0, 80)}`);
      }
      const spec = contract[name];
      const sessionKey = options.sessionKeyOf(sender);
      const ctx = contextFor(options, sessionKey);
      if (!hasAccess(ctx.actor, spec.access)) {
        throw ctx.actor
          ? new DomainError('NOT_AUTHORIZED', 'Your role does not allow this. Ask an administrator if you need it.')
          : new DomainError('NOT_SIGNED_IN', 'Sign in to continue');
      }
      const parsed: unknown = parseInput(spec.input, input);
      const value = spec.kind === 'mutation'
        ? await runMutation(options, name as MutationName, parsed, ctx)
        : await runHandler(options.handlers, name, parsed, ctx);
      return { ok: true, value: spec.output.parse(value) };
    } catch (error) {
      if (error instanceof DomainError) return { ok: false, error: error.toBody() };
      options.logError?.(error, typeof name === 'string' ? name : '?');
      return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on this desktop. Nothing was saved; try again.' } };
    }
  };
}

function contextFor<Sender>(options: RouterOptions<Sender>, sessionKey: string): HandlerContext {
  const userId = options.sessions.userIdOf(sessionKey);
  let user = userId ? findUserById(options.engine.db, userId) ?? null : null;
  if (userId && (!user || !user.active)) {
    // Deactivated (or removed) since signing in: the session ends here.
    options.sessions.signOut(sessionKey);
    user = null;
  }
  const actor: Actor | null = user ? { userId: user.id, roles: user.roles } : null;
  return {
    sessionKey,
    user,
    actor,
    engine: options.engine,
    sessions: options.sessions,
    throttle: options.throttle,
    events: options.events,
    sync: options.sync,
  };
}

async function runHandler(handlers: ReadHandlers, name: CommandName, input: unknown, ctx: HandlerContext): Promise<unknown> {
  const table = handlers as unknown as Partial<Record<CommandName, Handler<CommandName>>>;
  const handler = table[name];
  if (!handler) throw new DomainError('UNKNOWN_COMMAND', `No handler for ${name}`);
  return handler(input as never, ctx);
}

async function runMutation<Sender>(
  options: RouterOptions<Sender>,
  name: MutationName,
  input: unknown,
  ctx: HandlerContext,
): Promise<unknown> {
  const hook = (options.hooks as Partial<Record<MutationName, MutationHook<MutationName>>>)[name];
  const args: unknown = hook ? await hook.prepare(input as never, ctx) : withClientId(input);
  const actor = hook?.actor ? hook.actor(args as never) : ctx.actor;
  if (!actor) throw new DomainError('NOT_SIGNED_IN', 'Sign in to continue');
  const result = await options.engine.mutate(name, args, actor);
  await hook?.after?.(result, ctx, args as never);
  return result;
}

/** Ids are made on the client (UUIDv7), so the server replays a create with the same id. */
function withClientId(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  if ('id' in input && typeof input.id === 'string') return input;
  return { ...input, id: uuidv7() };
}
