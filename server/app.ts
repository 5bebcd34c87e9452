import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { createSecretBox } from '../db/secret-box.ts';
import { fieldErrorsOf } from '../shared/contract/parse.ts';
import {
  changeCount,
  leaseRequestSchema,
  loginRequestSchema,
  MAX_PUSH_BYTES,
  pullRequestSchema,
  pushRequestSchema,
  refreshRequestSchema,
  type ErrorResponse,
  type MutationEnvelope,
  type MutationResult,
  type PullResponse,
} from '../shared/sync/protocol.ts';
import { AuthService, type AuthUser } from './auth/service.ts';
import { AccessTokens } from './auth/tokens.ts';
import type { ServerDatabase } from './database.ts';
import { HttpError } from './http-error.ts';
import { createMetrics } from './metrics.ts';
import { openApiDocument } from './openapi.ts';
import { checkDataKey, loadIncarnation, loadTokenSecret } from './secrets.ts';
import { changeOrderProblem } from './sync/change-order.ts';
import { leaseBlock } from './sync/lease.ts';
import { PageReadAhead } from './sync/page-read-ahead.ts';
import { pull } from './sync/pull.ts';
import { DEFAULT_GROUP_SIZE } from './sync/group-size.ts';
import { claimClientGroup, push } from './sync/push.ts';

export interface AppOptions {
  db: ServerDatabase;
  /** The 32-byte key that seals bank account numbers at rest. */
  dataKey: Buffer;
  accessTokenSeconds?: number;
  clock?: () => Date;
  logger?: boolean;
  /** Requests per minute per client address, per route family. */
  rateLimits?: { auth: number; sync: number };
  /** How many of a client's consecutive mutations a push commits together (push.ts, DEFAULT_GROUP_SIZE). */
  pushGroupSize?: number;
  /** Whether the next page of a pull of many pages is made while the one before travels (on unless false; page-read-ahead.ts). */
  pullReadAhead?: boolean;
}

/** Body limits: the desktop keeps a push well within MAX_PUSH_BYTES (PUSH_BATCH_BYTES); sign-in bodies are small. */
const SYNC_BODY_LIMIT = MAX_PUSH_BYTES;
const AUTH_BODY_LIMIT = 16 * 1024;

/**
 * The sync API as a Fastify app (fastify/demo's app-factory shape): tests `inject` into it, the
 * entry point (server/main.ts) listens with it. The database must be migrated before.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? (() => new Date());
  const db = options.db;
  const box = createSecretBox(options.dataKey);
  await checkDataKey(db, box);
  const incarnation = await loadIncarnation(db);
  const tokens = new AccessTokens(await loadTokenSecret(db), options.accessTokenSeconds ?? 900, clock);
  const auth = new AuthService(db, tokens, clock);
  const metrics = createMetrics();

  const app = Fastify({ logger: options.logger ?? false, bodyLimit: SYNC_BODY_LIMIT, forceCloseConnections: true });

  app.setErrorHandler((error: unknown, _request, reply) => sendError(reply, error, app));
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody('NOT_FOUND', 'No such endpoint')));

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unknown';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });

  const limits = options.rateLimits ?? { auth: 30, sync: 1200 };
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      ...errorBody('TOO_MANY_ATTEMPTS', `Too many requests. Try again in ${String(Math.ceil(context.ttl / 1000))} s.`),
    }),
  });
  const authRoute = { bodyLimit: AUTH_BODY_LIMIT, config: { rateLimit: { max: limits.auth, timeWindow: 60_000 } } };
  const syncRoute = { config: { rateLimit: { max: limits.sync, timeWindow: 60_000 } } };

  app.get('/health', () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    try {
      const state = await db.migrationState();
      if (state.applied < state.shipped) {
        return await reply.code(503).send({ status: 'migrating', ...state });
      }
      const problem = await changeOrderProblem(db);
      if (problem) return await reply.code(503).send({ status: 'change log out of order', problem });
      return { status: 'ready', database: db.kind, migrations: state.applied };
    } catch {
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  const openapi = openApiDocument();
  app.get('/api/v1/openapi.json', () => openapi);

  app.post('/api/v1/auth/login', authRoute, async (request) => {
    const body = parseBody(loginRequestSchema, request.body);
    return auth.login(body.email, body.password);
  });
  app.post('/api/v1/auth/refresh', authRoute, async (request) => auth.refresh(parseBody(refreshRequestSchema, request.body).refreshToken));
  app.post('/api/v1/auth/logout', authRoute, async (request, reply) => {
    await auth.logout(parseBody(refreshRequestSchema, request.body).refreshToken);
    return reply.code(204).send();
  });

  const signedIn = (request: FastifyRequest) => auth.authenticate(request.headers.authorization);
  const open = (sealed: string) => box.open(sealed);
  const readAhead = options.pullReadAhead === false ? undefined : new PageReadAhead<PullResponse>({ onHit: () => metrics.pagesReadAhead.inc() });

  app.post('/api/v1/sync/push', syncRoute, async (request) => {
    const user = await signedIn(request);
    const body = parseBody(pushRequestSchema, request.body);
    try {
      const response = await push(
        {
          db,
          seal: (secret) => box.seal(secret),
          clock,
          onResult: (result) => {
            metrics.mutations.inc({ status: result.status });
            if (result.status === 'rejected') metrics.rejected.inc({ code: result.code ?? 'UNKNOWN' });
          },
          log: (message, error) => app.log.error({ err: error }, message),
          groupSize: options.pushGroupSize ?? DEFAULT_GROUP_SIZE,
        },
        user,
        body,
      );
      await endSessionsAfterPasswordChanges(auth, user, body.mutations, response.results);
      metrics.pushes.inc();
      return response;
    } finally {
      // A page made ahead for this workstation before its push ended lacks the push's results.
      readAhead?.forget(body.clientGroupId);
    }
  });

  app.post('/api/v1/sync/pull', syncRoute, async (request) => {
    const user = await signedIn(request);
    const body = parseBody(pullRequestSchema, request.body);
    const page = await pull({ db, open, clock, readAhead, incarnation }, user, body);
    metrics.pulls.inc();
    metrics.pulledChanges.inc(changeCount(page.changes));
    return page;
  });

  app.post('/api/v1/sync/lease', syncRoute, async (request) => {
    const user = await signedIn(request);
    const body = parseBody(leaseRequestSchema, request.body);
    await claimClientGroup(db, body.clientGroupId, user.id, clock());
    return leaseBlock(db, body.clientGroupId, body.series, clock());
  });

  return app;
}

/**
 * A password changed by a push ends the user's other sign-ins: your own change keeps the session
 * you made it from; an administrator's reset ends all of that user's (but the administrator's own,
 * when they reset their own). Only mutations applied by this push; retries change nothing.
 */
async function endSessionsAfterPasswordChanges(auth: AuthService, user: AuthUser, mutations: readonly MutationEnvelope[], results: readonly MutationResult[]): Promise<void> {
  for (const result of results) {
    if (result.status !== 'applied') continue;
    if (result.name === 'users.changeOwnPassword') await auth.endSessions(user.id, user.sessionId ?? null);
    if (result.name === 'users.resetPassword') {
      const target = (mutations.find((m) => m.clientId === result.clientId && m.id === result.id)?.args as { id?: unknown } | undefined)?.id;
      if (typeof target === 'string') await auth.endSessions(target, target === user.id ? (user.sessionId ?? null) : null);
    }
  }
}

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = fieldErrorsOf(parsed.error);
  const names = Object.keys(fields);
  throw new HttpError(400, 'VALIDATION', names.length > 0 ? `Check ${names.join(', ')}: ${Object.values(fields)[0] ?? ''}` : 'The request body is not valid', {
    fields,
  });
}

function errorBody(code: string, message: string, fields?: Record<string, string>): ErrorResponse {
  return { error: { code, message, ...(fields ? { fields } : {}) } };
}

function sendError(reply: FastifyReply, error: unknown, app: FastifyInstance): FastifyReply {
  if (error instanceof HttpError) {
    if (error.retryAfter !== undefined) void reply.header('retry-after', String(error.retryAfter));
    return reply.code(error.status).send(errorBody(error.code, error.message, error.fields));
  }
  const status = typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined;
  const fastifyCode = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (status === 413 || fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply.code(413).send(errorBody('PAYLOAD_TOO_LARGE', 'The request body is too large.'));
  }
  if (status === 429) return reply.code(429).send(errorBody('TOO_MANY_ATTEMPTS', 'Too many requests. Try again shortly.'));
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return reply.code(status).send(errorBody('VALIDATION', error instanceof Error ? error.message : 'The request is not valid'));
  }
  app.log.error({ err: error }, 'request failed');
  return reply.code(503).send(errorBody('TRY_LATER', 'The sync server could not finish this request. Nothing was lost; try again.'));
}
