import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { EventName } from '../../shared/contract/channels.ts';
import { createCore, type Core } from '../app/core.ts';
import type { EventSink } from '../app/context.ts';
import type { KeyStore } from '../services/key-store.ts';
import { CONTENT_SECURITY_POLICY } from '../app/csp.ts';

export interface WebHostOptions {
  dataDir: string;
  keyStore: KeyStore;
  /** The built renderer (vite build → dist/renderer). */
  rendererDir: string;
  port?: number;
  migrationsDir?: string;
  /** Fixed in tests; otherwise 32 random bytes per launch. */
  secret?: string;
  clock?: () => Date;
  logger?: boolean;
}

export interface WebSender {
  sessionKey: string;
  keyOk: boolean;
}

export interface WebHost {
  app: FastifyInstance;
  core: Core<WebSender>;
  secret: string;
  /** Starts listening on 127.0.0.1 and returns the URL to open (it carries the launch secret). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const KEY_HEADER = 'x-notchify-key';
const SESSION_HEADER = 'x-notchify-session';

const invokeBody = z.object({ name: z.string().max(100), input: z.unknown() });

/**
 * The web host: the same core (engine, router, handlers) as the Electron app, served to a browser
 * on 127.0.0.1 only. A call must carry the per-launch secret; the Host header must name the
 * loopback address (so a DNS-rebinding page can't reach it) and a cross-origin page is refused.
 */
export function createWebHost(options: WebHostOptions): WebHost {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const sockets = new Map<string, Set<EventSocket>>();

  const events: EventSink = {
    broadcast(event, payload) {
      for (const set of sockets.values()) for (const socket of set) send(socket, event, payload);
    },
    toSession(sessionKey, event, payload) {
      for (const socket of sockets.get(sessionKey) ?? []) send(socket, event, payload);
    },
  };

  const core = createCore<WebSender>({
    dataDir: options.dataDir,
    keyStore: options.keyStore,
    ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    events,
    isTrustedSender: (sender) => sender.keyOk,
    sessionKeyOf: (sender) => sender.sessionKey,
    logError: (error, name) => app.log.error({ err: error, command: name }, 'command failed'),
  });

  // forceCloseConnections: a browser tab left open must not keep close() waiting on its keep-alive sockets.
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1_000_000, forceCloseConnections: true });
  let port = options.port ?? 0;

  const keyOk = (value: unknown) => typeof value === 'string' && safeEqual(value, secret);
  const allowedHosts = () => new Set([`${LOOPBACK}:${String(port)}`, `localhost:${String(port)}`]);

  app.addHook('onRequest', (request, reply, done) => {
    if (!allowedHosts().has(request.headers.host ?? '')) {
      void reply.code(421).send({ error: 'This host answers on 127.0.0.1 only' });
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) {
      void reply.code(403).send({ error: 'Cross-origin calls are refused' });
      return;
    }
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    done();
  });

  app.post('/api/session', (request, reply) => {
    if (!keyOk(request.headers[KEY_HEADER])) return reply.code(401).send({ error: 'Missing or wrong launch key' });
    return reply.send({ sessionKey: randomBytes(24).toString('base64url') });
  });

  app.post('/api/invoke', async (request: FastifyRequest) => {
    const body = invokeBody.safeParse(request.body);
    const sender: WebSender = {
      keyOk: keyOk(request.headers[KEY_HEADER]),
      sessionKey: String(request.headers[SESSION_HEADER] ?? ''),
    };
    if (!body.success) return core.route(sender, undefined, undefined);
    return core.route(sender, body.data.name, body.data.input);
  });

  void app.register(fastifyWebsocket);
  void app.register((scope, _options, done) => {
    scope.get('/api/events', { websocket: true }, (socket, request) => {
      const query = request.query as Record<string, unknown>;
      const sessionKey = typeof query.session === 'string' ? query.session : '';
      if (!keyOk(query.key) || sessionKey === '') {
        socket.close(4401, 'Missing or wrong launch key');
        return;
      }
      const set = sockets.get(sessionKey) ?? new Set<EventSocket>();
      set.add(socket);
      sockets.set(sessionKey, set);
      socket.on('close', () => {
        set.delete(socket);
        if (set.size === 0) sockets.delete(sessionKey);
      });
    });
    done();
  });

  if (existsSync(options.rendererDir)) {
    void app.register(fastifyStatic, { root: options.rendererDir, index: ['index.html'] });
  } else {
    app.get('/', async (_request, reply) =>
      reply.code(503).type('text/plain').send('The renderer is not built. Run "npm run web", which builds it first.'),
    );
  }

  return {
    app,
    core,
    secret,
    async listen() {
      await app.listen({ host: LOOPBACK, port });
      const address = app.server.address();
      if (address && typeof address === 'object') port = address.port;
      return `http://${LOOPBACK}:${String(port)}/?key=${secret}`;
    },
    async close() {
      for (const set of sockets.values()) for (const socket of set) socket.terminate();
      await app.close();
      await core.close();
    },
  };
}

/** The part of a WebSocket the event push needs. */
interface EventSocket {
  readonly readyState: number;
  readonly OPEN: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

function send(socket: EventSocket, event: EventName, payload: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event, payload }));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
