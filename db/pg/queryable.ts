/**
 * The slice of a PostgreSQL connection the server needs, met by node-postgres clients and by
 * PGlite (and its transactions) alike, so every query runs unchanged on either.
 */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}
