import { getTableColumns, is, SQL, type Column, type InferSelectModel } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as pg from '../../db/pg/schema.ts';
import * as sqlite from '../../db/sqlite/schema.ts';
import { ENTITY_NAMES, LOOKUP_FIELDS, type Entities, type EntityName } from '../../shared/domain/port.ts';

/**
 * The server's PostgreSQL entity tables mirror the desktop's SQLite ones column for column, so a
 * shared mutator sees the same rows on either store and a pulled row lands unchanged on the
 * desktop. Read from the drizzle schemas alone; no database needed.
 */

/** SQLite column kind → the PostgreSQL column kinds that hold the same JS value. */
const COMPATIBLE: Record<string, readonly string[]> = {
  SQLiteText: ['PgText'],
  SQLiteInteger: ['PgBigInt53', 'PgInteger'],
  SQLiteBoolean: ['PgBoolean'],
  SQLiteTextJson: ['PgJsonb'],
  SQLiteReal: ['PgDoublePrecision'],
};

interface ColumnShape {
  key: string;
  name: string;
  notNull: boolean;
  primary: boolean;
  hasDefault: boolean;
  default: unknown;
  dataType: string;
  enumValues: readonly string[] | undefined;
  columnType: string;
}

function shape(key: string, column: Column): ColumnShape {
  return {
    key,
    name: column.name,
    notNull: column.notNull,
    primary: column.primary,
    hasDefault: column.hasDefault,
    default: column.default,
    dataType: column.dataType,
    enumValues: column.enumValues,
    columnType: column.columnType,
  };
}

function sqliteColumns(table: SQLiteTable): ColumnShape[] {
  return Object.entries(getTableColumns(table)).map(([key, column]) => shape(key, column));
}

function pgColumns(table: PgTable): ColumnShape[] {
  return Object.entries(getTableColumns(table)).map(([key, column]) => shape(key, column));
}

const byName = (columns: ColumnShape[]) => new Map(columns.map((c) => [c.name, c]));
const sorted = (values: Iterable<string>) => [...values].sort();
const columnSetKey = (names: string[]) => sorted(names).join(',');

/** Plain-column index definitions (expression indexes are SQLite-only board sorts). */
interface IndexShape {
  unique: boolean;
  columns: string[];
}

function indexColumns(columns: readonly unknown[]): string[] | null {
  const names: string[] = [];
  for (const column of columns) {
    if (is(column, SQL)) return null;
    names.push((column as { name: string }).name);
  }
  return names;
}

function sqliteIndexes(table: SQLiteTable): IndexShape[] {
  const config = sqliteTableConfig(table);
  const out: IndexShape[] = [];
  for (const index of config.indexes) {
    const columns = indexColumns(index.config.columns);
    if (columns) out.push({ unique: index.config.unique, columns });
  }
  for (const unique of config.uniqueConstraints) out.push({ unique: true, columns: unique.columns.map((c) => c.name) });
  for (const column of config.columns) if (column.isUnique) out.push({ unique: true, columns: [column.name] });
  return out;
}

function pgIndexes(table: PgTable): IndexShape[] {
  const config = pgTableConfig(table);
  const out: IndexShape[] = [];
  for (const index of config.indexes) {
    const columns = indexColumns(index.config.columns);
    if (columns) out.push({ unique: index.config.unique, columns });
  }
  for (const unique of config.uniqueConstraints) out.push({ unique: true, columns: unique.columns.map((c) => c.name) });
  for (const column of config.columns) if (column.isUnique) out.push({ unique: true, columns: [column.name] });
  return out;
}

const uniqueColumnSets = (indexes: IndexShape[]) => sorted(indexes.filter((i) => i.unique).map((i) => columnSetKey(i.columns)));

function sqliteForeignKeys(table: SQLiteTable): string[] {
  return sorted(
    sqliteTableConfig(table).foreignKeys.map((fk) => {
      const ref = fk.reference();
      return `${ref.columns.map((c) => c.name).join(',')}->${sqliteTableConfig(ref.foreignTable).name}(${ref.foreignColumns.map((c) => c.name).join(',')})`;
    }),
  );
}

function pgForeignKeys(table: PgTable): string[] {
  return sorted(
    pgTableConfig(table).foreignKeys.map((fk) => {
      const ref = fk.reference();
      return `${ref.columns.map((c) => c.name).join(',')}->${pgTableConfig(ref.foreignTable).name}(${ref.foreignColumns.map((c) => c.name).join(',')})`;
    }),
  );
}

const pairs = ENTITY_NAMES.map((entity) => [entity, sqlite.entityTables[entity], pg.entityTables[entity]] as const);

describe('PostgreSQL entity tables mirror the SQLite ones', () => {
  it('both schemas export exactly the synced entities', () => {
    expect(sorted(Object.keys(sqlite.entityTables))).toEqual(sorted(ENTITY_NAMES));
    expect(sorted(Object.keys(pg.entityTables))).toEqual(sorted(ENTITY_NAMES));
  });

  describe.each(pairs)('%s', (entity, sqliteTable, pgTable) => {
    const sq = sqliteColumns(sqliteTable);
    const pq = pgColumns(pgTable);

    it('has the same SQL table name', () => {
      expect(pgTableConfig(pgTable).name).toBe(sqliteTableConfig(sqliteTable).name);
    });

    it('has the same SQL column names', () => {
      expect(sorted(pq.map((c) => c.name))).toEqual(sorted(sq.map((c) => c.name)));
    });

    it('has the same property keys, each on the same column', () => {
      expect(sorted(pq.map((c) => `${c.key}=${c.name}`))).toEqual(sorted(sq.map((c) => `${c.key}=${c.name}`)));
    });

    it('has the same nullability, primary key and defaults per column', () => {
      const pgByName = byName(pq);
      for (const s of sq) {
        const p = pgByName.get(s.name);
        expect(p, `${entity}.${s.name} is missing in PostgreSQL`).toBeDefined();
        if (!p) continue;
        expect({ notNull: p.notNull, primary: p.primary, hasDefault: p.hasDefault, default: p.default }, `${entity}.${s.name}`).toEqual({
          notNull: s.notNull,
          primary: s.primary,
          hasDefault: s.hasDefault,
          default: s.default,
        });
      }
    });

    it('has compatible column types (same JS value, same enum)', () => {
      const pgByName = byName(pq);
      for (const s of sq) {
        const p = pgByName.get(s.name);
        if (!p) continue; // reported by the column-name test
        const allowed = COMPATIBLE[s.columnType];
        expect(allowed, `${entity}.${s.name}: no PostgreSQL mapping for ${s.columnType}`).toBeDefined();
        expect(allowed, `${entity}.${s.name}: ${s.columnType} vs ${p.columnType}`).toContain(p.columnType);
        expect(p.dataType, `${entity}.${s.name}`).toBe(s.dataType);
        expect(p.enumValues ?? null, `${entity}.${s.name} enum`).toEqual(s.enumValues ?? null);
      }
    });

    it('has the same foreign keys', () => {
      expect(pgForeignKeys(pgTable)).toEqual(sqliteForeignKeys(sqliteTable));
    });

    it('has the same unique indexes (by column set)', () => {
      expect(uniqueColumnSets(pgIndexes(pgTable))).toEqual(uniqueColumnSets(sqliteIndexes(sqliteTable)));
    });

    it('leads an index with every lookup field, in both stores', () => {
      const fields: readonly string[] = LOOKUP_FIELDS[entity];
      const sqliteNames = new Map(sq.map((c) => [c.key, c.name]));
      const pgNames = new Map(pq.map((c) => [c.key, c.name]));
      const sqliteLeading = new Set(sqliteIndexes(sqliteTable).map((i) => i.columns[0]));
      const pgLeading = new Set(pgIndexes(pgTable).map((i) => i.columns[0]));
      for (const field of fields) {
        expect(sqliteLeading.has(sqliteNames.get(field)), `SQLite index on ${entity}.${field}`).toBe(true);
        expect(pgLeading.has(pgNames.get(field)), `PostgreSQL index on ${entity}.${field}`).toBe(true);
      }
    });
  });

  it('indexes the foreign-key columns mutators read by', () => {
    const leading = (table: PgTable) => new Set(pgIndexes(table).map((i) => i.columns[0]));
    expect([...leading(pg.loads)]).toEqual(expect.arrayContaining(['customer_id', 'carrier_id', 'status']));
    expect([...leading(pg.loadEvents)]).toContain('load_id');
  });

  it('the unique indexes guard email, MC/DOT numbers and load numbers', () => {
    const expected: Partial<Record<EntityName, string[]>> = {
      users: ['email'],
      customers: ['email'],
      carriers: ['dot_number', 'email', 'mc_number'],
      loads: ['load_number'],
    };
    for (const [entity, columns] of Object.entries(expected) as [EntityName, string[]][]) {
      expect(uniqueColumnSets(pgIndexes(pg.entityTables[entity])), entity).toEqual(columns);
      expect(uniqueColumnSets(sqliteIndexes(sqlite.entityTables[entity])), entity).toEqual(columns);
    }
  });
});

/** Checked by the type checker: PostgreSQL rows are the shared domain rows, as SQLite rows are. */
describe('PostgreSQL rows equal domain rows', () => {
  it('workspaces', () => expectTypeOf<InferSelectModel<typeof pg.workspaces>>().toEqualTypeOf<Entities['workspaces']>());
  it('users', () => expectTypeOf<InferSelectModel<typeof pg.users>>().toEqualTypeOf<Entities['users']>());
  it('customers', () => expectTypeOf<InferSelectModel<typeof pg.customers>>().toEqualTypeOf<Entities['customers']>());
  it('carriers', () => expectTypeOf<InferSelectModel<typeof pg.carriers>>().toEqualTypeOf<Entities['carriers']>());
  it('loads', () => expectTypeOf<InferSelectModel<typeof pg.loads>>().toEqualTypeOf<Entities['loads']>());
  it('loadEvents', () => expectTypeOf<InferSelectModel<typeof pg.loadEvents>>().toEqualTypeOf<Entities['loadEvents']>());
  it('loads equal the SQLite loads', () =>
    expectTypeOf<InferSelectModel<typeof pg.loads>>().toEqualTypeOf<InferSelectModel<typeof sqlite.loads>>());
  it('load events equal the SQLite load events', () =>
    expectTypeOf<InferSelectModel<typeof pg.loadEvents>>().toEqualTypeOf<InferSelectModel<typeof sqlite.loadEvents>>());
});
