import { aliasedTable, and, asc, count, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Input, Out } from '../../../shared/contract/index.ts';
import type { LOAD_SORT_FIELDS, LoadBoardColumn } from '../../../shared/contract/loads.ts';
import { notFound } from '../../../shared/domain/errors.ts';
import { LATE_WATCHED, isLate } from '../../../shared/domain/loads/late.ts';
import { rankCarriers, type MatchCarrier } from '../../../shared/domain/loads/matching.ts';
import { centsPerMile } from '../../../shared/domain/loads/mileage.ts';
import { LOAD_STATUS_LABELS, type LoadRow } from '../../../shared/domain/loads/schema.ts';
import { centsToDecimalString } from '../../../shared/domain/money.ts';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../../../db/sqlite/port.ts';
import { carriers, customers, loadEvents, loadSortExpressions, loads, users } from '../../../db/sqlite/schema.ts';
import { orderBy } from './list-helpers.ts';

type ListInput = Input<'loads.list'>;
type Filters = Omit<ListInput, 'offset' | 'limit'>;

const carrierForName = aliasedTable(carriers, 'board_carrier');

/** The board's late flag in SQL; shared/domain/loads/late.ts says the same in TypeScript. */
const lateSql = sql<number>`(${loads.status} IN (${sql.join(
  LATE_WATCHED.map((s) => sql`${s}`),
  sql`, `,
)}) AND ${loads.etaAt} IS NOT NULL AND ${loads.etaAt} > ${loads.deliveryEnd})`;

type SortField = (typeof LOAD_SORT_FIELDS)[number];

/**
 * How the board sorts by each field: the keys, in order, and which table they come from. Every
 * key list has an index that yields it (db/sqlite/schema.ts), and every sort ends in a rowid, so
 * a page is an index walk and paging is stable when values tie.
 */
type SortPlan =
  /** Keys on the load's own row, and the index (db/sqlite/schema.ts) that yields them. */
  | { keys: SQL[]; index: string; from?: undefined }
  /** Keys from the customer's or the carrier's row: their name index leads the walk. */
  | { keys: SQL[]; from: 'customer' | 'carrier' };

const SORTS: Record<SortField, SortPlan> = {
  pickupStart: { keys: [sql`${loads.pickupStart}`], index: 'loads_pickup_idx' },
  deliveryStart: { keys: [sql`${loads.deliveryStart}`], index: 'loads_delivery_idx' },
  loadNumber: { keys: [loadSortExpressions.numberSeq(loads.loadNumber)], index: 'loads_number_seq_idx' },
  status: { keys: [loadSortExpressions.statusRank(loads.status)], index: 'loads_status_rank_idx' },
  customerName: { keys: [sql`${customers.companyName} COLLATE NOCASE`, sql`${customers}.rowid`], from: 'customer' },
  carrierName: { keys: [sql`${carriers.companyName} COLLATE NOCASE`, sql`${carriers}.rowid`], from: 'carrier' },
  origin: { keys: [sql`${loads.originState}`, sql`${loads.originCity}`], index: 'loads_origin_idx' },
  destination: { keys: [sql`${loads.destState}`, sql`${loads.destCity}`], index: 'loads_destination_idx' },
  customerTotalCents: { keys: [sql`${loads.customerTotalCents}`], index: 'loads_customer_total_idx' },
  carrierRateCents: { keys: [sql`${loads.carrierRateCents}`], index: 'loads_carrier_rate_idx' },
  marginCents: { keys: [sql`${loads.marginCents}`], index: 'loads_margin_idx' },
  miles: { keys: [sql`${loads.miles}`], index: 'loads_miles_idx' },
  etaAt: { keys: [sql`${loads.etaAt}`], index: 'loads_eta_idx' },
  updatedAt: { keys: [sql`${loads.updatedAt}`], index: 'loads_updated_idx' },
};

/**
 * Quick search: every typed word must prefix-match a word of the load's number (with or without
 * its L), PO, BOL, PRO number, or origin or destination city (the loads_search FTS5 index).
 */
function searchMatch(search: string): string | undefined {
  const terms = search
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 8);
  return terms.length === 0 ? undefined : terms.map((t) => `"${t}"*`).join(' ');
}

function searchClause(search: string): SQL | undefined {
  const match = searchMatch(search);
  return match === undefined ? undefined : sql`${loads}.rowid IN (SELECT rowid FROM loads_search WHERE loads_search MATCH ${match})`;
}

function whereOf(f: Filters): SQL | undefined {
  const dayEnd = (d: string) => `${d}T23:59`;
  return and(
    searchClause(f.search),
    f.statuses.length > 0 ? inArray(loads.status, f.statuses) : undefined,
    f.pickupFrom ? gte(loads.pickupStart, f.pickupFrom) : undefined,
    f.pickupTo ? lte(loads.pickupStart, dayEnd(f.pickupTo)) : undefined,
    f.deliveryFrom ? gte(loads.deliveryStart, f.deliveryFrom) : undefined,
    f.deliveryTo ? lte(loads.deliveryStart, dayEnd(f.deliveryTo)) : undefined,
    f.customerId ? eq(loads.customerId, f.customerId) : undefined,
    f.carrierId ? eq(loads.carrierId, f.carrierId) : undefined,
    f.originState ? eq(loads.originState, f.originState) : undefined,
    f.destState ? eq(loads.destState, f.destState) : undefined,
    f.equipmentType ? eq(loads.equipmentType, f.equipmentType) : undefined,
    f.lateOnly ? sql`${lateSql}` : undefined,
  );
}

const listColumns = {
  id: loads.id,
  loadNumber: loads.loadNumber,
  status: loads.status,
  customerId: loads.customerId,
  customerName: customers.companyName,
  carrierId: loads.carrierId,
  carrierName: carrierForName.companyName,
  originCity: loads.originCity,
  originState: loads.originState,
  pickupStart: loads.pickupStart,
  destCity: loads.destCity,
  destState: loads.destState,
  deliveryStart: loads.deliveryStart,
  deliveryEnd: loads.deliveryEnd,
  equipmentType: loads.equipmentType,
  customerTotalCents: loads.customerTotalCents,
  carrierRateCents: loads.carrierRateCents,
  marginCents: loads.marginCents,
  miles: loads.miles,
  etaAt: loads.etaAt,
  late: lateSql,
  poNumber: loads.poNumber,
  bolNumber: loads.bolNumber,
  proNumber: loads.proNumber,
};

const rowid = sql<number>`${loads}.rowid`;

/** Filters that can only be checked on the load's row (quick search is checked on the rowid). */
function hasRowFilters(f: Filters): boolean {
  return (
    f.statuses.length > 0 ||
    f.lateOnly ||
    [f.pickupFrom, f.pickupTo, f.deliveryFrom, f.deliveryTo, f.customerId, f.carrierId, f.originState, f.destState, f.equipmentType].some((v) => v !== null)
  );
}

/**
 * Whether a page walks the sort's index, stopping once it has the page, instead of letting SQLite
 * start from a filter's index and sort every match. SQLite can't choose well here by itself: the
 * filter values are bound parameters, so its statistics can't say how many loads match. We know:
 * the count comes first.
 * - Few matches (2,000 or fewer) sort in a millisecond or two: no walk.
 * - A walk reads about (offset + limit) × loads ÷ matches index entries, a sort every match.
 * - Each entry a walk passes costs a row read when a filter needs the row, and matches may
 *   cluster at the far end of the index (a short lane's loads all have small margins). So with
 *   such filters a walk needs a quarter of all loads to match; with none, or quick search alone
 *   (checked on the rowid), even a full walk of the index is cheap.
 */
function walkSortIndex(input: ListInput, matches: number, loadsEstimate: number): boolean {
  const wanted = input.limit < 0 ? matches : input.offset + input.limit;
  const dense = !hasRowFilters(input) || matches * 4 >= loadsEstimate;
  return matches > 2_000 && dense && wanted * loadsEstimate < matches * matches;
}

/**
 * The rowids of the loads on one page, in board order. Only loads (and, to sort by name, the
 * customer or carrier) are read: the page's 100 rows are joined afterwards, so skipping 40,000
 * rows walks an index and touches no row.
 */
function pageRowidsQuery(input: ListInput, walk: boolean): SQL {
  const plan = SORTS[input.sort.field];
  const dir = input.sort.dir;
  const order = sql.join(
    [...plan.keys, rowid].map((key) => orderBy(key, dir)),
    sql`, `,
  );
  const where = whereOf(input);
  const whereClause = where ? sql`WHERE ${where}` : sql``;
  const window = sql`LIMIT ${input.limit} OFFSET ${input.offset}`;
  // CROSS JOIN is SQLite's way to keep the join order as written; INDEXED BY names the index.
  if (plan.from === undefined) {
    const indexed = walk ? sql.raw(` INDEXED BY ${plan.index}`) : sql``;
    return sql`SELECT ${rowid} AS r FROM ${loads}${indexed} ${whereClause} ORDER BY ${order} ${window}`;
  }
  const join = walk ? sql`CROSS JOIN` : sql`INNER JOIN`;
  if (plan.from === 'customer') {
    return sql`SELECT ${rowid} AS r FROM ${customers} ${join} ${loads} ON ${loads.customerId} = ${customers.id} ${whereClause} ORDER BY ${order} ${window}`;
  }
  // By carrier name. Not-yet-booked loads have no carrier: they sort first (as SQLite sorts NULL),
  // then the rest in carrier-name order. Two ordered walks merged, not a LEFT JOIN sorted in full.
  const unbooked = and(sql`${loads.carrierId} IS NULL`, where);
  return sql`SELECT ${rowid} AS r, NULL AS k1, NULL AS k2 FROM ${loads} WHERE ${unbooked}
    UNION ALL
    SELECT ${rowid}, ${carriers.companyName} COLLATE NOCASE, ${carriers}.rowid FROM ${carriers} ${join} ${loads} ON ${loads.carrierId} = ${carriers.id} ${whereClause}
    ORDER BY ${sql.raw(`2 ${dir}, 3 ${dir}, 1 ${dir}`)} ${window}`;
}

function rowsQuery(db: SqliteDb, rowids: number[]) {
  return db
    .select({ ...listColumns, rowid })
    .from(loads)
    .innerJoin(customers, eq(customers.id, loads.customerId))
    .leftJoin(carrierForName, eq(carrierForName.id, loads.carrierId))
    .where(inArray(rowid, rowids));
}

function rowsByRowid(db: SqliteDb, rowids: number[]) {
  const rows = rowsQuery(db, rowids).all();
  const byRowid = new Map(rows.map(({ rowid: r, ...row }) => [r, { ...row, late: Boolean(row.late) }]));
  return rowids.flatMap((r) => byRowid.get(r) ?? []);
}

/**
 * How many loads match. Every filter is on loads' own columns, so the count needs no join; a search
 * alone is counted in its index (see countOf).
 */
function countSql(f: Filters): SQL {
  const match = searchMatch(f.search);
  if (match !== undefined && !hasRowFilters(f)) return sql`SELECT count(*) AS n FROM loads_search WHERE loads_search MATCH ${match}`;
  return sql`SELECT count(*) AS n FROM ${loads} WHERE ${whereOf(f) ?? sql`1`}`;
}

/**
 * Every load has exactly one row in loads_search (its triggers, and a pull's bulk indexing), so a
 * search with no other filter is counted there without looking up thousands of loads.
 */
function countOf(db: SqliteDb, f: Filters): number {
  return db.get<{ n: number }>(countSql(f)).n;
}

/** Loads ever entered, near enough (loads are cancelled, never deleted), in O(log n). */
function loadsEstimate(db: SqliteDb): number {
  return db.get<{ n: number | null }>(sql`SELECT max(${rowid}) AS n FROM ${loads}`).n ?? 0;
}

function pageQueryFor(db: SqliteDb, input: ListInput, total: number): SQL {
  return pageRowidsQuery(input, walkSortIndex(input, total, loadsEstimate(db)));
}

function pageRowids(db: SqliteDb, input: ListInput, total: number): number[] {
  return db.all<{ r: number }>(pageQueryFor(db, input, total)).map((x) => x.r);
}

export function listLoads(db: SqliteDb, input: ListInput): Out<'loads.list'> {
  const total = countOf(db, input);
  return { rows: rowsByRowid(db, pageRowids(db, input, total)), total };
}

/** The statements listLoads runs, for benchmarks that time the same SQL on raw better-sqlite3. */
export function listLoadsStatements(db: SqliteDb, input: ListInput) {
  const total = countOf(db, input);
  const page = pageQueryFor(db, input, total);
  return {
    count: new SQLiteSyncDialect().sqlToQuery(countSql(input)),
    page: new SQLiteSyncDialect().sqlToQuery(page),
    rows: rowsQuery(db, pageRowids(db, input, total)).toSQL(),
  };
}

type CsvCell = (r: Out<'loads.list'>['rows'][number]) => string | number | null;

/** Each board column as CSV: its header and value, plain (the ETA column also says whether the load is late). */
const CSV_COLUMNS: Record<LoadBoardColumn, [string, CsvCell][]> = {
  loadNumber: [['Load', (r) => r.loadNumber]],
  status: [['Status', (r) => LOAD_STATUS_LABELS[r.status]]],
  customerName: [['Customer', (r) => r.customerName]],
  carrierName: [['Carrier', (r) => r.carrierName]],
  origin: [['Origin', (r) => `${r.originCity}, ${r.originState}`]],
  pickupStart: [['Pickup', (r) => r.pickupStart.replace('T', ' ')]],
  destination: [['Destination', (r) => `${r.destCity}, ${r.destState}`]],
  deliveryStart: [['Delivery', (r) => r.deliveryStart.replace('T', ' ')]],
  equipmentType: [['Equipment', (r) => r.equipmentType]],
  miles: [['Miles', (r) => r.miles]],
  customerTotalCents: [['Customer total', (r) => centsToDecimalString(r.customerTotalCents)]],
  carrierRateCents: [['Carrier rate', (r) => (r.carrierRateCents === null ? null : centsToDecimalString(r.carrierRateCents))]],
  marginCents: [['Margin', (r) => (r.marginCents === null ? null : centsToDecimalString(r.marginCents))]],
  etaAt: [
    ['ETA', (r) => r.etaAt?.replace('T', ' ') ?? null],
    ['Late', (r) => (r.late ? 'yes' : '')],
  ],
  poNumber: [['PO', (r) => r.poNumber]],
  bolNumber: [['BOL', (r) => r.bolNumber]],
  proNumber: [['PRO', (r) => r.proNumber]],
};

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // Quote what needs it, and defuse spreadsheet formulas (=, +, -, @ at the start).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The board as filtered and sorted, every matching row, in its visible columns, as CSV (RFC 4180, CRLF). */
export function exportLoadsCsv(db: SqliteDb, input: Input<'loads.exportCsv'>, today: string): Out<'loads.exportCsv'> {
  // LIMIT -1 is SQLite for "no limit": the whole view, fetched in slices of 500 rows.
  const all = { ...input, offset: 0, limit: -1 };
  const rowids = pageRowids(db, all, countOf(db, all));
  const rows: Out<'loads.list'>['rows'] = [];
  for (let i = 0; i < rowids.length; i += 500) rows.push(...rowsByRowid(db, rowids.slice(i, i + 500)));
  const cells = input.columns.flatMap((column) => CSV_COLUMNS[column]);
  const lines = [cells.map(([h]) => h).join(','), ...rows.map((r) => cells.map(([, get]) => csvCell(get(r))).join(','))];
  return { fileName: `loads-${today}.csv`, csv: `${lines.join('\r\n')}\r\n`, rows: rows.length };
}

export function getLoadView(db: SqliteDb, id: string): Out<'loads.get'> {
  const row = db
    .select({ load: loads, customerName: customers.companyName, carrierName: carrierForName.companyName })
    .from(loads)
    .innerJoin(customers, eq(customers.id, loads.customerId))
    .leftJoin(carrierForName, eq(carrierForName.id, loads.carrierId))
    .where(eq(loads.id, id))
    .get();
  if (!row) throw notFound('This load');
  const { load } = row;
  return {
    ...load,
    customerName: row.customerName,
    carrierName: row.carrierName,
    late: isLate(load),
    customerRpmCents: centsPerMile(load.customerTotalCents, load.miles),
    carrierRpmCents: centsPerMile(load.carrierRateCents, load.miles),
  };
}

export function loadTimeline(db: SqliteDb, id: string): Out<'loads.events'> {
  return db
    .select({ event: loadEvents, actorName: users.name })
    .from(loadEvents)
    .leftJoin(users, eq(users.id, loadEvents.actorUserId))
    .where(eq(loadEvents.loadId, id))
    .orderBy(asc(loadEvents.at), asc(loadEvents.id))
    .all()
    .map(({ event, actorName }) => ({ ...event, actorName }));
}

/** Statuses of loads that count as lane history: the carrier actually ran them. */
const RAN: readonly string[] = ['DELIVERED', 'INVOICED', 'CLOSED'];

const MATCH_COLUMNS = {
  id: carriers.id,
  companyName: carriers.companyName,
  mcNumber: carriers.mcNumber,
  phone: carriers.phone,
  status: carriers.status,
  authorityStatus: carriers.authorityStatus,
  insurancePolicies: carriers.insurancePolicies,
  equipmentTypes: carriers.equipmentTypes,
  serviceAreas: carriers.serviceAreas,
  rating: carriers.rating,
  loadsDelivered: carriers.loadsDelivered,
  loadsOnTime: carriers.loadsOnTime,
};

interface ReachRow {
  id: string;
  companyName: string;
  mcNumber: string | null;
  phone: string | null;
  status: MatchCarrier['status'];
  authorityStatus: MatchCarrier['authorityStatus'];
  insurancePolicies: string;
  rating: number;
  loadsDelivered: number;
  loadsOnTime: number;
  servesOrigin: 0 | 1;
  servesDestination: 0 | 1;
}

/**
 * Who runs this equipment in the origin or destination state, from carrier_reach (migration 0005),
 * with which of the two states each serves. A busy lane has thousands of them and this runs for
 * every load opened, so the statement is prepared once per connection, and the equipment and
 * service-area lists are not read: the index already answers the only questions the rule asks of them.
 */
const reachStatements = new WeakMap<SqliteDb, Statement<{ equipment: string; origin: string; dest: string }, ReachRow>>();

function reachCandidates(db: SqliteDb, load: Pick<LoadRow, 'equipmentType' | 'originState' | 'destState'>): MatchCarrier[] {
  let statement = reachStatements.get(db);
  if (!statement) {
    statement = db.$client.prepare(`
      SELECT c.id, c.company_name AS companyName, c.mc_number AS mcNumber, c.phone, c.status,
             c.authority_status AS authorityStatus, c.insurance_policies AS insurancePolicies, c.rating,
             c.loads_delivered AS loadsDelivered, c.loads_on_time AS loadsOnTime, r.servesOrigin, r.servesDestination
      FROM (SELECT carrier_id, max(state = @origin) AS servesOrigin, max(state = @dest) AS servesDestination
            FROM carrier_reach WHERE equipment_type = @equipment AND state IN (@origin, @dest) GROUP BY carrier_id) r
      JOIN carriers c ON c.id = r.carrier_id
      WHERE c.status != 'INACTIVE'`);
    reachStatements.set(db, statement);
  }
  const equipmentTypes = [load.equipmentType];
  const both = [load.originState, load.destState];
  const originOnly = [load.originState];
  const destinationOnly = [load.destState];
  return statement.all({ equipment: load.equipmentType, origin: load.originState, dest: load.destState }).map((r) => ({
    id: r.id,
    companyName: r.companyName,
    mcNumber: r.mcNumber,
    phone: r.phone,
    status: r.status,
    authorityStatus: r.authorityStatus,
    insurancePolicies: JSON.parse(r.insurancePolicies) as MatchCarrier['insurancePolicies'],
    equipmentTypes,
    serviceAreas: r.servesOrigin ? (r.servesDestination ? both : originOnly) : destinationOnly,
    rating: r.rating,
    loadsDelivered: r.loadsDelivered,
    loadsOnTime: r.loadsOnTime,
  }));
}

/**
 * Carrier matching for one load. Candidates are the carriers running the load's equipment that
 * serve its origin or destination state (by index), and every carrier that has run the lane
 * before, whatever its equipment or status, so a dispatcher sees why a usual carrier is not
 * offered. The shared rule (shared/domain/loads/matching.ts) checks compliance and ranks them.
 */
export function matchCarriers(db: SqliteDb, id: string): Out<'loads.matches'> {
  const load = db.select().from(loads).where(eq(loads.id, id)).get();
  if (!load) throw notFound('This load');
  const lane = db
    .select({ carrierId: loads.carrierId, n: count() })
    .from(loads)
    .where(and(eq(loads.originState, load.originState), eq(loads.destState, load.destState), inArray(loads.status, RAN as never[]), sql`${loads.carrierId} IS NOT NULL`))
    .groupBy(loads.carrierId)
    .all();
  const laneLoads = new Map(lane.map((l) => [l.carrierId ?? '', l.n]));
  const candidates = reachCandidates(db, load);
  const found = new Set(candidates.map((c) => c.id));
  const laneOnly = [...laneLoads.keys()].filter((carrierId) => !found.has(carrierId));
  if (laneOnly.length > 0) candidates.push(...db.select(MATCH_COLUMNS).from(carriers).where(inArray(carriers.id, laneOnly)).all());
  return rankCarriers(load, candidates, laneLoads);
}

export function customerOptions(db: SqliteDb, input: Input<'customers.options'>): Out<'customers.options'> {
  const like = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select({ id: customers.id, name: customers.companyName, city: sql<string>`json_extract(${customers.billingAddress}, '$.city')`, state: sql<string>`json_extract(${customers.billingAddress}, '$.state')`, status: customers.status })
    .from(customers)
    .where(and(sql`${customers.companyName} LIKE ${like} ESCAPE '\\'`, input.statuses.length > 0 ? inArray(customers.status, input.statuses) : undefined))
    .orderBy(sql`${customers.companyName} COLLATE NOCASE`)
    .limit(25)
    .all()
    .map((c) => ({ id: c.id, name: c.name, detail: `${c.city}, ${c.state}${c.status === 'ACTIVE' ? '' : ` · ${c.status === 'ON_HOLD' ? 'on hold' : 'inactive'}`}` }));
}

export function carrierOptions(db: SqliteDb, input: Input<'carriers.options'>): Out<'carriers.options'> {
  const like = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select({ id: carriers.id, name: carriers.companyName, mc: carriers.mcNumber, dot: carriers.dotNumber })
    .from(carriers)
    .where(or(sql`${carriers.companyName} LIKE ${like} ESCAPE '\\'`, sql`${carriers.mcNumber} LIKE ${like} ESCAPE '\\'`))
    .orderBy(sql`${carriers.companyName} COLLATE NOCASE`)
    .limit(25)
    .all()
    .map((c) => ({ id: c.id, name: c.name, detail: c.mc ? `MC-${c.mc}` : `USDOT ${c.dot}` }));
}

