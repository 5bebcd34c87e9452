import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import {
  AUTHORITY_STATUSES,
  BANK_ACCOUNT_TYPES,
  CARRIER_STATUSES,
  type EquipmentType,
  type FactoringCompany,
  type InsurancePolicy,
} from '../../shared/domain/carriers/schema.ts';
import {
  CUSTOMER_STATUSES,
  PAYMENT_TERMS,
  type BillingDocument,
  type CustomerContact,
} from '../../shared/domain/customers/schema.ts';
import type { Address } from '../../shared/domain/fields.ts';
import {
  CHECK_CALL_STATUSES,
  LOAD_EVENT_TYPES,
  LOAD_STATUSES,
  type Accessorial,
  type CreditOverride,
  type RateAtTender,
} from '../../shared/domain/loads/schema.ts';
import { EQUIPMENT_TYPES } from '../../shared/domain/carriers/schema.ts';
import type { Role } from '../../shared/domain/roles.ts';
import type { UsState } from '../../shared/domain/validation/us-states.ts';

/**
 * The desktop store. Row types equal the shared domain rows (tests/contract/schema-types.test.ts
 * holds them together); JSON columns hold value objects (addresses, policies) and lists.
 * DDL lives only in the drizzle-kit migrations generated from this file (db/sqlite/migrations).
 */

const timestamps = {
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  version: integer('version').notNull(),
};

export const workspaces = sqliteTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  ...timestamps,
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    roles: text('roles', { mode: 'json' }).$type<Role[]>().notNull(),
    passwordHash: text('password_hash').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email), index('users_active_idx').on(t.active)],
);

export const customers = sqliteTable(
  'customers',
  {
    id: text('id').primaryKey(),
    companyName: text('company_name').notNull(),
    contactName: text('contact_name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    contacts: text('contacts', { mode: 'json' }).$type<CustomerContact[]>().notNull().default([]),
    billingEmail: text('billing_email').notNull(),
    billingAddress: text('billing_address', { mode: 'json' }).$type<Address>().notNull(),
    shippingAddress: text('shipping_address', { mode: 'json' }).$type<Address>(),
    creditLimitCents: integer('credit_limit_cents').notNull(),
    paymentTerms: text('payment_terms', { enum: PAYMENT_TERMS }).notNull(),
    status: text('status', { enum: CUSTOMER_STATUSES }).notNull(),
    requiredDocuments: text('required_documents', { mode: 'json' }).$type<BillingDocument[]>().notNull(),
    notes: text('notes'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('customers_email_unique').on(t.email),
    index('customers_company_name_idx').on(sql`${t.companyName} COLLATE NOCASE`),
    index('customers_status_idx').on(t.status),
  ],
);

export const carriers = sqliteTable(
  'carriers',
  {
    id: text('id').primaryKey(),
    companyName: text('company_name').notNull(),
    contactName: text('contact_name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    mcNumber: text('mc_number'),
    dotNumber: text('dot_number').notNull(),
    authorityStatus: text('authority_status', { enum: AUTHORITY_STATUSES }).notNull(),
    address: text('address', { mode: 'json' }).$type<Address>(),
    insurancePolicies: text('insurance_policies', { mode: 'json' }).$type<InsurancePolicy[]>().notNull(),
    equipmentTypes: text('equipment_types', { mode: 'json' }).$type<EquipmentType[]>().notNull(),
    serviceAreas: text('service_areas', { mode: 'json' }).$type<UsState[]>().notNull(),
    rating: real('rating').notNull(),
    status: text('status', { enum: CARRIER_STATUSES }).notNull(),
    remitToAddress: text('remit_to_address', { mode: 'json' }).$type<Address>(),
    factoringCompany: text('factoring_company', { mode: 'json' }).$type<FactoringCompany>(),
    bankRoutingNumber: text('bank_routing_number'),
    /** AES-256-GCM ciphertext of the account number (db/secret-box.ts). */
    bankAccountSealed: text('bank_account_sealed'),
    bankAccountLast4: text('bank_account_last4'),
    bankAccountType: text('bank_account_type', { enum: BANK_ACCOUNT_TYPES }),
    bankAccountHolder: text('bank_account_holder'),
    bankChangedAt: text('bank_changed_at'),
    loadsDelivered: integer('loads_delivered').notNull().default(0),
    loadsOnTime: integer('loads_on_time').notNull().default(0),
    notes: text('notes'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('carriers_mc_number_unique').on(t.mcNumber),
    uniqueIndex('carriers_dot_number_unique').on(t.dotNumber),
    uniqueIndex('carriers_email_unique').on(t.email),
    index('carriers_company_name_idx').on(sql`${t.companyName} COLLATE NOCASE`),
    index('carriers_status_idx').on(t.status),
  ],
);

/**
 * Board sort keys that are expressions. SQLite uses an index on an expression only for a query
 * that spells the same expression with no bound parameters, so the index and the board's query
 * both take them from here.
 */
export const loadSortExpressions = {
  /**
   * L100042 → 100042: numbers sort as numbers even when a series grows a digit. (drizzle-kit 0.31
   * splits an index expression at its commas; migration 0004's SQL for this index was mended by hand.)
   */
  numberSeq: (loadNumber: SQLiteColumn) => sql`CAST(substr(${loadNumber}, 2) AS INTEGER)`,
  /** The lifecycle's order, not the alphabet's. */
  statusRank: (status: SQLiteColumn) =>
    sql`CASE ${status} ${sql.raw(LOAD_STATUSES.map((s, i) => `WHEN '${s}' THEN ${String(i)}`).join(' '))} END`,
};

/**
 * Loads: one flat row each so the dispatch board filters and sorts on indexed columns (an index
 * per sortable column, so a page of 100 sorted rows is an index walk, never a sort of 100,000).
 * Stop times are the facility's local `YYYY-MM-DDTHH:mm`, so they sort as text.
 */
export const loads = sqliteTable(
  'loads',
  {
    id: text('id').primaryKey(),
    loadNumber: text('load_number').notNull(),
    customerId: text('customer_id').notNull().references(() => customers.id),
    carrierId: text('carrier_id').references(() => carriers.id),
    status: text('status', { enum: LOAD_STATUSES }).notNull(),
    originLine1: text('origin_line1').notNull(),
    originLine2: text('origin_line2'),
    originCity: text('origin_city').notNull(),
    originState: text('origin_state').$type<UsState>().notNull(),
    originZip: text('origin_zip').notNull(),
    pickupStart: text('pickup_start').notNull(),
    pickupEnd: text('pickup_end').notNull(),
    destLine1: text('dest_line1').notNull(),
    destLine2: text('dest_line2'),
    destCity: text('dest_city').notNull(),
    destState: text('dest_state').$type<UsState>().notNull(),
    destZip: text('dest_zip').notNull(),
    deliveryStart: text('delivery_start').notNull(),
    deliveryEnd: text('delivery_end').notNull(),
    commodity: text('commodity').notNull(),
    weightLbs: integer('weight_lbs').notNull(),
    pieces: integer('pieces').notNull(),
    lengthIn: integer('length_in'),
    widthIn: integer('width_in'),
    heightIn: integer('height_in'),
    hazmat: integer('hazmat', { mode: 'boolean' }).notNull(),
    hazmatUnNumber: text('hazmat_un_number'),
    equipmentType: text('equipment_type', { enum: EQUIPMENT_TYPES }).notNull(),
    linehaulCents: integer('linehaul_cents').notNull(),
    fuelSurchargeCents: integer('fuel_surcharge_cents').notNull(),
    accessorials: text('accessorials', { mode: 'json' }).$type<Accessorial[]>().notNull(),
    customerTotalCents: integer('customer_total_cents').notNull(),
    targetCarrierRateCents: integer('target_carrier_rate_cents'),
    carrierRateCents: integer('carrier_rate_cents'),
    marginCents: integer('margin_cents'),
    miles: integer('miles'),
    poNumber: text('po_number'),
    bolNumber: text('bol_number'),
    proNumber: text('pro_number'),
    notes: text('notes'),
    rateAtTender: text('rate_at_tender', { mode: 'json' }).$type<RateAtTender>(),
    creditOverride: text('credit_override', { mode: 'json' }).$type<CreditOverride>(),
    etaAt: text('eta_at'),
    lastLocationCity: text('last_location_city'),
    lastLocationState: text('last_location_state').$type<UsState>(),
    lastCheckCallAt: text('last_check_call_at'),
    pickedUpAt: text('picked_up_at'),
    deliveredAt: text('delivered_at'),
    tonuCents: integer('tonu_cents'),
    cancelReason: text('cancel_reason'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('loads_load_number_unique').on(t.loadNumber),
    index('loads_pickup_idx').on(t.pickupStart),
    index('loads_delivery_idx').on(t.deliveryStart),
    index('loads_status_pickup_idx').on(t.status, t.pickupStart),
    index('loads_customer_status_idx').on(t.customerId, t.status),
    index('loads_carrier_status_idx').on(t.carrierId, t.status),
    // Lane history for carrier matching reads status and carrier from the index alone.
    index('loads_lane_idx').on(t.originState, t.destState, t.status, t.carrierId),
    index('loads_status_delivery_idx').on(t.status, t.deliveryStart),
    // Board sorts; each also ends in the rowid, which is the board's tie-break.
    index('loads_customer_idx').on(t.customerId),
    index('loads_carrier_idx').on(t.carrierId),
    index('loads_number_seq_idx').on(loadSortExpressions.numberSeq(t.loadNumber)),
    index('loads_status_rank_idx').on(loadSortExpressions.statusRank(t.status)),
    index('loads_origin_idx').on(t.originState, t.originCity),
    index('loads_destination_idx').on(t.destState, t.destCity),
    index('loads_customer_total_idx').on(t.customerTotalCents),
    index('loads_carrier_rate_idx').on(t.carrierRateCents),
    index('loads_margin_idx').on(t.marginCents),
    index('loads_miles_idx').on(t.miles),
    index('loads_eta_idx').on(t.etaAt),
    index('loads_updated_idx').on(t.updatedAt),
  ],
);

export const loadEvents = sqliteTable(
  'load_events',
  {
    id: text('id').primaryKey(),
    loadId: text('load_id').notNull().references(() => loads.id),
    type: text('type', { enum: LOAD_EVENT_TYPES }).notNull(),
    fromStatus: text('from_status', { enum: LOAD_STATUSES }),
    toStatus: text('to_status', { enum: LOAD_STATUSES }),
    at: text('at').notNull(),
    occurredAt: text('occurred_at'),
    actorUserId: text('actor_user_id').notNull(),
    city: text('city'),
    state: text('state').$type<UsState>(),
    checkCallStatus: text('check_call_status', { enum: CHECK_CALL_STATUSES }),
    etaAt: text('eta_at'),
    note: text('note'),
  },
  (t) => [index('load_events_load_idx').on(t.loadId, t.at)],
);

/**
 * Blocks of user-visible numbers (load numbers now; invoice and check numbers later) this
 * workstation may hand out. Without a server the workstation issues its own blocks; the sync
 * issue leases them from the server so two desktops never hand out the same number.
 */
export const numberBlocks = sqliteTable(
  'number_blocks',
  {
    series: text('series').notNull(),
    first: integer('first').notNull(),
    last: integer('last').notNull(),
    next: integer('next').notNull(),
    source: text('source', { enum: ['LOCAL', 'LEASED'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.series, t.first] })],
);

/**
 * Mutations not yet confirmed by the server, in order. `id` is contiguous per client. Args of a
 * command that carries a secret are sealed (`argsSealed`), so no account number sits here in clear.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    clientId: text('client_id').notNull(),
    id: integer('id').notNull(),
    name: text('name').notNull(),
    args: text('args').notNull(),
    argsSealed: integer('args_sealed', { mode: 'boolean' }).notNull(),
    actorUserId: text('actor_user_id').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.id] })],
);

/** Append-only: who changed which row, when, by which mutation, with the row before and after. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    at: text('at').notNull(),
    actorUserId: text('actor_user_id').notNull(),
    clientId: text('client_id').notNull(),
    mutationId: integer('mutation_id'),
    mutationName: text('mutation_name').notNull(),
    entity: text('entity').notNull(),
    rowId: text('row_id').notNull(),
    before: text('before', { mode: 'json' }).$type<Record<string, unknown>>(),
    after: text('after', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_row_idx').on(t.entity, t.rowId, t.at), index('audit_log_mutation_idx').on(t.clientId, t.mutationId)],
);

/** This installation's own facts: its client id, the last mutation id it handed out. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Per-user, per-desktop preferences (grid columns); never synced. */
export const userPrefs = sqliteTable(
  'user_prefs',
  {
    userId: text('user_id').notNull(),
    key: text('key').notNull(),
    value: text('value', { mode: 'json' }).$type<unknown>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

export const entityTables = { workspaces, users, customers, carriers, loads, loadEvents } as const;

/**
 * Sync issues: every mutation of this desktop the server refused, with what it was (name and args,
 * sealed when they carry a secret), why (code, message, field errors) and who changed the record
 * first. Kept until a clerk discards it.
 */
export const syncIssues = sqliteTable(
  'sync_issues',
  {
    clientId: text('client_id').notNull(),
    mutationId: integer('mutation_id').notNull(),
    name: text('name').notNull(),
    args: text('args').notNull(),
    argsSealed: integer('args_sealed', { mode: 'boolean' }).notNull(),
    actorUserId: text('actor_user_id').notNull(),
    createdAt: text('created_at').notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    receivedAt: text('received_at').notNull(),
    discardedAt: text('discarded_at'),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.mutationId] })],
);

/**
 * What lets a user who signed in online sign in again while offline: an argon2id hash of their
 * password, made on this desktop at their last online sign-in. Never synced.
 */
export const offlineCredentials = sqliteTable('offline_credentials', {
  userId: text('user_id').primaryKey(),
  email: text('email').notNull(),
  verifier: text('verifier').notNull(),
  updatedAt: text('updated_at').notNull(),
});
