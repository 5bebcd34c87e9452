import { and, or, sql, type SQL } from 'drizzle-orm';

/** Escapes LIKE wildcards so a search for "50%" finds "50%", not everything. */
export function likeContains(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Quick search: every word must appear in at least one of the searchable expressions
 * (case-insensitive), so "acme dallas" finds Acme's Dallas office.
 */
export function quickSearch(search: string, columns: SQL[]): SQL | undefined {
  const terms = search.split(/\s+/).filter((t) => t.length > 0).slice(0, 8);
  if (terms.length === 0) return undefined;
  return and(
    ...terms.map((term) => {
      const pattern = likeContains(term);
      return or(...columns.map((column) => sql`${column} LIKE ${pattern} ESCAPE '\\'`));
    }),
  );
}

export function orderBy(expression: SQL, dir: 'asc' | 'desc'): SQL {
  return dir === 'asc' ? sql`${expression} ASC` : sql`${expression} DESC`;
}

/**
 * A phone number as its digits, so "(214) 555-0142" and "214-555-0143" sort next to each other
 * whatever punctuation each was typed with (numbers are kept as typed).
 */
export function phoneDigits(column: SQL): SQL {
  return sql`replace(replace(replace(replace(replace(replace(${column}, '(', ''), ')', ''), '-', ''), ' ', ''), '.', ''), '+', '')`;
}
