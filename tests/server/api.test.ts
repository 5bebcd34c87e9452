import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { pullRequestSchema, pullResponseSchema, SCHEMA_VERSION, type PullResponse, type PushResponse, type Tokens } from '../../shared/sync/protocol.ts';
import { AccessTokens } from '../../server/auth/tokens.ts';
import { COMMAND_NAMES, isMutation, specOf } from '../../shared/contract/index.ts';
import { loadTokenSecret } from '../../server/secrets.ts';
import { customerInput } from '../support/fixtures.ts';
import { PASSWORD, pushBody, startTestServer, type TestServer } from './support.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const envelope = (clientId: string, id: number, name: string, args: unknown, actorUserId: string) => ({
  clientId,
  id,
  name,
  args,
  actorUserId,
  createdAt: new Date().toISOString(),
});

describe('health, readiness, metrics and the API document', () => {
  it('answers /health and /ready with every migration applied', async () => {
    expect((await server.app.inject('/health')).json()).toEqual({ status: 'ok' });
    const ready = await server.app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready' });
  });

  it('serves an OpenAPI document with the sync routes and their examples', async () => {
    const doc = (await server.app.inject('/api/v1/openapi.json')).json<{ openapi: string; paths: Record<string, { post?: { requestBody?: { content: Record<string, { example?: unknown; schema: unknown }> } } }> }>();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/api/v1/sync/push', '/api/v1/sync/pull', '/api/v1/sync/lease']) {
      expect(doc.paths[path]?.post, path).toBeDefined();
    }
    const push = doc.paths['/api/v1/sync/push']?.post?.requestBody?.content['application/json'];
    expect(push?.example).toMatchObject({ schemaVersion: SCHEMA_VERSION });
    expect(JSON.stringify(push?.schema)).toContain('clientGroupId');
    // Every mutation a push may carry, with the schema of its args.
    const schemas = (doc as unknown as { components: { schemas: Record<string, { title?: string; properties?: Record<string, unknown> }> } }).components.schemas;
    const mutations = COMMAND_NAMES.filter((name) => isMutation(specOf(name)));
    expect(Object.keys(schemas).sort()).toEqual(mutations.map((name) => `mutation:${name}`).sort());
    expect(Object.keys(schemas['mutation:loads.book']?.properties ?? {})).toEqual(expect.arrayContaining(['id', 'expectedVersion', 'carrierId', 'carrierRateCents']));
    // The pull shows both of its formats, and each example is what the protocol's schemas take.
    type Examples = Record<string, { value: unknown }>;
    const pull = doc.paths['/api/v1/sync/pull']?.post as unknown as {
      requestBody: { content: Record<string, { examples: Examples }> };
      responses: Record<string, { content: Record<string, { examples: Examples }> }>;
    };
    const requests = pull.requestBody.content['application/json']!.examples;
    const responses = pull.responses['200']!.content['application/json']!.examples;
    expect(Object.keys(requests)).toEqual(['rows', 'columns']);
    expect(Object.keys(responses)).toEqual(['rows', 'columns']);
    for (const { value } of Object.values(requests)) expect(pullRequestSchema.safeParse(value).error).toBeUndefined();
    for (const { value } of Object.values(responses)) expect(pullResponseSchema.safeParse(value).error).toBeUndefined();
    expect(JSON.stringify(responses.columns)).toContain('"op":"putRows"');
  });

  it('exposes Prometheus metrics with request counts and latency histograms', async () => {
    await server.app.inject('/health');
    const text = (await server.app.inject('/metrics')).body;
    expect(text).toMatch(/notchify_http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    expect(text).toContain('notchify_http_request_duration_seconds_bucket');
    expect(text).toContain('notchify_sync_rejected_mutations_total');
  });

  it('counts pushes, pulls, mutations by outcome and refusals by code', async () => {
    const metric = async (name: string) => {
      const text = (await server.app.inject('/metrics')).body;
      const escaped = name.replace(/[{}"]/g, (c) => `\\${c}`);
      return Number(new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    };
    const names = [
      'notchify_sync_push_requests_total',
      'notchify_sync_pull_requests_total',
      'notchify_sync_mutations_total{status="applied"}',
      'notchify_sync_mutations_total{status="rejected"}',
      'notchify_sync_rejected_mutations_total{code="DUPLICATE"}',
    ];
    const before = await Promise.all(names.map(metric));
    const { accessToken } = await server.login('ada@lonestar.test');
    const clientId = uuidv7();
    const email = 'metrics@acme.test';
    const pushed = await server.post<PushResponse>(
      '/api/v1/sync/push',
      pushBody(uuidv7(), [
        envelope(clientId, 1, 'customers.create', { ...customerInput({ email }), id: uuidv7() }, server.adminId),
        envelope(clientId, 2, 'customers.create', { ...customerInput({ email }), id: uuidv7() }, server.adminId),
      ]),
      accessToken,
    );
    expect(pushed.body.results.map((r) => [r.status, r.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'DUPLICATE'],
    ]);
    await server.post('/api/v1/sync/pull', { clientGroupId: uuidv7(), schemaVersion: SCHEMA_VERSION, cookie: null }, accessToken);
    const after = await Promise.all(names.map(metric));
    expect(after.map((n, i) => n - (before[i] ?? 0))).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('sign-in, refresh-token rotation and sign-out', () => {
  it('signs in with the bootstrap admin and returns tokens and the user', async () => {
    const tokens = await server.login('ada@lonestar.test');
    expect(tokens.user).toMatchObject({ email: 'ada@lonestar.test', name: 'Ada Admin', roles: ['ADMIN'] });
    expect(tokens.accessToken.split('.')).toHaveLength(3);
    expect(tokens.refreshToken.length).toBeGreaterThan(20);
  });

  it('refuses a wrong password and, after three failures, makes the next attempt wait', async () => {
    const email = 'slow@lonestar.test';
    await server.addUser(email, ['VIEWER']);
    for (let i = 0; i < 3; i++) {
      const r = await server.post<{ error: { code: string } }>('/api/v1/auth/login', { email, password: 'not the password' });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    const waiting = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
    expect(waiting.statusCode).toBe(429);
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('rotates refresh tokens, and a reused one revokes the whole family', async () => {
    const first = await server.login('ada@lonestar.test');
    const second = await server.post<Tokens>('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    const third = await server.post<Tokens>('/api/v1/auth/refresh', { refreshToken: second.body.refreshToken });
    expect(third.status).toBe(200);
    // The first token again: stolen or replayed. Every token of the family stops working.
    expect((await server.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken })).status).toBe(401);
    expect((await server.post('/api/v1/auth/refresh', { refreshToken: third.body.refreshToken })).status).toBe(401);
  });

  it('lets a desktop whose refresh answer was lost ask again with the same token, within a minute, and only then', async () => {
    let offset = 0;
    const clocked = await startTestServer({ clock: () => new Date(Date.now() + offset) });
    try {
      const refresh = (refreshToken: string) => clocked.post<Tokens>('/api/v1/auth/refresh', { refreshToken });
      const first = await clocked.login('ada@lonestar.test');
      const lost = await refresh(first.refreshToken);
      expect(lost.status).toBe(200);
      // The answer never arrived: the desktop asks again with the token it still has.
      const again = await refresh(first.refreshToken);
      expect(again.status).toBe(200);
      expect((await refresh(lost.body.refreshToken)).status).toBe(401);
      const next = await refresh(again.body.refreshToken);
      expect(next.status).toBe(200);

      // A minute later the same kind of retry is a stolen copy: the whole family ends.
      const answered = await refresh(next.body.refreshToken);
      offset += 61_000;
      expect((await refresh(next.body.refreshToken)).status).toBe(401);
      expect((await refresh(answered.body.refreshToken)).status).toBe(401);
    } finally {
      await clocked.close();
    }
  });

  it('signs out: the refresh token no longer works', async () => {
    const tokens = await server.login('ada@lonestar.test');
    expect((await server.post('/api/v1/auth/logout', { refreshToken: tokens.refreshToken })).status).toBe(204);
    expect((await server.post('/api/v1/auth/refresh', { refreshToken: tokens.refreshToken })).status).toBe(401);
  });
});

describe('push: exactly once per (clientId, id)', () => {
  it('applies a mutation once however often it is sent, and reports the rest as already processed', async () => {
    const tokens = await server.login('ada@lonestar.test');
    const clientGroupId = uuidv7();
    const clientId = uuidv7();
    const customerId = uuidv7();
    const m = envelope(clientId, 1, 'customers.create', { ...customerInput({ email: 'once@acme.test' }), id: customerId }, server.adminId);
    const before = await server.count('customers');
    const body = { clientGroupId, schemaVersion: SCHEMA_VERSION, mutations: [m] };
    const first = await server.post<PushResponse>('/api/v1/sync/push', body, tokens.accessToken);
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([{ clientId, id: 1, name: 'customers.create', status: 'applied' }]);
    expect(first.body.lastMutationIds[clientId]).toBe(1);
    for (let i = 0; i < 3; i++) {
      const again = await server.post<PushResponse>('/api/v1/sync/push', body, tokens.accessToken);
      expect(again.body.results[0]?.status).toBe('alreadyProcessed');
    }
    expect(await server.count('customers')).toBe(before + 1);
    const results = await server.db.query('SELECT status FROM mutation_results WHERE client_id = $1', [clientId]);
    expect(results.rows).toHaveLength(1);
  });

  it('consumes a mutation the rules refuse and keeps its result; a gap stops the client', async () => {
    const tokens = await server.login('ada@lonestar.test');
    const clientGroupId = uuidv7();
    const clientId = uuidv7();
    const dup = envelope(clientId, 1, 'customers.create', { ...customerInput({ email: 'once@acme.test' }), id: uuidv7() }, server.adminId);
    const gapped = envelope(clientId, 3, 'customers.create', { ...customerInput({ email: 'gap@acme.test' }), id: uuidv7() }, server.adminId);
    const r = await server.post<PushResponse>('/api/v1/sync/push', { clientGroupId, schemaVersion: SCHEMA_VERSION, mutations: [dup, gapped] }, tokens.accessToken);
    expect(r.status).toBe(200);
    expect(r.body.results).toHaveLength(1);
    expect(r.body.results[0]).toMatchObject({ id: 1, status: 'rejected', code: 'DUPLICATE' });
    expect(r.body.lastMutationIds[clientId]).toBe(1);
    const pulled = await server.post<PullResponse>('/api/v1/sync/pull', { clientGroupId, schemaVersion: SCHEMA_VERSION, cookie: null }, tokens.accessToken);
    expect(pulled.body.results).toEqual([expect.objectContaining({ id: 1, status: 'rejected', code: 'DUPLICATE' })]);
    expect((await server.db.query("SELECT 1 FROM customers WHERE email = 'gap@acme.test'")).rows).toHaveLength(0);
  });

  it("checks the actor's permission at replay time", async () => {
    const viewerId = await server.addUser('vic@lonestar.test', ['VIEWER']);
    const tokens = await server.login('vic@lonestar.test');
    const clientId = uuidv7();
    const r = await server.post<PushResponse>(
      '/api/v1/sync/push',
      { clientGroupId: uuidv7(), schemaVersion: SCHEMA_VERSION, mutations: [envelope(clientId, 1, 'customers.create', { ...customerInput({ email: 'viewer@acme.test' }), id: uuidv7() }, viewerId)] },
      tokens.accessToken,
    );
    expect(r.body.results[0]).toMatchObject({ status: 'rejected', code: 'NOT_AUTHORIZED' });
  });

  it('answers VersionNotSupported for a schema version it does not replay, and writes nothing', async () => {
    const tokens = await server.login('ada@lonestar.test');
    const before = await server.count('mutation_results');
    const r = await server.post<{ error: { code: string } }>(
      '/api/v1/sync/push',
      { clientGroupId: uuidv7(), schemaVersion: SCHEMA_VERSION + 1, mutations: [envelope(uuidv7(), 1, 'customers.create', customerInput(), server.adminId)] },
      tokens.accessToken,
    );
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('VersionNotSupported');
    expect(await server.count('mutation_results')).toBe(before);
  });
});

describe('rate limits per route', () => {
  it('answers 429 TOO_MANY_ATTEMPTS past the sign-in and sync limits, each counted apart', async () => {
    const limited = await startTestServer({ rateLimits: { auth: 3, sync: 2 } });
    try {
      const login = () => limited.post<{ error?: { code: string } }>('/api/v1/auth/login', { email: 'ada@lonestar.test', password: PASSWORD });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await login()).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await login()).body.error?.code).toBe('TOO_MANY_ATTEMPTS');

      // Sign-in is spent for this minute; a token made with the server's secret stands in.
      const token = (await new AccessTokens(await loadTokenSecret(limited.db), 900, () => new Date()).issue(limited.adminId)).token;
      const pull = () => limited.post('/api/v1/sync/pull', { clientGroupId: uuidv7(), schemaVersion: SCHEMA_VERSION, cookie: null }, token);
      expect([(await pull()).status, (await pull()).status, (await pull()).status]).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});
