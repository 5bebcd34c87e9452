import { z } from 'zod';
import { emailSchema, idSchema } from '../domain/fields.ts';
import { ENTITY_NAMES } from '../domain/port.ts';
import { roleSchema } from '../domain/roles.ts';

/**
 * The sync API's wire format (DESIGN.md, "Sync"): the server validates every body with these
 * schemas, the OpenAPI document is generated from them, and the desktop's sync client parses
 * every answer with them.
 */

/** The mutation schema version this build of the desktop and server speak. */
export const SCHEMA_VERSION = 1;
/** The oldest desktop schema version the server still replays. */
export const MIN_SCHEMA_VERSION = 1;

/** At most this many mutations per push; the desktop sends its queue in batches of this size. */
export const MAX_PUSH_MUTATIONS = 500;
/** The largest push body the server takes. */
export const MAX_PUSH_BYTES = 5 * 1024 * 1024;
/**
 * The desktop's budget for one push's mutations. 500 mutations of long notes in a script of
 * several bytes a character would pass the server's limit, and a push refused for its size would
 * be refused again each time it was sent, holding up the whole queue.
 */
export const PUSH_BATCH_BYTES = 1024 * 1024;
/** Changes per pull page; a first sync of 100,000 loads takes many pages. */
export const DEFAULT_PULL_LIMIT = 5000;
export const MAX_PULL_LIMIT = 20_000;

export const clientGroupIdSchema = idSchema;

export const mutationEnvelopeSchema = z
  .object({
    clientId: idSchema,
    id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    name: z.string().min(1).max(100),
    args: z.unknown(),
    actorUserId: idSchema,
    createdAt: z.string().max(40),
  })
  .strict();
export type MutationEnvelope = z.output<typeof mutationEnvelopeSchema>;

export const pushRequestSchema = z
  .object({
    clientGroupId: clientGroupIdSchema,
    schemaVersion: z.number().int(),
    mutations: z.array(mutationEnvelopeSchema).max(MAX_PUSH_MUTATIONS),
  })
  .strict();
export type PushRequest = z.output<typeof pushRequestSchema>;

export const MUTATION_STATUSES = ['applied', 'rejected', 'alreadyProcessed'] as const;
export type MutationStatus = (typeof MUTATION_STATUSES)[number];

/** Who changed the record a rejected mutation was about, as far as the server knows. */
export const conflictSchema = z.object({
  entity: z.string(),
  rowId: z.string(),
  changedBy: z.string().nullable(),
  changedAt: z.string(),
  mutationName: z.string().nullable(),
});
export type Conflict = z.output<typeof conflictSchema>;

export const mutationResultSchema = z.object({
  clientId: idSchema,
  id: z.number().int().positive(),
  name: z.string().optional(),
  status: z.enum(MUTATION_STATUSES),
  code: z.string().optional(),
  message: z.string().optional(),
  fields: z.record(z.string(), z.string()).optional(),
  conflict: conflictSchema.optional(),
});
export type MutationResult = z.output<typeof mutationResultSchema>;

export const lastMutationIdsSchema = z.record(z.string(), z.number().int().nonnegative());

export const pushResponseSchema = z.object({
  results: z.array(mutationResultSchema),
  lastMutationIds: lastMutationIdsSchema,
});
export type PushResponse = z.output<typeof pushResponseSchema>;

/**
 * What a user's rows hold: `bank` (carriers' bank account numbers, for the roles that pay) or
 * `masked` (without them).
 */
export const pullScopeSchema = z.enum(['bank', 'masked']);

export type PullScope = z.output<typeof pullScopeSchema>;

export const PULL_FORMATS = ['rows', 'columns'] as const;
export const pullFormatSchema = z.enum(PULL_FORMATS);
export type PullFormat = z.output<typeof pullFormatSchema>;

export const pullRequestSchema = z
  .object({
    clientGroupId: clientGroupIdSchema,
    schemaVersion: z.number().int(),
    /** The `cookie` of the last pull applied, or null for a first sync. */
    cookie: z.number().int().nonnegative().nullable(),
    /**
     * The scope of the rows the desktop holds (the `scope` of the last pull it applied). When the
     * user's scope is no longer that, every row is sent again. Without it, the server goes by the
     * scope it last sent this workstation.
     */
    scope: pullScopeSchema.optional(),
    limit: z.number().int().positive().max(MAX_PULL_LIMIT).optional(),
    /**
     * How a page's rows are laid out: `rows` (the default), one `put` change per row; `columns`,
     * one `putRows` change per table, its column names once and each row as an array of values in
     * their order. Both carry the same changes; `columns` is some 40 % fewer bytes to write, send
     * and parse, which counts on a real network (docs/BENCHMARKS.md).
     */
    format: pullFormatSchema.optional(),
    /**
     * The `incarnation` of the server the cookie came from. A server restored from a backup is
     * given a new one (`npm run server -- after-restore`), and a cookie from another answers
     * 409 RESET_REQUIRED: the desktop syncs everything again from the start.
     */
    incarnation: z.string().max(100).optional(),
  })
  .strict();
export type PullRequest = z.output<typeof pullRequestSchema>;

export const syncTableSchema = z.enum(ENTITY_NAMES);
/**
 * A row as the server sends it. Only its shape (an object) is checked here: the desktop checks each
 * row against its table's wire schema (rows.ts) as it applies it, and checking every field twice
 * cost a first sync seconds.
 */
const wireRowSchema = z
  .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'Expected a row (an object)')
  .meta({ type: 'object', description: "The row, as its table's wire schema has it (shared/sync/rows.ts)" });

/** A row of a `putRows` change: its values, in the order of the change's `columns`. */
const wireValuesSchema = z
  .custom<unknown[]>((value) => Array.isArray(value), 'Expected a row (an array of values)')
  .meta({ type: 'array', items: {}, description: "The row's values, in the order of `columns`" });

export const changeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('put'), table: syncTableSchema, row: wireRowSchema }),
  z.object({ op: z.literal('putRows'), table: syncTableSchema, columns: z.array(z.string()).min(1), rows: z.array(wireValuesSchema) }),
  z.object({ op: z.literal('del'), table: syncTableSchema, id: z.string() }),
]);
export type Change = z.output<typeof changeSchema>;

export type PutChange = Extract<Change, { op: 'put' }>;
export type DelChange = Extract<Change, { op: 'del' }>;

/**
 * Reads the rows of a `putRows` change with `columns` as objects for the table's wire schema to
 * check: only the fields `known` names are kept (as unknown keys of a row are dropped), so a
 * column name such as `__proto__` never becomes more than a name.
 */
export function rowReader(columns: readonly string[], known: ReadonlySet<string>): (values: readonly unknown[]) => Record<string, unknown> {
  const fields = columns.flatMap((column, i) => (known.has(column) ? [[column, i] as const] : []));
  return (values) => {
    if (values.length !== columns.length) throw new Error(`The sync server sent a row of ${String(values.length)} values for ${String(columns.length)} columns.`);
    const row: Record<string, unknown> = {};
    for (const [column, i] of fields) row[column] = values[i];
    return row;
  };
}

/** A page's changes one row each, as the `rows` format sends them. */
export function rowChanges(changes: readonly Change[]): (PutChange | DelChange)[] {
  return changes.flatMap((change) =>
    change.op === 'putRows' ? change.rows.map((values): PutChange => ({ op: 'put', table: change.table, row: rowReader(change.columns, new Set(change.columns))(values) })) : [change],
  );
}

/** How many rows a page's changes put or delete (a `putRows` change puts many). */
export function changeCount(changes: readonly Change[]): number {
  let n = 0;
  for (const change of changes) n += change.op === 'putRows' ? change.rows.length : 1;
  return n;
}

export const pullResponseSchema = z.object({
  cookie: z.number().int().nonnegative(),
  lastMutationIds: lastMutationIdsSchema,
  results: z.array(mutationResultSchema),
  changes: z.array(changeSchema),
  more: z.boolean(),
  /** The scope the rows of this page were sent in; the desktop keeps it with the cookie. */
  scope: pullScopeSchema,
  /**
   * Changes still to come after this page, so a first sync can show its progress: counted in full
   * on the first page of a first sync (cookie null or 0); on later pages counted up to one page
   * ahead (a full count would scan the change log on every page). 0 exactly when `more` is false.
   */
  remaining: z.number().int().nonnegative(),
  /** Which life of the server's database the cookie belongs to (see the request's `incarnation`). */
  incarnation: z.string().optional(),
});
export type PullResponse = z.output<typeof pullResponseSchema>;

export const loginRequestSchema = z
  .object({
    email: emailSchema,
    password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(200),
  })
  .strict();

export const sessionUserSchema = z.object({
  id: idSchema,
  email: z.string(),
  name: z.string(),
  roles: z.array(roleSchema),
});
export type SessionUserWire = z.output<typeof sessionUserSchema>;

export const tokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** When the access token expires (ISO-8601). */
  accessTokenExpiresAt: z.string(),
  user: sessionUserSchema,
});
export type Tokens = z.output<typeof tokensSchema>;

export const refreshRequestSchema = z.object({ refreshToken: z.string().min(20).max(200) }).strict();

export const leaseRequestSchema = z
  .object({
    clientGroupId: clientGroupIdSchema,
    series: z.enum(['LOAD']),
  })
  .strict();
export const leaseResponseSchema = z.object({ series: z.enum(['LOAD']), first: z.number().int(), last: z.number().int() });
export type Lease = z.output<typeof leaseResponseSchema>;

export const SYNC_ERROR_CODES = [
  'VALIDATION',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'VersionNotSupported',
  'TOO_MANY_ATTEMPTS',
  'TRY_LATER',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
] as const;
export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ErrorResponse = z.output<typeof errorResponseSchema>;
