import type { CarrierRow } from './carriers/schema.ts';
import type { CustomerRow } from './customers/schema.ts';
import type { LoadEventRow, LoadRow } from './loads/schema.ts';
import type { Role } from './roles.ts';
import type { UserRow, WorkspaceRow } from './users/schema.ts';

/**
 * The transaction port: the whole surface a shared mutator may touch. `db/sqlite` implements it
 * over one better-sqlite3 transaction for the desktop engine; `db/pg` will implement it over one
 * PostgreSQL transaction for the sync server, so a rule written once runs in both places.
 *
 * Mutators are async (PostgreSQL's driver is), so the SQLite engine runs every mutation through
 * one write queue: nothing else can touch the write connection between a mutator's awaits.
 */
export interface Entities {
  workspaces: WorkspaceRow;
  users: UserRow;
  customers: CustomerRow;
  carriers: CarrierRow;
  loads: LoadRow;
  loadEvents: LoadEventRow;
}
export type EntityName = keyof Entities;
export const ENTITY_NAMES = ['workspaces', 'users', 'customers', 'carriers', 'loads', 'loadEvents'] as const satisfies readonly EntityName[];

/** Fields a mutator may look rows up by (each has an index in both stores). */
export const LOOKUP_FIELDS = {
  workspaces: [],
  users: ['email', 'active'],
  customers: ['email'],
  carriers: ['mcNumber', 'dotNumber', 'email'],
  loads: ['loadNumber', 'customerId', 'carrierId', 'status'],
  loadEvents: ['loadId'],
} as const satisfies { [E in EntityName]: readonly (keyof Entities[E] & string)[] };
export type LookupField<E extends EntityName> = (typeof LOOKUP_FIELDS)[E][number] & keyof Entities[E];

/** Equality on lookup fields; a list means "any of these". */
export type Where<E extends EntityName> = {
  [F in LookupField<E>]?: NonNullable<Entities[E][F]> | readonly NonNullable<Entities[E][F]>[];
};

/** Fields holding whole numbers (amounts in cents, counts). */
export type NumericField<E extends EntityName> = {
  [K in keyof Entities[E]]: Entities[E][K] extends number | null ? (Entities[E][K] extends string ? never : K) : never;
}[keyof Entities[E]] &
  string;

/** A ZIP code's place and centroid, from the reference data both stores ship. */
export interface ZipPlace {
  zip: string;
  city: string;
  state: string;
  lat: number;
  lon: number;
}

export interface Actor {
  userId: string;
  roles: readonly Role[];
}

export interface TxPort {
  readonly actor: Actor;
  /** The current instant (ISO-8601 UTC), from the host's clock. */
  now(): string;
  /** A new UUIDv7 for rows a mutator creates beyond the ids in its arguments. */
  newId(): string;
  /** Encrypts a secret (a bank account number) with the store's key; the result is opaque text. */
  seal(secret: string): string;

  get<E extends EntityName>(entity: E, id: string): Promise<Entities[E] | undefined>;
  findBy<E extends EntityName, F extends LookupField<E>>(
    entity: E,
    field: F,
    value: NonNullable<Entities[E][F]>,
  ): Promise<Entities[E][]>;
  count<E extends EntityName>(entity: E): Promise<number>;
  /** Sum of a numeric field over the rows matching `where` (0 when none). */
  sumWhere<E extends EntityName>(entity: E, field: NumericField<E>, where: Where<E>): Promise<number>;
  /** Reference data: the place and centroid of a 5-digit ZIP, or null when unknown. */
  zipPlace(zip: string): ZipPlace | null;
  insert<E extends EntityName>(entity: E, row: Entities[E]): Promise<void>;
  /** Replaces the row with the same id; the store records before/after for the audit log. */
  update<E extends EntityName>(entity: E, row: Entities[E]): Promise<void>;
  remove(entity: EntityName, id: string): Promise<void>;
}
