import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { isMutationName } from '../../server/sync/push.ts';
import { contract } from '../../shared/contract/index.ts';
import { idSchema } from '../../shared/domain/fields.ts';
import { MAX_PUSH_MUTATIONS, SCHEMA_VERSION, type PushResponse, type Tokens } from '../../shared/sync/protocol.ts';
import { customerInput } from '../support/fixtures.ts';
import { PASSWORD, TEST_DATA_KEY, caughtUpCookie, envelope, pushBody, snapshot, startTestServer, type Envelope, type TestServer } from './support.ts';

/**
 * Hostile HTTP bodies against the sync API (issue 4, "Fuzz the HTTP API"): malformed, oversized,
 * wrongly typed and foreign bodies and tampered access tokens. Every answer must be a 4xx with a
 * JSON `{error:{code,message}}`, and nothing may be written (row counts of every table a request
 * could touch, and the change counter, are the same before and after).
 */

const ADMIN_EMAIL = 'ada@lonestar.test';
const ENDPOINTS = ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/sync/push', '/api/v1/sync/pull', '/api/v1/sync/lease'] as const;
const SYNC_ENDPOINTS = ['/api/v1/sync/push', '/api/v1/sync/pull', '/api/v1/sync/lease'] as const;
const MUTATION_NAMES = Object.keys(contract).filter(isMutationName);
const RUNS = { numRuns: 60 };

let server: TestServer;
let admin: Tokens;
/** An AR clerk who has already pushed with her own workstation. */
let clerk: { id: string; tokens: Tokens; clientGroupId: string; clientId: string };
let viewer: { id: string; tokens: Tokens };
let jwtSecret: Uint8Array;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login(ADMIN_EMAIL);
  const clerkId = await server.addUser('arnie@lonestar.test', ['AR_CLERK'], 'Arnie Clerk');
  clerk = { id: clerkId, tokens: await server.login('arnie@lonestar.test'), clientGroupId: randomUUID(), clientId: randomUUID() };
  const pushed = await server.post<PushResponse>(
    '/api/v1/sync/push',
    pushBody(clerk.clientGroupId, [envelope(clerk.clientId, 1, 'customers.create', { ...customerInput({ email: 'clerk@acme.test' }), id: randomUUID() }, clerk.id)]),
    clerk.tokens.accessToken,
  );
  expect(pushed.body.results[0]?.status).toBe('applied');
  const viewerId = await server.addUser('vic@lonestar.test', ['VIEWER'], 'Vic Viewer');
  viewer = { id: viewerId, tokens: await server.login('vic@lonestar.test') };
  const { rows } = await server.db.query<{ value: string }>("SELECT value FROM server_meta WHERE key = 'jwtSecret'");
  jwtSecret = new Uint8Array(Buffer.from(rows[0]?.value ?? '', 'base64'));
});
afterAll(async () => {
  await server.close();
});

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  contentType: string;
  body: unknown;
  raw: string;
}

/** A POST with any payload and headers; never throws on a non-JSON answer (the assertions do). */
async function send(
  url: string,
  payload: string | Buffer | Readable,
  options: { token?: string; authorization?: string; contentType?: string | null; app?: FastifyInstance } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  const response = await (options.app ?? server.app).inject({ method: 'POST', url, headers, payload });
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    body = undefined;
  }
  return { status: response.statusCode, contentType: response.headers['content-type'] ?? '', body, raw: response.body };
}

const sendJson = (url: string, body: unknown, options: Parameters<typeof send>[2] = {}) => send(url, JSON.stringify(body), options);

/** A 4xx (or exactly `status`) with `{error:{code,message}}` as JSON. */
function expectClientError(answer: Answer, status?: number, code?: string): void {
  const context = `${String(answer.status)} ${answer.raw.slice(0, 300)}`;
  if (status === undefined) {
    expect(answer.status, context).toBeGreaterThanOrEqual(400);
    expect(answer.status, context).toBeLessThan(500);
  } else {
    expect(answer.status, context).toBe(status);
  }
  expect(answer.contentType, context).toMatch(/^application\/json/);
  const body = answer.body as { error?: { code?: unknown; message?: unknown } } | undefined;
  expect(typeof body?.error?.code, context).toBe('string');
  expect(typeof body?.error?.message, context).toBe('string');
  expect(String(body?.error?.message).length, context).toBeGreaterThan(0);
  if (code !== undefined) expect(body?.error?.code, context).toBe(code);
}

/** The token each endpoint needs to get past sign-in (none for the auth routes). */
function tokenFor(url: string): string | undefined {
  return url.startsWith('/api/v1/sync/') ? admin.accessToken : undefined;
}

/** A valid body for each endpoint, made fresh (new workstation and client ids). */
function validBody(url: (typeof ENDPOINTS)[number]): Record<string, unknown> {
  switch (url) {
    case '/api/v1/auth/login':
      return { email: 'nobody@lonestar.test', password: 'not the password' };
    case '/api/v1/auth/refresh':
      return { refreshToken: randomBytes(32).toString('base64url') };
    case '/api/v1/sync/push':
      return { ...pushBody(randomUUID(), [adminCustomerCreate(randomUUID(), 1)]) };
    case '/api/v1/sync/pull':
      return { clientGroupId: randomUUID(), schemaVersion: SCHEMA_VERSION, cookie: null };
    case '/api/v1/sync/lease':
      return { clientGroupId: randomUUID(), series: 'LOAD' };
  }
}

let emailCounter = 0;
function adminCustomerCreate(clientId: string, id: number): Envelope {
  emailCounter++;
  return envelope(clientId, id, 'customers.create', { ...customerInput({ email: `fuzz${String(emailCounter)}@acme.test` }), id: randomUUID() }, server.adminId);
}

/** Runs `request` and checks it answered a 4xx error and wrote nothing. */
async function expectRefusedAndNothingWritten(request: () => Promise<Answer>, status?: number, code?: string): Promise<Answer> {
  const before = await snapshot(server.db);
  const answer = await request();
  expectClientError(answer, status, code);
  expect(await snapshot(server.db), `${String(answer.status)} ${answer.raw.slice(0, 200)}`).toEqual(before);
  return answer;
}

const notAnId = fc.oneof(
  fc.string({ maxLength: 60 }).filter((s) => !idSchema.safeParse(s).success),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.uuid(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);
const notAMutationId = fc.oneof(
  fc.integer({ min: -1_000_000_000, max: 0 }),
  fc.double({ noInteger: true }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, 1e21, -0.5, 0.999999),
  fc.string({ maxLength: 10 }),
  fc.constant(null),
  fc.boolean(),
  fc.constant([1]),
);
const notAnInteger = fc.oneof(fc.double({ noInteger: true }), fc.string({ maxLength: 10 }), fc.constant(null), fc.boolean(), fc.constant({}), fc.constant([1]));
const unknownName = fc.oneof(
  fc.string({ minLength: 1, maxLength: 100 }).filter((n) => !isMutationName(n)),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'customers.list',
    'carriers.get',
    'Customers.Create',
    ' customers.create',
    'customers.create ',
    'customers.create\u0000',
    'customers.create.v2',
  ),
);
const notAName = fc.oneof(unknownName, fc.constant(''), fc.string({ minLength: 101, maxLength: 300 }), fc.integer(), fc.constant(null), fc.constant(['customers.create']));
const notACreatedAt = fc.oneof(fc.string({ minLength: 41, maxLength: 400 }), fc.integer(), fc.constant(null), fc.constant({}));

/** Any code point, with the ones that trouble databases and parsers (NUL, lone surrogates, quotes, LIKE wildcards) often. */
const hostileChar = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\u0001', '\ud800', '\udfff', '\uffff', "'", '"', '\\', '%', '_', '\n') },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

type Corruption = { at: 'top' | 'envelope'; key: string; value?: unknown; remove?: true };

const TOP_KEYS = ['clientGroupId', 'schemaVersion', 'mutations'];
const ENVELOPE_KEYS = ['clientId', 'id', 'name', 'args', 'actorUserId', 'createdAt'];

/** One thing wrong with an otherwise valid push body; each must make it a 400. */
const pushCorruption: fc.Arbitrary<Corruption> = fc.oneof(
  notAnId.map((value) => ({ at: 'top' as const, key: 'clientGroupId', value })),
  notAnInteger.map((value) => ({ at: 'top' as const, key: 'schemaVersion', value })),
  fc
    .oneof(fc.jsonValue().filter((v) => !Array.isArray(v)), fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 3 }))
    .map((value) => ({ at: 'top' as const, key: 'mutations', value })),
  notAnId.map((value) => ({ at: 'envelope' as const, key: 'clientId', value })),
  notAMutationId.map((value) => ({ at: 'envelope' as const, key: 'id', value })),
  notAName.map((value) => ({ at: 'envelope' as const, key: 'name', value })),
  notAnId.map((value) => ({ at: 'envelope' as const, key: 'actorUserId', value })),
  notACreatedAt.map((value) => ({ at: 'envelope' as const, key: 'createdAt', value })),
  fc.constantFrom(...TOP_KEYS).map((key) => ({ at: 'top' as const, key, remove: true as const })),
  // args is `unknown` on the wire: a mutation without args is refused by the rules, not the schema.
  fc.constantFrom(...ENVELOPE_KEYS.filter((k) => k !== 'args')).map((key) => ({ at: 'envelope' as const, key, remove: true as const })),
  fc
    .tuple(fc.constantFrom<'top' | 'envelope'>('top', 'envelope'), fc.string({ minLength: 1, maxLength: 30 }), fc.jsonValue({ maxDepth: 2 }))
    .filter(([at, key]) => !(at === 'top' ? TOP_KEYS : ENVELOPE_KEYS).includes(key))
    .map(([at, key, value]) => ({ at, key, value })),
);

function corrupt(body: Record<string, unknown>, corruption: Corruption): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...body };
  let target: Record<string, unknown> = copy;
  if (corruption.at === 'envelope') {
    const mutations = (copy.mutations as Record<string, unknown>[]).map((m) => ({ ...m }));
    copy.mutations = mutations;
    target = mutations[mutations.length - 1] ?? {};
  }
  if (corruption.remove) Reflect.deleteProperty(target, corruption.key);
  else Object.defineProperty(target, corruption.key, { value: corruption.value, enumerable: true, configurable: true, writable: true });
  return copy;
}

const BASE64URL = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
const b64u = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function signToken(
  secret: Uint8Array,
  claims: { sub?: string; iss?: string; aud?: string; expiresIn?: number; alg?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: claims.alg ?? 'HS256', typ: 'JWT' })
    .setIssuer(claims.iss ?? 'notchify-sync')
    .setAudience(claims.aud ?? 'notchify-desktop')
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expiresIn ?? 900));
  if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
  return jwt.sign(secret);
}

/** A body each sync endpoint accepts from the admin, to show a token is refused for itself alone. */
function validSyncBody(url: (typeof SYNC_ENDPOINTS)[number]): Record<string, unknown> {
  return url === '/api/v1/sync/push' ? { ...pushBody(randomUUID(), []) } : validBody(url);
}

async function expectTokenRefused(token: string): Promise<void> {
  for (const url of SYNC_ENDPOINTS) {
    await expectRefusedAndNothingWritten(() => sendJson(url, validSyncBody(url), { token }), 401, 'UNAUTHORIZED');
  }
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('fuzzed bodies', () => {
  it('answers any JSON value that is not a valid body with a 4xx and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), fc.jsonValue({ maxDepth: 4 }), async (url, value) => {
        await expectRefusedAndNothingWritten(() => sendJson(url, value, { token: tokenFor(url) }));
      }),
      RUNS,
    );
  });

  it('answers malformed JSON (truncated valid bodies, arbitrary text) with a 4xx and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        fc.oneof(
          fc.nat().map((n) => ({ truncateAt: n })),
          fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ text })),
        ),
        async (url, how) => {
          const valid = JSON.stringify(validBody(url));
          const payload = 'text' in how ? how.text : valid.slice(0, how.truncateAt % valid.length);
          await expectRefusedAndNothingWritten(() => send(url, payload, { token: tokenFor(url) }));
        },
      ),
      RUNS,
    );
  });

  it('refuses a push body with one field missing, extra or of the wrong type (400), and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(pushCorruption, fc.integer({ min: 1, max: 3 }), async (corruption, size) => {
        const clientId = randomUUID();
        const mutations = Array.from({ length: size }, (_, i) => adminCustomerCreate(clientId, i + 1));
        const body = corrupt(pushBody(randomUUID(), mutations), corruption);
        await expectRefusedAndNothingWritten(() => sendJson('/api/v1/sync/push', body, { token: admin.accessToken }), 400, 'VALIDATION');
      }),
      RUNS,
    );
  });

  it('refuses a pull or lease body with a field missing, extra or of the wrong type (400), and writes nothing', async () => {
    const pullCorruption = fc.oneof(
      notAnId.map((value) => ['clientGroupId', value] as const),
      notAnInteger.map((value) => ['schemaVersion', value] as const),
      fc.oneof(notAnInteger.filter((v) => v !== null), fc.integer({ max: -1 })).map((value) => ['cookie', value] as const),
      fc.oneof(notAnInteger, fc.integer({ max: 0 }), fc.integer({ min: 20_001 })).map((value) => ['limit', value] as const),
      fc.oneof(fc.string({ maxLength: 20 }).filter((s) => s !== 'rows' && s !== 'columns'), fc.constant(null), fc.integer(), fc.constant(['columns'])).map((value) => ['format', value] as const),
      fc.constantFrom('clientGroupId', 'schemaVersion', 'cookie').map((key) => [key, undefined] as const),
      fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !['clientGroupId', 'schemaVersion', 'cookie', 'limit', 'format', 'scope'].includes(k)).map((key) => [key, 1] as const),
    );
    const leaseCorruption = fc.oneof(
      notAnId.map((value) => ['clientGroupId', value] as const),
      fc.oneof(fc.string({ maxLength: 20 }).filter((s) => s !== 'LOAD'), fc.constant(null), fc.integer(), fc.constant(['LOAD'])).map((value) => ['series', value] as const),
      fc.constantFrom('clientGroupId', 'series').map((key) => [key, undefined] as const),
      fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !['clientGroupId', 'series'].includes(k)).map((key) => [key, 'x'] as const),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          pullCorruption.map((c) => ['/api/v1/sync/pull', c] as const),
          leaseCorruption.map((c) => ['/api/v1/sync/lease', c] as const),
        ),
        async ([url, [key, value]]) => {
          const body = validBody(url);
          if (value === undefined) Reflect.deleteProperty(body, key);
          else Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
          await expectRefusedAndNothingWritten(() => sendJson(url, body, { token: admin.accessToken }), 400, 'VALIDATION');
        },
      ),
      RUNS,
    );
  });

  it('refuses sign-in and refresh bodies of the wrong shape (400) and unknown credentials (401), writing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ email: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null)), password: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()) }, { requiredKeys: [] }),
          fc.record({ email: fc.emailAddress(), password: fc.string({ minLength: 1, maxLength: 200 }) }),
          fc.record({ email: fc.constant(ADMIN_EMAIL), password: fc.string({ minLength: 201, maxLength: 2000 }) }),
          fc.record({ email: fc.emailAddress(), password: fc.string({ minLength: 1, maxLength: 20 }), extra: fc.jsonValue({ maxDepth: 1 }) }),
        ),
        async (body) => {
          fc.pre(!(body.email === ADMIN_EMAIL && body.password === PASSWORD));
          await expectRefusedAndNothingWritten(() => sendJson('/api/v1/auth/login', body));
        },
      ),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ refreshToken: fc.oneof(fc.string({ maxLength: 400 }), fc.integer(), fc.constant(null), fc.constant([])) }, { requiredKeys: [] }),
          fc.record({ refreshToken: fc.string({ minLength: 20, maxLength: 200 }), extra: fc.jsonValue({ maxDepth: 1 }) }),
        ),
        async (body) => {
          await expectRefusedAndNothingWritten(() => sendJson('/api/v1/auth/refresh', body));
        },
      ),
      RUNS,
    );
  });

  it("refuses a push carrying another user's actorUserId anywhere in the batch (403), and applies none of it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.nat(),
        fc.constantFrom(() => clerk.id, () => viewer.id, () => randomUUID()),
        async (size, where, foreign) => {
          const clientId = randomUUID();
          const mutations = Array.from({ length: size }, (_, i) => adminCustomerCreate(clientId, i + 1));
          const at = where % size;
          mutations[at] = { ...mutations[at]!, actorUserId: foreign() };
          await expectRefusedAndNothingWritten(() => sendJson('/api/v1/sync/push', pushBody(randomUUID(), mutations), { token: admin.accessToken }), 403, 'FORBIDDEN');
        },
      ),
      { numRuns: 30 },
    );
  });

  it('refuses an unknown mutation name anywhere in the batch (400), and applies none of it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.nat(), unknownName, async (size, where, name) => {
        const clientId = randomUUID();
        const mutations = Array.from({ length: size }, (_, i) => adminCustomerCreate(clientId, i + 1));
        const at = where % size;
        mutations[at] = { ...mutations[at]!, name };
        await expectRefusedAndNothingWritten(() => sendJson('/api/v1/sync/push', pushBody(randomUUID(), mutations), { token: admin.accessToken }), 400, 'VALIDATION');
      }),
      RUNS,
    );
  });

  it('consumes a known mutation with hostile args as rejected: never applied, never a 5xx', async () => {
    await fc.assert(
      // (A __proto__ or constructor.prototype key is refused before any of this, with a 400: the
      // prototype-poisoning case below.)
      fc.asyncProperty(fc.constantFrom(...MUTATION_NAMES), fc.jsonValue({ maxDepth: 3 }).filter((v) => !poisons(v)), async (name, args) => {
        const clientId = randomUUID();
        const before = await snapshot(server.db);
        const r = await sendJson('/api/v1/sync/push', pushBody(randomUUID(), [envelope(clientId, 1, name, args, server.adminId)]), { token: admin.accessToken });
        expectRejectedOnly(r, before, await snapshot(server.db));
      }),
      RUNS,
    );
  });

  it('consumes a refused mutation whatever string its args.id or args.loadId holds (no poison pill)', async () => {
    // The server looks up "who changed this record first" by args.id / args.loadId straight off
    // the wire. A refused mutation must still be consumed, or the desktop's queue is stuck behind it.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...MUTATION_NAMES),
        fc.constantFrom('id', 'loadId'),
        fc.string({ unit: hostileChar, maxLength: 40 }),
        async (name, key, value) => {
          const before = await snapshot(server.db);
          const r = await sendJson('/api/v1/sync/push', pushBody(randomUUID(), [envelope(randomUUID(), 1, name, { [key]: value }, viewer.id)]), {
            token: viewer.tokens.accessToken,
          });
          expectRejectedOnly(r, before, await snapshot(server.db));
        },
      ),
      RUNS,
    );
  });

  it('refuses tampered access tokens (any changed character) with a 401 and writes nothing', async () => {
    const token = admin.accessToken;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...BASE64URL), fc.constantFrom(...SYNC_ENDPOINTS), async (n, char, url) => {
        // The last signature character carries 2 padding bits a decoder may ignore; it is left
        // alone so every tampered token really differs in the bytes it signs or is signed with.
        const positions = Array.from({ length: token.length }, (_, i) => i).filter((i) => token[i] !== '.' && i !== token.length - 1);
        const at = positions[n % positions.length]!;
        fc.pre(token[at] !== char);
        const tampered = token.slice(0, at) + char + token.slice(at + 1);
        await expectRefusedAndNothingWritten(() => sendJson(url, validSyncBody(url), { token: tampered }), 401, 'UNAUTHORIZED');
      }),
      RUNS,
    );
  });

  it('refuses any Authorization header that is not a current bearer token (401)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.stringMatching(/^[\x20-\x7e]{0,300}$/),
          fc.stringMatching(/^[A-Za-z0-9_-]{1,200}$/).map((t) => `Bearer ${t}`),
          fc.tuple(fc.base64String({ maxLength: 80 }), fc.base64String({ maxLength: 200 }), fc.base64String({ maxLength: 60 })).map((parts) => `Bearer ${parts.join('.')}`),
          fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 })).map(([h, p]) => `Bearer ${b64u(h)}.${b64u(p)}.${randomBytes(32).toString('base64url')}`),
        ),
        fc.constantFrom(...SYNC_ENDPOINTS),
        async (authorization, url) => {
          await expectRefusedAndNothingWritten(() => sendJson(url, validSyncBody(url), { authorization }), 401, 'UNAUTHORIZED');
        },
      ),
      RUNS,
    );
  });
});

/** Whether a JSON value holds a key that Fastify's body parser refuses as prototype poisoning. */
function poisons(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(
    ([key, inner]) => key === '__proto__' || (key === 'constructor' && typeof inner === 'object' && inner !== null && 'prototype' in inner) || poisons(inner),
  );
}

/** 200, one result, rejected with a code; only its result, client and workstation were recorded. */
function expectRejectedOnly(r: Answer, before: Record<string, number>, after: Record<string, number>): void {
  const context = `${String(r.status)} ${r.raw.slice(0, 300)}`;
  expect(r.status, context).toBe(200);
  const body = r.body as PushResponse;
  expect(body.results, context).toHaveLength(1);
  expect(body.results[0]?.status, context).toBe('rejected');
  expect(body.results[0]?.code, context).toEqual(expect.any(String));
  expect(after, context).toEqual({
    ...before,
    mutation_results: before.mutation_results! + 1,
    sync_clients: before.sync_clients! + 1,
    sync_client_groups: before.sync_client_groups! + 1,
  });
}

// ---------------------------------------------------------------------------------------------
// Hand-picked cases
// ---------------------------------------------------------------------------------------------

describe('malformed and hostile bodies, case by case', () => {
  const malformed = [
    '',
    '{',
    '{"clientGroupId":',
    'nul',
    '[1,]',
    "{'email':'a@b.co'}",
    '\u0000',
    '{"a":1}{"b":2}',
    '\ufeff{"email":"a@b.co","password":"x"}',
    '{"__proto__":{"polluted":true},"email":"a@b.co","password":"x"}',
    '{"constructor":{"prototype":{"polluted":true}},"email":"a@b.co","password":"x"}',
    '9'.repeat(10_000),
    '['.repeat(5000) + ']'.repeat(5000),
  ];

  it('answers malformed JSON and prototype-poisoning bodies on every endpoint with a 4xx', async () => {
    for (const url of ENDPOINTS) {
      for (const payload of malformed) {
        await expectRefusedAndNothingWritten(() => send(url, payload, { token: tokenFor(url) }));
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a body that is not JSON, or has no content type, with a 4xx', async () => {
    for (const url of ENDPOINTS) {
      const body = JSON.stringify(validBody(url));
      await expectRefusedAndNothingWritten(() => send(url, body, { token: tokenFor(url), contentType: 'text/plain' }));
      await expectRefusedAndNothingWritten(() => send(url, 'email=a%40b.co&password=x', { token: tokenFor(url), contentType: 'application/x-www-form-urlencoded' }), 415);
      await expectRefusedAndNothingWritten(() => send(url, body, { token: tokenFor(url), contentType: 'application/xml' }), 415);
      await expectRefusedAndNothingWritten(() => send(url, body, { token: tokenFor(url), contentType: null }));
    }
  });

  it('answers an unknown endpoint or method with a 404 JSON error', async () => {
    const unknown = await send('/api/v1/sync/pushh', '{}', { token: admin.accessToken });
    expectClientError(unknown, 404, 'NOT_FOUND');
    const get = await server.app.inject({ method: 'GET', url: '/api/v1/sync/push' });
    expect(get.statusCode).toBe(404);
    expect(get.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('answers a push over 5 MB with a 413, signed in or not, and takes a push just under it', async () => {
    const big = JSON.stringify(pushBody(randomUUID(), [envelope(randomUUID(), 1, 'customers.create', { blob: 'x'.repeat(5 * 1024 * 1024) }, server.adminId)]));
    expect(big.length).toBeGreaterThan(5 * 1024 * 1024);
    await expectRefusedAndNothingWritten(() => send('/api/v1/sync/push', big, { token: admin.accessToken }), 413, 'PAYLOAD_TOO_LARGE');
    await expectRefusedAndNothingWritten(() => send('/api/v1/sync/push', big), 413, 'PAYLOAD_TOO_LARGE');
    for (const url of ['/api/v1/sync/pull', '/api/v1/sync/lease'] as const) {
      const body = JSON.stringify({ ...validBody(url), pad: 'x'.repeat(5 * 1024 * 1024) });
      await expectRefusedAndNothingWritten(() => send(url, body, { token: admin.accessToken }), 413, 'PAYLOAD_TOO_LARGE');
    }
    // Just under the limit: the body is read, and the rules refuse the mutation (consumed).
    const before = await snapshot(server.db);
    const under = JSON.stringify(pushBody(randomUUID(), [envelope(randomUUID(), 1, 'customers.create', { blob: 'x'.repeat(5 * 1024 * 1024 - 1000) }, server.adminId)]));
    expect(under.length).toBeLessThan(5 * 1024 * 1024);
    const r = await send('/api/v1/sync/push', under, { token: admin.accessToken });
    expectRejectedOnly(r, before, await snapshot(server.db));
  });

  it('answers a body streamed without a length past the limit with a 413', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const stream = () => Readable.from((function* () {
      yield Buffer.from('{"clientGroupId":"');
      for (let i = 0; i < 90; i++) yield chunk;
      yield Buffer.from('"}');
    })());
    await expectRefusedAndNothingWritten(() => send('/api/v1/sync/push', stream(), { token: admin.accessToken }), 413, 'PAYLOAD_TOO_LARGE');
    const small = () => Readable.from((function* () {
      yield Buffer.from('{"email":"');
      for (let i = 0; i < 1; i++) yield chunk;
      yield Buffer.from('"}');
    })());
    await expectRefusedAndNothingWritten(() => send('/api/v1/auth/login', small()), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers a sign-in or refresh body over 16 KB with a 413 before checking anything', async () => {
    const pad = 'x'.repeat(16 * 1024 + 1);
    await expectRefusedAndNothingWritten(() => sendJson('/api/v1/auth/login', { email: ADMIN_EMAIL, password: pad }), 413, 'PAYLOAD_TOO_LARGE');
    await expectRefusedAndNothingWritten(() => sendJson('/api/v1/auth/login', { email: `${pad}@acme.test`, password: 'x' }), 413, 'PAYLOAD_TOO_LARGE');
    await expectRefusedAndNothingWritten(() => sendJson('/api/v1/auth/refresh', { refreshToken: pad }), 413, 'PAYLOAD_TOO_LARGE');
    // Under 16 KB but over the field limits: a 400 naming the field.
    const r = await expectRefusedAndNothingWritten(() => sendJson('/api/v1/auth/login', { email: ADMIN_EMAIL, password: 'x'.repeat(8000) }), 400, 'VALIDATION');
    expect(r.body).toMatchObject({ error: { fields: { password: expect.any(String) as unknown } } });
  });

  it('refuses huge strings in every push field (400) without echoing them back', async () => {
    const huge = 'é'.repeat(1024 * 1024);
    const valid = () => pushBody(randomUUID(), [adminCustomerCreate(randomUUID(), 1)]);
    for (const corruption of [
      { at: 'top', key: 'clientGroupId', value: huge },
      { at: 'envelope', key: 'clientId', value: huge },
      { at: 'envelope', key: 'name', value: huge },
      { at: 'envelope', key: 'actorUserId', value: huge },
      { at: 'envelope', key: 'createdAt', value: huge },
    ] satisfies Corruption[]) {
      const r = await expectRefusedAndNothingWritten(() => sendJson('/api/v1/sync/push', corrupt(valid(), corruption), { token: admin.accessToken }), 400, 'VALIDATION');
      expect(r.raw.length, corruption.key).toBeLessThan(2000);
    }
  });

  it('refuses mutation ids that are not positive safe integers (400)', async () => {
    for (const id of [0, -1, -0.5, 1.5, 1e21, Number.MAX_SAFE_INTEGER + 2, '1', null, true, [1], { n: 1 }]) {
      const m = { ...adminCustomerCreate(randomUUID(), 1), id };
      await expectRefusedAndNothingWritten(() => sendJson('/api/v1/sync/push', pushBody(randomUUID(), [m as Envelope]), { token: admin.accessToken }), 400, 'VALIDATION');
    }
  });

  it('refuses more than the largest batch (400)', async () => {
    const clientId = randomUUID();
    const mutations = Array.from({ length: MAX_PUSH_MUTATIONS + 1 }, (_, i) => adminCustomerCreate(clientId, i + 1));
    await expectRefusedAndNothingWritten(() => sendJson('/api/v1/sync/push', pushBody(randomUUID(), mutations), { token: admin.accessToken }), 400, 'VALIDATION');
  });

  it('answers a schema version the server does not replay with VersionNotSupported (409), on push and pull', async () => {
    for (const schemaVersion of [0, -1, SCHEMA_VERSION + 1, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      await expectRefusedAndNothingWritten(
        () => sendJson('/api/v1/sync/push', { ...pushBody(randomUUID(), [adminCustomerCreate(randomUUID(), 1)]), schemaVersion }, { token: admin.accessToken }),
        409,
        'VersionNotSupported',
      );
      await expectRefusedAndNothingWritten(
        () => sendJson('/api/v1/sync/pull', { clientGroupId: randomUUID(), schemaVersion, cookie: null }, { token: admin.accessToken }),
        409,
        'VersionNotSupported',
      );
    }
  });

  it("refuses a push, pull or lease on another user's workstation (403) and writes nothing", async () => {
    await expectRefusedAndNothingWritten(
      () => sendJson('/api/v1/sync/push', pushBody(clerk.clientGroupId, [adminCustomerCreate(randomUUID(), 1)]), { token: admin.accessToken }),
      403,
      'FORBIDDEN',
    );
    await expectRefusedAndNothingWritten(() => sendJson('/api/v1/sync/push', pushBody(clerk.clientGroupId, []), { token: admin.accessToken }), 403, 'FORBIDDEN');
    await expectRefusedAndNothingWritten(
      () => sendJson('/api/v1/sync/pull', { clientGroupId: clerk.clientGroupId, schemaVersion: SCHEMA_VERSION, cookie: null }, { token: admin.accessToken }),
      403,
      'FORBIDDEN',
    );
    await expectRefusedAndNothingWritten(() => sendJson('/api/v1/sync/lease', { clientGroupId: clerk.clientGroupId, series: 'LOAD' }, { token: admin.accessToken }), 403, 'FORBIDDEN');
  });

  it("refuses a push on the user's own workstation that carries another user's client (403) and writes nothing", async () => {
    // Own workstation (already registered), a brand-new client first, then the clerk's client.
    const group = randomUUID();
    const ok = await sendJson('/api/v1/sync/push', pushBody(group, []), { token: admin.accessToken });
    expect(ok.status).toBe(200);
    const own = adminCustomerCreate(randomUUID(), 1);
    const foreign = { ...adminCustomerCreate(clerk.clientId, 2) };
    await expectRefusedAndNothingWritten(() => sendJson('/api/v1/sync/push', pushBody(group, [own, foreign]), { token: admin.accessToken }), 403, 'FORBIDDEN');
  });

  it("refuses a push whose actorUserId is another user's, on a workstation nobody has used yet (403), registering nothing", async () => {
    const m = { ...adminCustomerCreate(randomUUID(), 1), actorUserId: clerk.id };
    await expectRefusedAndNothingWritten(() => sendJson('/api/v1/sync/push', pushBody(randomUUID(), [m]), { token: admin.accessToken }), 403, 'FORBIDDEN');
  });

  it('answers a cookie ahead of the server with RESET_REQUIRED (409)', async () => {
    const group = randomUUID();
    expect((await sendJson('/api/v1/sync/pull', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie: null }, { token: admin.accessToken })).status).toBe(200);
    // Cookies are transaction ids: "ahead" is measured from where this cluster's ids stand now.
    for (const cookie of [(await caughtUpCookie(server.db)) + 1_000_000, Number.MAX_SAFE_INTEGER]) {
      await expectRefusedAndNothingWritten(
        () => sendJson('/api/v1/sync/pull', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie }, { token: admin.accessToken }),
        409,
        'RESET_REQUIRED',
      );
    }
  });

  it("keeps a viewer's privileged mutations from doing anything: rejected, consumed, no user or workspace made", async () => {
    const before = await snapshot(server.db);
    const clientId = randomUUID();
    const mutations = [
      envelope(clientId, 1, 'workspace.setup', { workspaceName: 'Evil', name: 'Mallory', email: 'mallory@evil.test', workspaceId: randomUUID(), userId: randomUUID(), passwordHash: 'x' }, viewer.id),
      envelope(clientId, 2, 'users.create', { id: randomUUID(), email: 'mallory@evil.test', name: 'Mallory', roles: ['ADMIN'], passwordHash: 'x' }, viewer.id),
      envelope(clientId, 3, 'users.update', { id: viewer.id, expectedVersion: 1, name: 'Vic', roles: ['ADMIN'], active: true }, viewer.id),
      envelope(clientId, 4, 'users.resetPassword', { id: server.adminId, passwordHash: 'x' }, viewer.id),
      envelope(clientId, 5, 'users.changeOwnPassword', { id: server.adminId, passwordHash: 'x' }, viewer.id),
    ];
    const r = await sendJson('/api/v1/sync/push', pushBody(randomUUID(), mutations), { token: viewer.tokens.accessToken });
    expect(r.status).toBe(200);
    const results = (r.body as PushResponse).results;
    expect(results.map((x) => [x.status, x.code])).toEqual([
      ['rejected', 'ALREADY_SET_UP'],
      ['rejected', 'NOT_AUTHORIZED'],
      ['rejected', 'NOT_AUTHORIZED'],
      ['rejected', 'NOT_AUTHORIZED'],
      ['rejected', 'NOT_AUTHORIZED'],
    ]);
    expect(await snapshot(server.db)).toEqual({
      ...before,
      mutation_results: before.mutation_results! + 5,
      sync_clients: before.sync_clients! + 1,
      sync_client_groups: before.sync_client_groups! + 1,
    });
    expect(await server.login(ADMIN_EMAIL)).toMatchObject({ user: { roles: ['ADMIN'] } });
  });

  it('consumes a mutation whose args.id holds a NUL character as rejected, instead of failing the push (503) forever', async () => {
    // Refused by the rules (args.id is not an id), then looked up as "who changed it first" with the
    // raw string, which PostgreSQL cannot take: the push fails, nothing is consumed, and every retry
    // fails the same way, so the desktop's queue is stuck behind it for good.
    const clientId = randomUUID();
    const group = randomUUID();
    const poison = envelope(clientId, 1, 'customers.update', { id: 'abc\u0000' }, server.adminId);
    const next = adminCustomerCreate(clientId, 2);
    const before = await snapshot(server.db);
    for (let attempt = 0; attempt < 2; attempt++) {
      const r = await sendJson('/api/v1/sync/push', pushBody(group, [poison, next]), { token: admin.accessToken });
      expect(r.status, r.raw).toBe(200);
      expect((r.body as PushResponse).results.map((x) => x.status)).toEqual(attempt === 0 ? ['rejected', 'applied'] : ['alreadyProcessed', 'alreadyProcessed']);
    }
    const after = await snapshot(server.db);
    expect(after.customers).toBe(before.customers! + 1);
    expect(after.mutation_results).toBe(before.mutation_results! + 2);
  });

  it('consumes a mutation with a NUL character in a text field as rejected, and stores nothing of it', async () => {
    const before = await snapshot(server.db);
    const m = envelope(randomUUID(), 1, 'customers.create', { ...customerInput({ email: 'nul@acme.test', companyName: 'Acme\u0000Foods' }), id: randomUUID() }, server.adminId);
    const r = await sendJson('/api/v1/sync/push', pushBody(randomUUID(), [m]), { token: admin.accessToken });
    expectRejectedOnly(r, before, await snapshot(server.db));
  });
});

describe('tampered, foreign and expired access tokens', () => {
  it('refuses a missing or malformed Authorization header (401)', async () => {
    for (const authorization of [undefined, '', 'Bearer', 'Bearer ', `Basic ${Buffer.from('ada:pw').toString('base64')}`, `Bearer ${admin.accessToken} extra`, `Token ${admin.accessToken}`, `Bearer  ${admin.accessToken}`]) {
      for (const url of SYNC_ENDPOINTS) {
        await expectRefusedAndNothingWritten(() => sendJson(url, validSyncBody(url), authorization === undefined ? {} : { authorization }), 401, 'UNAUTHORIZED');
      }
    }
  });

  it('refuses a token with a flipped signature character', async () => {
    const [h, p, s] = admin.accessToken.split('.') as [string, string, string];
    const mid = Math.floor(s.length / 2);
    const flipped = s.slice(0, mid) + (s[mid] === 'A' ? 'B' : 'A') + s.slice(mid + 1);
    await expectTokenRefused(`${h}.${p}.${flipped}`);
    await expectTokenRefused(`${h}.${p}.`);
    await expectTokenRefused(`${h}.${p}`);
  });

  it("refuses the admin's payload under another user's signature", async () => {
    const [, adminPayload] = admin.accessToken.split('.') as [string, string, string];
    const [h, , s] = viewer.tokens.accessToken.split('.') as [string, string, string];
    await expectTokenRefused(`${h}.${adminPayload}.${s}`);
    // and a payload edited to name the admin, keeping the viewer's signature
    const claims = JSON.parse(Buffer.from(viewer.tokens.accessToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    await expectTokenRefused(`${h}.${b64u({ ...claims, sub: server.adminId })}.${s}`);
  });

  it('refuses alg "none", and HS512 even with the right secret', async () => {
    const claims = JSON.parse(Buffer.from(admin.accessToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    for (const alg of ['none', 'None', 'NONE']) {
      await expectTokenRefused(`${b64u({ alg, typ: 'JWT' })}.${b64u(claims)}.`);
    }
    await expectTokenRefused(await signToken(jwtSecret, { sub: server.adminId, alg: 'HS512' }));
  });

  it('refuses a token signed with another secret', async () => {
    await expectTokenRefused(await signToken(randomBytes(32), { sub: server.adminId }));
    await expectTokenRefused(await signToken(new TextEncoder().encode(''.padEnd(32, '\u0000')), { sub: server.adminId }));
  });

  it('refuses a token with the right secret but the wrong issuer, audience or subject', async () => {
    // The control: a token made the same way with everything right is accepted.
    const good = await signToken(jwtSecret, { sub: server.adminId });
    expect((await sendJson('/api/v1/sync/pull', validBody('/api/v1/sync/pull'), { token: good })).status).toBe(200);
    await expectTokenRefused(await signToken(jwtSecret, { sub: server.adminId, iss: 'someone-else' }));
    await expectTokenRefused(await signToken(jwtSecret, { sub: server.adminId, aud: 'someone-else' }));
    await expectTokenRefused(await signToken(jwtSecret, {}));
    await expectTokenRefused(await signToken(jwtSecret, { sub: randomUUID() }));
    await expectTokenRefused(await signToken(jwtSecret, { sub: "' OR 1=1 --" }));
    await expectTokenRefused(await signToken(jwtSecret, { sub: server.adminId, expiresIn: -10 }));
  });

  it("refuses a deactivated user's token at once", async () => {
    const id = await server.addUser('gone@lonestar.test', ['ADMIN'], 'Gone Admin');
    const tokens = await server.login('gone@lonestar.test');
    expect((await sendJson('/api/v1/sync/pull', validBody('/api/v1/sync/pull'), { token: tokens.accessToken })).status).toBe(200);
    await server.db.query('UPDATE users SET active = false WHERE id = $1', [id]);
    await expectTokenRefused(tokens.accessToken);
    await expectRefusedAndNothingWritten(() => sendJson('/api/v1/auth/refresh', { refreshToken: tokens.refreshToken }), 401, 'UNAUTHORIZED');
  });

  it('refuses a token issued by a server whose clock is an hour behind (already expired)', async () => {
    const past = await buildApp({ db: server.db, dataKey: TEST_DATA_KEY, rateLimits: { auth: 10_000, sync: 100_000 }, clock: () => new Date(Date.now() - 3_600_000) });
    try {
      const r = await sendJson('/api/v1/auth/login', { email: ADMIN_EMAIL, password: PASSWORD }, { app: past });
      expect(r.status).toBe(200);
      const tokens = r.body as Tokens;
      expect(Date.parse(tokens.accessTokenExpiresAt)).toBeLessThan(Date.now());
      await expectTokenRefused(tokens.accessToken);
    } finally {
      await past.close();
    }
  });

  it('refuses an access token once its lifetime has passed; the refresh token still gets a new one', async () => {
    let offset = 0;
    const app = await buildApp({
      db: server.db,
      dataKey: TEST_DATA_KEY,
      accessTokenSeconds: 5,
      rateLimits: { auth: 10_000, sync: 100_000 },
      clock: () => new Date(Date.now() + offset),
    });
    try {
      const login = await sendJson('/api/v1/auth/login', { email: ADMIN_EMAIL, password: PASSWORD }, { app });
      const tokens = login.body as Tokens;
      offset = 1000;
      expect((await sendJson('/api/v1/sync/pull', validBody('/api/v1/sync/pull'), { app, token: tokens.accessToken })).status).toBe(200);
      offset = 6000;
      for (const url of SYNC_ENDPOINTS) {
        await expectRefusedAndNothingWritten(() => sendJson(url, validSyncBody(url), { app, token: tokens.accessToken }), 401, 'UNAUTHORIZED');
      }
      const refreshed = await sendJson('/api/v1/auth/refresh', { refreshToken: tokens.refreshToken }, { app });
      expect(refreshed.status).toBe(200);
      expect((await sendJson('/api/v1/sync/pull', validBody('/api/v1/sync/pull'), { app, token: (refreshed.body as Tokens).accessToken })).status).toBe(200);
      // 31 days on, the refresh token has expired too.
      offset = 31 * 86_400_000;
      await expectRefusedAndNothingWritten(() => sendJson('/api/v1/auth/refresh', { refreshToken: (refreshed.body as Tokens).refreshToken }, { app }), 401, 'UNAUTHORIZED');
    } finally {
      await app.close();
    }
  });

  it('refuses an access token used as a refresh token, and a refresh token used as an access token', async () => {
    const tokens = await server.login(ADMIN_EMAIL);
    await expectRefusedAndNothingWritten(() => sendJson('/api/v1/auth/refresh', { refreshToken: tokens.accessToken }));
    await expectTokenRefused(tokens.refreshToken);
  });
});
