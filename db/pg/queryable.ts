import pg from 'pg';

/**
 * The slice of a PostgreSQL connection the server needs, met by node-postgres clients and by
 * PGlite (and its transactions) alike, so every query runs unchanged on either.
 */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * A transaction that saves round trips, which on a busy server cost more than the statements: its
 * BEGIN travels with its first statement when that one has no parameters; `batch` sends several
 * statements at once, with each one's rows; `finish` sends the last ones with the COMMIT.
 * Statements sent this way carry their values as literals (sqlLiteral), never as text spliced in
 * unescaped.
 */
export interface Transaction extends Queryable {
  /** Several statements in one round trip, with each one's rows. */
  batch(statements: string[]): Promise<Record<string, unknown>[][]>;
  /**
   * The last statements and the COMMIT, in one round trip, with each statement's rows. Nothing may
   * follow it once it succeeds; when a statement fails, the transaction is still open (and failed).
   */
  finish(statements: string[]): Promise<Record<string, unknown>[][]>;
}

/**
 * A value as a PostgreSQL literal, for statements sent without parameters: strings escaped (and
 * refused if they hold a NUL, which PostgreSQL text cannot), numbers only when finite, objects as
 * JSON text (the column's type casts it).
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Not a number a database can hold: ${String(value)}`);
    return String(value);
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // In text, the character itself; in JSON, its escape (\u0000 after an even run of backslashes).
  if (text.includes('\u0000') || (typeof value !== 'string' && ESCAPED_NUL.test(text))) throw new TypeError('Text cannot hold a NUL character');
  return pg.escapeLiteral(text);
}

const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;

/** A text[] literal. */
export function sqlTextArray(values: (string | null)[]): string {
  return `ARRAY[${values.map(sqlLiteral).join(', ')}]::text[]`;
}
