import { and, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Input, Out } from '../../../shared/contract/index.ts';
import { notFound } from '../../../shared/domain/errors.ts';
import type { SqliteDb } from '../../../db/sqlite/port.ts';
import { customers } from '../../../db/sqlite/schema.ts';
import { orderBy, phoneDigits, quickSearch } from './list-helpers.ts';

const city = sql`json_extract(${customers.billingAddress}, '$.city')`;
const state = sql`json_extract(${customers.billingAddress}, '$.state')`;

const SORTS: Record<Input<'customers.list'>['sort']['field'], SQL> = {
  companyName: sql`${customers.companyName} COLLATE NOCASE`,
  contactName: sql`${customers.contactName} COLLATE NOCASE`,
  // Emails are stored lower-cased, so the plain column sorts them without regard to case (and
  // the unique index on email already holds them in order).
  email: sql`${customers.email}`,
  billingEmail: sql`${customers.billingEmail}`,
  phone: phoneDigits(sql`${customers.phone}`),
  city: sql`${city} COLLATE NOCASE`,
  state,
  creditLimitCents: sql`${customers.creditLimitCents}`,
  paymentTerms: sql`${customers.paymentTerms}`,
  status: sql`${customers.status}`,
  updatedAt: sql`${customers.updatedAt}`,
};

export function listCustomers(db: SqliteDb, input: Input<'customers.list'>): Out<'customers.list'> {
  const where = and(
    quickSearch(input.search, [
      sql`${customers.companyName}`,
      sql`${customers.contactName}`,
      sql`${customers.email}`,
      sql`${customers.billingEmail}`,
      sql`${customers.phone}`,
      city,
    ]),
    input.statuses.length > 0 ? inArray(customers.status, input.statuses) : undefined,
    input.paymentTerms.length > 0 ? inArray(customers.paymentTerms, input.paymentTerms) : undefined,
  );
  const rows = db
    .select({
      id: customers.id,
      companyName: customers.companyName,
      contactName: customers.contactName,
      email: customers.email,
      phone: customers.phone,
      billingEmail: customers.billingEmail,
      city: sql<string>`${city}`,
      state: sql<Out<'customers.list'>['rows'][number]['state']>`${state}`,
      creditLimitCents: customers.creditLimitCents,
      paymentTerms: customers.paymentTerms,
      status: customers.status,
      updatedAt: customers.updatedAt,
    })
    .from(customers)
    .where(where)
    .orderBy(orderBy(SORTS[input.sort.field], input.sort.dir), sql`${customers.id}`)
    .limit(input.limit)
    .offset(input.offset)
    .all();
  const total = db.select({ n: count() }).from(customers).where(where).get()?.n ?? 0;
  return { rows, total };
}

export function getCustomer(db: SqliteDb, id: string): Out<'customers.get'> {
  const row = db.select().from(customers).where(eq(customers.id, id)).get();
  if (!row) throw notFound('This customer');
  return row;
}
