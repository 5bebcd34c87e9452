import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import {
  AUTHORITY_STATUSES,
  BANK_ACCOUNT_TYPES,
  CARRIER_STATUSES,
  EQUIPMENT_TYPES,
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
import type { Role } from '../../shared/domain/roles.ts';
import type { UsState } from '../../shared/domain/validation/us-states.ts';

/**
 * The sync server's store (PostgreSQL). The synced entity tables mirror db/sqlite/schema.ts table
 * for table and column for column (same SQL names, same property keys, same nullability), so a row
 * read here is the same shared domain row the desktop holds and a shared mutator runs unchanged on
 * either store; tests/server/schema-parity.test.ts holds the two schemas together.
 *
 * Type mapping from SQLite: text stays text (timestamps and dates are ISO text, as on the desktop);
 * integers (cents, counts, versions) are bigint read as JS numbers; boolean-mode integers are
 * boolean; JSON text is jsonb with the same `$type`; real is double precision.
 *
 * Desktop-only things are not mirrored: COLLATE NOCASE and board-sort expression indexes, the
 * search tables, carrier reach, the outbox, number blocks, user prefs and meta.
 *
 * DDL lives only in the drizzle-kit migrations generated from this file (db/pg/migrations;
 * `npx drizzle-kit generate --config drizzle.pg.config.ts`).
 */

const timestamps = {
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  version: bigint('version', { mode: 'number' }).notNull(),
};

// ---------------------------------------------------------------------------------------------
// Synced entity tables (mirrors of db/sqlite/schema.ts)
// ---------------------------------------------------------------------------------------------

export const workspaces = pgTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  ...timestamps,
});

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    roles: jsonb('roles').$type<Role[]>().notNull(),
    passwordHash: text('password_hash').notNull(),
    active: boolean('active').notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email), index('users_active_idx').on(t.active)],
);

export const customers = pgTable(
  'customers',
  {
    id: text('id').primaryKey(),
    companyName: text('company_name').notNull(),
    contactName: text('contact_name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    contacts: jsonb('contacts').$type<CustomerContact[]>().notNull().default([]),
    billingEmail: text('billing_email').notNull(),
    billingAddress: jsonb('billing_address').$type<Address>().notNull(),
    shippingAddress: jsonb('shipping_address').$type<Address>(),
    creditLimitCents: bigint('credit_limit_cents', { mode: 'number' }).notNull(),
    paymentTerms: text('payment_terms', { enum: PAYMENT_TERMS }).notNull(),
    status: text('status', { enum: CUSTOMER_STATUSES }).notNull(),
    requiredDocuments: jsonb('required_documents').$type<BillingDocument[]>().notNull(),
    notes: text('notes'),
    ...timestamps,
  },
  (t) => [uniqueIndex('customers_email_unique').on(t.email)],
);

export const carriers = pgTable(
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
    address: jsonb('address').$type<Address>(),
    insurancePolicies: jsonb('insurance_policies').$type<InsurancePolicy[]>().notNull(),
    equipmentTypes: jsonb('equipment_types').$type<EquipmentType[]>().notNull(),
    serviceAreas: jsonb('service_areas').$type<UsState[]>().notNull(),
    rating: doublePrecision('rating').notNull(),
    status: text('status', { enum: CARRIER_STATUSES }).notNull(),
    remitToAddress: jsonb('remit_to_address').$type<Address>(),
    factoringCompany: jsonb('factoring_company').$type<FactoringCompany>(),
    bankRoutingNumber: text('bank_routing_number'),
    /** AES-256-GCM ciphertext of the account number (db/secret-box.ts). */
    bankAccountSealed: text('bank_account_sealed'),
    bankAccountLast4: text('bank_account_last4'),
    bankAccountType: text('bank_account_type', { enum: BANK_ACCOUNT_TYPES }),
    bankAccountHolder: text('bank_account_holder'),
    bankChangedAt: text('bank_changed_at'),
    loadsDelivered: bigint('loads_delivered', { mode: 'number' }).notNull().default(0),
    loadsOnTime: bigint('loads_on_time', { mode: 'number' }).notNull().default(0),
    notes: text('notes'),
    ...timestamps,
  },
  (t) => [
    // NULL mc numbers do not collide (PostgreSQL, like SQLite, treats NULLs as distinct).
    uniqueIndex('carriers_mc_number_unique').on(t.mcNumber),
    uniqueIndex('carriers_dot_number_unique').on(t.dotNumber),
    uniqueIndex('carriers_email_unique').on(t.email),
  ],
);

export const loads = pgTable(
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
    weightLbs: bigint('weight_lbs', { mode: 'number' }).notNull(),
    pieces: bigint('pieces', { mode: 'number' }).notNull(),
    lengthIn: bigint('length_in', { mode: 'number' }),
    widthIn: bigint('width_in', { mode: 'number' }),
    heightIn: bigint('height_in', { mode: 'number' }),
    hazmat: boolean('hazmat').notNull(),
    hazmatUnNumber: text('hazmat_un_number'),
    equipmentType: text('equipment_type', { enum: EQUIPMENT_TYPES }).notNull(),
    linehaulCents: bigint('linehaul_cents', { mode: 'number' }).notNull(),
    fuelSurchargeCents: bigint('fuel_surcharge_cents', { mode: 'number' }).notNull(),
    accessorials: jsonb('accessorials').$type<Accessorial[]>().notNull(),
    customerTotalCents: bigint('customer_total_cents', { mode: 'number' }).notNull(),
    targetCarrierRateCents: bigint('target_carrier_rate_cents', { mode: 'number' }),
    carrierRateCents: bigint('carrier_rate_cents', { mode: 'number' }),
    marginCents: bigint('margin_cents', { mode: 'number' }),
    miles: bigint('miles', { mode: 'number' }),
    poNumber: text('po_number'),
    bolNumber: text('bol_number'),
    proNumber: text('pro_number'),
    notes: text('notes'),
    rateAtTender: jsonb('rate_at_tender').$type<RateAtTender>(),
    creditOverride: jsonb('credit_override').$type<CreditOverride>(),
    etaAt: text('eta_at'),
    lastLocationCity: text('last_location_city'),
    lastLocationState: text('last_location_state').$type<UsState>(),
    lastCheckCallAt: text('last_check_call_at'),
    pickedUpAt: text('picked_up_at'),
    deliveredAt: text('delivered_at'),
    tonuCents: bigint('tonu_cents', { mode: 'number' }),
    cancelReason: text('cancel_reason'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('loads_load_number_unique').on(t.loadNumber),
    index('loads_customer_idx').on(t.customerId),
    index('loads_carrier_idx').on(t.carrierId),
    index('loads_status_idx').on(t.status),
  ],
);

export const loadEvents = pgTable(
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
  // Leading column load_id serves lookups by load; `at` orders a load's history.
  (t) => [index('load_events_load_idx').on(t.loadId, t.at)],
);

export const entityTables = { workspaces, users, customers, carriers, loads, loadEvents } as const;

// ---------------------------------------------------------------------------------------------
// Server-only tables
// ---------------------------------------------------------------------------------------------

/**
 * The latest change per row: what a pull since `version` must send (a put or a delete). A change's
 * version is the id of the transaction that made it (server/sync/change-order.ts says why).
 */
export const changeLog = pgTable(
  'change_log',
  {
    entity: text('entity').notNull(),
    rowId: text('row_id').notNull(),
    op: text('op', { enum: ['put', 'del'] }).notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.entity, t.rowId] }), index('change_log_version_idx').on(t.version)],
);

/** A desktop installation's sync identity, bound to the user who first pushed or pulled with it. */
export const syncClientGroups = pgTable('sync_client_groups', {
  clientGroupId: text('client_group_id').primaryKey(),
  userId: text('user_id').notNull(),
  createdAt: text('created_at').notNull(),
  /**
   * What the workstation's user could see when it last pulled (server/sync/pull.ts, scopeOf):
   * when their roles change it, the next pull sends every row again in the new scope.
   */
  scope: text('scope'),
});

/** One mutation stream (outbox) and the id of its last consumed mutation. */
export const syncClients = pgTable(
  'sync_clients',
  {
    clientId: text('client_id').primaryKey(),
    clientGroupId: text('client_group_id').notNull(),
    userId: text('user_id').notNull(),
    lastMutationId: bigint('last_mutation_id', { mode: 'number' }).notNull().default(0),
    lastSeenAt: text('last_seen_at'),
  },
  (t) => [index('sync_clients_group_idx').on(t.clientGroupId)],
);

/** The outcome of every consumed mutation, so the desktop learns of rejections on its next pull. */
export const mutationResults = pgTable(
  'mutation_results',
  {
    clientId: text('client_id').notNull(),
    mutationId: bigint('mutation_id', { mode: 'number' }).notNull(),
    clientGroupId: text('client_group_id').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: ['applied', 'rejected'] }).notNull(),
    code: text('code'),
    message: text('message'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    /** The change version (transaction id) of the transaction that recorded the result. */
    version: bigint('version', { mode: 'number' }).notNull(),
    processedAt: text('processed_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.mutationId] }),
    index('mutation_results_group_version_idx').on(t.clientGroupId, t.version),
  ],
);

/** Append-only: who changed which row, when, by which mutation, with the row before and after. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    at: text('at').notNull(),
    actorUserId: text('actor_user_id').notNull(),
    clientId: text('client_id').notNull(),
    mutationId: bigint('mutation_id', { mode: 'number' }),
    mutationName: text('mutation_name').notNull(),
    entity: text('entity').notNull(),
    rowId: text('row_id').notNull(),
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_row_idx').on(t.entity, t.rowId, t.at), index('audit_log_mutation_idx').on(t.clientId, t.mutationId)],
);

/** Rotating refresh tokens; a reused token revokes its whole family. Only hashes are stored. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    familyId: text('family_id').notNull(),
    userId: text('user_id').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('refresh_tokens_family_idx').on(t.familyId)],
);

/** Consecutive failed sign-ins per email, for lockout / back-off. */
export const loginFailures = pgTable('login_failures', {
  email: text('email').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailedAt: text('last_failed_at').notNull(),
});

/** Blocks of user-visible numbers leased to a desktop, so offline work never collides. */
export const numberLeases = pgTable(
  'number_leases',
  {
    series: text('series').notNull(),
    first: bigint('first', { mode: 'number' }).notNull(),
    last: bigint('last', { mode: 'number' }).notNull(),
    clientGroupId: text('client_group_id').notNull(),
    leasedAt: text('leased_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.series, t.first] })],
);

/** The server's own facts (schema markers, key ids). */
export const serverMeta = pgTable('server_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
