import { and, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Input, Out } from '../../../shared/contract/index.ts';
import { notFound } from '../../../shared/domain/errors.ts';
import type { SqliteDb } from '../../../db/sqlite/port.ts';
import { carriers } from '../../../db/sqlite/schema.ts';
import { orderBy, phoneDigits, quickSearch } from './list-helpers.ts';

type ListRow = Out<'carriers.list'>['rows'][number];

const city = sql`json_extract(${carriers.address}, '$.city')`;
const state = sql`json_extract(${carriers.address}, '$.state')`;
const insuranceExpiresOn = sql`(SELECT min(json_extract(p.value, '$.expiresOn')) FROM json_each(${carriers.insurancePolicies}) AS p)`;

const SORTS: Record<Input<'carriers.list'>['sort']['field'], SQL> = {
  companyName: sql`${carriers.companyName} COLLATE NOCASE`,
  contactName: sql`${carriers.contactName} COLLATE NOCASE`,
  // Emails are stored lower-cased, so the plain column sorts them without regard to case (and
  // the unique index on email already holds them in order).
  email: sql`${carriers.email}`,
  phone: phoneDigits(sql`${carriers.phone}`),
  mcNumber: sql`CAST(${carriers.mcNumber} AS INTEGER)`,
  dotNumber: sql`CAST(${carriers.dotNumber} AS INTEGER)`,
  city: sql`${city} COLLATE NOCASE`,
  state,
  rating: sql`${carriers.rating}`,
  status: sql`${carriers.status}`,
  insuranceExpiresOn,
  updatedAt: sql`${carriers.updatedAt}`,
};

export function listCarriers(db: SqliteDb, input: Input<'carriers.list'>): Out<'carriers.list'> {
  const where = and(
    quickSearch(input.search.replace(/^(MC|USDOT|DOT)[\s#-]*/i, ''), [
      sql`${carriers.companyName}`,
      sql`${carriers.contactName}`,
      sql`${carriers.email}`,
      sql`${carriers.mcNumber}`,
      sql`${carriers.dotNumber}`,
      sql`${carriers.phone}`,
      city,
    ]),
    input.statuses.length > 0 ? inArray(carriers.status, input.statuses) : undefined,
    input.equipmentType
      ? sql`EXISTS (SELECT 1 FROM json_each(${carriers.equipmentTypes}) WHERE value = ${input.equipmentType})`
      : undefined,
    input.serviceArea
      ? sql`EXISTS (SELECT 1 FROM json_each(${carriers.serviceAreas}) WHERE value = ${input.serviceArea})`
      : undefined,
  );
  const rows = db
    .select({
      id: carriers.id,
      companyName: carriers.companyName,
      contactName: carriers.contactName,
      email: carriers.email,
      phone: carriers.phone,
      mcNumber: carriers.mcNumber,
      dotNumber: carriers.dotNumber,
      city: sql<string | null>`${city}`,
      state: sql<ListRow['state']>`${state}`,
      equipmentTypes: carriers.equipmentTypes,
      serviceAreas: carriers.serviceAreas,
      rating: carriers.rating,
      status: carriers.status,
      authorityStatus: carriers.authorityStatus,
      insuranceExpiresOn: sql<string | null>`${insuranceExpiresOn}`,
      bankAccountLast4: carriers.bankAccountLast4,
      updatedAt: carriers.updatedAt,
    })
    .from(carriers)
    .where(where)
    .orderBy(orderBy(SORTS[input.sort.field], input.sort.dir), sql`${carriers.id}`)
    .limit(input.limit)
    .offset(input.offset)
    .all();
  const total = db.select({ n: count() }).from(carriers).where(where).get()?.n ?? 0;
  return { rows, total };
}

export function getCarrierRow(db: SqliteDb, id: string) {
  const row = db.select().from(carriers).where(eq(carriers.id, id)).get();
  if (!row) throw notFound('This carrier');
  return row;
}
