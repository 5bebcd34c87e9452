import { z } from 'zod';
import { COMMAND_NAMES, isMutation, specOf } from '../shared/contract/index.ts';
import {
  errorResponseSchema,
  leaseRequestSchema,
  leaseResponseSchema,
  loginRequestSchema,
  pullRequestSchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
  refreshRequestSchema,
  SCHEMA_VERSION,
  tokensSchema,
} from '../shared/sync/protocol.ts';

const EXAMPLE_CLIENT_GROUP = '01938a6e-7c1f-7c3a-9d2e-4b5f6a7b8c9d';
const EXAMPLE_CLIENT = '01938a6e-7c1f-7c3a-9d2e-000000000001';
const EXAMPLE_USER = '01938a6e-7c1f-7c3a-9d2e-0000000000aa';
const EXAMPLE_LOAD = '01938a6e-7c1f-7c3a-9d2e-0000000010ad';

const media = (schema: z.ZodType, io: 'input' | 'output', extra: { example?: unknown; examples?: Record<string, { summary: string; value: unknown }> }) => ({
  content: { 'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }), ...extra } },
});
const json = (schema: z.ZodType, io: 'input' | 'output', example?: unknown) => media(schema, io, example ? { example } : {});
/** Like `json`, with several named examples (OpenAPI's `examples`). */
const jsonExamples = (schema: z.ZodType, io: 'input' | 'output', examples: Record<string, { summary: string; value: unknown }>) => media(schema, io, { examples });

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: ERROR_TEXT[s] ?? 'Error', ...json(errorResponseSchema, 'output') }]));

const ERROR_TEXT: Record<number, string> = {
  400: 'The body is not valid (code VALIDATION, with `fields`)',
  401: 'No valid access token, or wrong credentials',
  403: 'The push carries another user\'s mutations, or the workstation belongs to another user',
  409: 'VersionNotSupported (push and pull: the desktop keeps its queue until it is updated), or RESET_REQUIRED (pull: the cookie is from before a restore of the server; sync again from no cookie)',
  413: 'The body is larger than the route allows',
  429: 'Too many requests or failed sign-ins; see Retry-After',
  503: 'The database is unreachable; nothing was consumed, send again',
};

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function openApiDocument() {
  const bearer = [{ bearerAuth: [] }];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Notchify sync API',
      version: String(SCHEMA_VERSION),
      description:
        'Server-authoritative mutation replay. Desktops push their queued mutations (each applied exactly once per clientId and id, or rejected with a code and kept) and pull row changes in the server\'s commit order.',
    },
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }, schemas: mutationSchemas() },
    paths: {
      '/health': { get: { summary: 'The process is up', responses: { 200: { description: 'ok' } } } },
      '/ready': { get: { summary: 'The database answers and every migration is applied', responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text exposition format' } } } },
      '/api/v1/auth/login': {
        post: {
          summary: 'Sign in: an access token (short-lived JWT) and a refresh token',
          requestBody: json(loginRequestSchema, 'input', { email: 'dee@broker.test', password: 'correct horse battery' }),
          responses: { 200: { description: 'Signed in', ...json(tokensSchema, 'output') }, ...errors(400, 401, 429) },
        },
      },
      '/api/v1/auth/refresh': {
        post: {
          summary:
            'Rotate the refresh token. A used token presented again revokes its whole family, unless it is the family\'s last used one, used within the minute, and what it was swapped for is unused (the answer was lost).',
          requestBody: json(refreshRequestSchema, 'input'),
          responses: { 200: { description: 'New tokens', ...json(tokensSchema, 'output') }, ...errors(400, 401, 429) },
        },
      },
      '/api/v1/auth/logout': {
        post: { summary: 'End the session of this refresh token', requestBody: json(refreshRequestSchema, 'input'), responses: { 204: { description: 'Signed out' }, ...errors(400) } },
      },
      '/api/v1/sync/push': {
        post: {
          summary: 'Apply queued mutations, in order, each exactly once',
          description:
            'Each envelope\'s `name` is one of the mutations under `components.schemas` as `mutation:<name>`, and its `args` follow that schema. The server replays the same shared mutators as the desktop, with the actor\'s permission checked at replay.',
          security: bearer,
          requestBody: json(pushRequestSchema, 'input', {
            clientGroupId: EXAMPLE_CLIENT_GROUP,
            schemaVersion: SCHEMA_VERSION,
            mutations: [
              {
                clientId: EXAMPLE_CLIENT,
                id: 42,
                name: 'loads.book',
                args: { id: EXAMPLE_LOAD, carrierId: '01938a6e-7c1f-7c3a-9d2e-0000000000cc', expectedVersion: 3 },
                actorUserId: EXAMPLE_USER,
                createdAt: '2026-12-01T14:03:00.000Z',
              },
            ],
          }),
          responses: {
            200: {
              description: 'Results, one per processed mutation',
              ...json(pushResponseSchema, 'output', {
                results: [
                  {
                    clientId: EXAMPLE_CLIENT,
                    id: 42,
                    name: 'loads.book',
                    status: 'rejected',
                    code: 'STALE_VERSION',
                    message: 'This load was changed by someone else. Reload it and try again.',
                    conflict: { entity: 'loads', rowId: EXAMPLE_LOAD, changedBy: 'Dana Dispatch', changedAt: '2026-12-01T14:01:12.000Z', mutationName: 'loads.book' },
                  },
                ],
                lastMutationIds: { [EXAMPLE_CLIENT]: 42 },
              }),
            },
            ...errors(400, 401, 403, 409, 413, 429, 503),
          },
        },
      },
      '/api/v1/sync/pull': {
        post: {
          summary: 'Row changes since the cookie, in commit order, paged; with this workstation\'s results',
          security: bearer,
          description:
            'A page holds each changed row once, in its latest state. Rows come as the `rows` format has them (the default: one `put` change a row) or, when the request asks for `format: "columns"`, one `putRows` change a table: its field names once, then each row as an array of values in their order. Both carry the same changes; `columns` is some 40 % fewer bytes.',
          requestBody: jsonExamples(pullRequestSchema, 'input', {
            rows: { summary: 'The next page, one change a row', value: { clientGroupId: EXAMPLE_CLIENT_GROUP, schemaVersion: SCHEMA_VERSION, cookie: 1041 } },
            columns: {
              summary: 'A first sync, each table\'s rows laid out in columns',
              value: { clientGroupId: EXAMPLE_CLIENT_GROUP, schemaVersion: SCHEMA_VERSION, cookie: null, format: 'columns' },
            },
          }),
          responses: {
            200: {
              description: 'A page of changes',
              ...jsonExamples(pullResponseSchema, 'output', {
                rows: {
                  summary: 'The rows format',
                  value: {
                    cookie: 1043,
                    lastMutationIds: { [EXAMPLE_CLIENT]: 42 },
                    results: [{ clientId: EXAMPLE_CLIENT, id: 42, name: 'loads.book', status: 'applied' }],
                    changes: [
                      { op: 'put', table: 'loads', row: { id: EXAMPLE_LOAD, loadNumber: 'L100042', status: 'BOOKED', version: 4 } },
                      { op: 'del', table: 'loadEvents', id: '01938a6e-7c1f-7c3a-9d2e-0000000000ee' },
                    ],
                    more: false,
                    scope: 'masked',
                    remaining: 0,
                  },
                },
                columns: {
                  summary: 'The columns format (a first page of a first sync)',
                  value: {
                    cookie: 5210,
                    lastMutationIds: {},
                    results: [],
                    changes: [
                      {
                        op: 'putRows',
                        table: 'loads',
                        columns: ['id', 'loadNumber', 'status', 'version'],
                        rows: [
                          [EXAMPLE_LOAD, 'L100042', 'BOOKED', 4],
                          ['01938a6e-7c1f-7c3a-9d2e-0000000010ae', 'L100043', 'PENDING', 1],
                        ],
                      },
                    ],
                    more: true,
                    scope: 'masked',
                    remaining: 842_311,
                  },
                },
              }),
            },
            ...errors(400, 401, 403, 409, 429, 503),
          },
        },
      },
      '/api/v1/sync/lease': {
        post: {
          summary: 'Lease the next block of a number series (load numbers) to this workstation',
          security: bearer,
          requestBody: json(leaseRequestSchema, 'input', { clientGroupId: EXAMPLE_CLIENT_GROUP, series: 'LOAD' }),
          responses: { 200: { description: 'The block', ...json(leaseResponseSchema, 'output', { series: 'LOAD', first: 102001, last: 103000 }) }, ...errors(400, 401, 403, 429, 503) },
        },
      },
    },
  };
}

/**
 * Every mutation a push may carry, as `components.schemas["mutation:<name>"]`: the `args` of an
 * envelope whose `name` is `<name>`, from the shared contract (the server replays the same
 * mutators). An unknown name or args that do not match are refused with that mutation's result.
 */
function mutationSchemas(): Record<string, unknown> {
  return Object.fromEntries(
    COMMAND_NAMES.flatMap((name) => {
      const spec = specOf(name);
      if (!isMutation(spec)) return [];
      const schema = z.toJSONSchema(spec.args, { io: 'input', unrepresentable: 'any' });
      return [[`mutation:${name}`, { ...schema, title: name, description: `${spec.summary}. Needs the permission ${spec.access}.` }]];
    }),
  );
}
