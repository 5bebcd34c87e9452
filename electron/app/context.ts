import type { Args, CommandName, Contract, Input, LocalName, MutationName, Out, QueryName } from '../../shared/contract/index.ts';
import type { EventName } from '../../shared/contract/channels.ts';
import type { EventPayload } from '../../shared/contract/events.ts';
import type { Actor } from '../../shared/domain/port.ts';
import type { UserRow } from '../../shared/domain/users/schema.ts';
import type { Engine } from '../engine/engine.ts';
import type { SyncClient } from '../sync/sync-client.ts';
import type { Sessions } from './sessions.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

/** Pushes events to the renderer(s): to every window, or to the windows of one session. */
export interface EventSink {
  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void;
  toSession<E extends EventName>(sessionKey: string, event: E, payload: EventPayload<E>): void;
}

export interface HandlerContext {
  sessionKey: string;
  /** The signed-in user, read fresh for this call; null before sign-in. */
  user: UserRow | null;
  actor: Actor | null;
  engine: Engine;
  sessions: Sessions;
  throttle: SignInThrottle;
  events: EventSink;
  /** This workstation's sync with a server (standalone until connected). */
  sync: SyncClient;
}

export type Handler<N extends CommandName> = (input: Input<N>, ctx: HandlerContext) => Promise<Out<N>> | Out<N>;

/** One handler per query and local command; a missing one is a compile error. */
export type ReadHandlers = { [N in QueryName | LocalName]: Handler<N> };

/**
 * Most mutations go straight to their shared mutator (the host only adds the client-made id).
 * Those whose args differ from their input (a password becomes its hash, first-run set-up makes
 * ids) must have a hook; the type below makes a missing one a compile error.
 */
/** Fields the engine fills from a number series (a load number), inside the mutation's transaction. */
type NumberedFields<N extends MutationName> = Contract[N] extends { numbers?: infer R } ? { [K in keyof NonNullable<R>]: string } : unknown;
type DefaultPrepared<N extends MutationName> = Omit<Input<N>, 'id'> & { id: string } & NumberedFields<N>;
export type HookedMutation = {
  [N in MutationName]: DefaultPrepared<N> extends Args<N> ? never : N;
}[MutationName];

export interface MutationHook<N extends MutationName> {
  prepare(input: Input<N>, ctx: HandlerContext): Promise<Args<N>>;
  /** For a public mutation (first-run set-up): who the actor is. */
  actor?(args: Args<N>): Actor;
  after?(result: Out<N>, ctx: HandlerContext, args: Args<N>): void | Promise<void>;
}
export type MutationHooks = { [N in HookedMutation]: MutationHook<N> };
