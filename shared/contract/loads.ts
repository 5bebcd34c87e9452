import { z } from 'zod';
import { EQUIPMENT_TYPES } from '../domain/carriers/schema.ts';
import { CUSTOMER_STATUSES } from '../domain/customers/schema.ts';
import { businessDateSchema, idSchema, optionalText, stateSchema, versionSchema, zipSchema } from '../domain/fields.ts';
import {
  CHECK_CALL_STATUSES,
  LOAD_STATUSES,
  loadEventRowSchema,
  loadFieldsSchema,
  loadRowSchema,
  localDateTimeSchema,
  locationSchema,
} from '../domain/loads/schema.ts';
import { nonNegativeCentsSchema } from '../domain/money.ts';
import { mutation, query } from './define.ts';
import { byIdSchema, listInputSchema, listOutputSchema } from './list.ts';

export const LOAD_SORT_FIELDS = [
  'pickupStart',
  'deliveryStart',
  'loadNumber',
  'status',
  'customerName',
  'carrierName',
  'origin',
  'destination',
  'customerTotalCents',
  'carrierRateCents',
  'marginCents',
  'miles',
  'etaAt',
  'updatedAt',
] as const;

export const loadListFiltersSchema = z.object({
  statuses: z.array(z.enum(LOAD_STATUSES)).default([]),
  pickupFrom: businessDateSchema.nullable().default(null),
  pickupTo: businessDateSchema.nullable().default(null),
  deliveryFrom: businessDateSchema.nullable().default(null),
  deliveryTo: businessDateSchema.nullable().default(null),
  customerId: idSchema.nullable().default(null),
  carrierId: idSchema.nullable().default(null),
  originState: stateSchema.nullable().default(null),
  destState: stateSchema.nullable().default(null),
  equipmentType: z.enum(EQUIPMENT_TYPES).nullable().default(null),
  lateOnly: z.boolean().default(false),
});

export const loadListRowSchema = z.object({
  id: z.string(),
  loadNumber: z.string(),
  status: z.enum(LOAD_STATUSES),
  customerId: z.string(),
  customerName: z.string(),
  carrierId: z.string().nullable(),
  carrierName: z.string().nullable(),
  originCity: z.string(),
  originState: stateSchema,
  pickupStart: z.string(),
  destCity: z.string(),
  destState: stateSchema,
  deliveryStart: z.string(),
  deliveryEnd: z.string(),
  equipmentType: z.enum(EQUIPMENT_TYPES),
  customerTotalCents: z.number().int(),
  carrierRateCents: z.number().int().nullable(),
  marginCents: z.number().int().nullable(),
  miles: z.number().int().nullable(),
  etaAt: z.string().nullable(),
  late: z.boolean(),
  poNumber: z.string().nullable(),
  bolNumber: z.string().nullable(),
  proNumber: z.string().nullable(),
});
export type LoadListRow = z.output<typeof loadListRowSchema>;

/** The dispatch board's columns, by id, in their default order (the grid and the CSV export share them). */
export const LOAD_BOARD_COLUMNS = [
  'loadNumber',
  'status',
  'customerName',
  'carrierName',
  'origin',
  'pickupStart',
  'destination',
  'deliveryStart',
  'equipmentType',
  'miles',
  'customerTotalCents',
  'carrierRateCents',
  'marginCents',
  'etaAt',
  'poNumber',
  'bolNumber',
  'proNumber',
] as const;
export type LoadBoardColumn = (typeof LOAD_BOARD_COLUMNS)[number];

export const loadViewSchema = loadRowSchema.extend({
  customerName: z.string(),
  carrierName: z.string().nullable(),
  late: z.boolean(),
  /** Rate per mile in cents, each side; null without miles or rate. */
  customerRpmCents: z.number().int().nullable(),
  carrierRpmCents: z.number().int().nullable(),
});
export type LoadView = z.output<typeof loadViewSchema>;

export const loadEventViewSchema = loadEventRowSchema.extend({ actorName: z.string().nullable() });

const rankedSchema = z.object({
  carrierId: z.string(),
  companyName: z.string(),
  mcNumber: z.string().nullable(),
  phone: z.string().nullable(),
  score: z.number(),
  reasons: z.array(z.string()),
  laneLoads: z.number().int(),
});
const excludedSchema = z.object({ carrierId: z.string(), companyName: z.string(), mcNumber: z.string().nullable(), problems: z.array(z.string()) });

const saved = z.object({ id: z.string(), version: z.number().int(), loadNumber: z.string() });
const placeSchema = z.object({ zip: z.string(), city: z.string(), state: z.string() });
const optionSchema = z.object({ id: z.string(), name: z.string(), detail: z.string() });

/** Transitions a dispatcher records by hand; booking and cancelling have their own commands. */
export const MANUAL_TRANSITIONS = ['DISPATCHED', 'IN_TRANSIT', 'DELIVERED', 'INVOICED', 'CLOSED'] as const;

export const loadCommands = {
  'loads.list': query({
    summary: 'The dispatch board: loads filtered, searched, sorted and windowed in the engine',
    input: listInputSchema(LOAD_SORT_FIELDS).extend(loadListFiltersSchema.shape),
    output: listOutputSchema(loadListRowSchema),
    access: 'loads.read',
  }),
  'loads.exportCsv': query({
    summary: 'The board as it is filtered and sorted, as CSV',
    input: listInputSchema(LOAD_SORT_FIELDS)
      .omit({ offset: true, limit: true })
      .extend(loadListFiltersSchema.shape)
      .extend({
        /** The board's visible columns, in its order; the file has the same columns. */
        columns: z
          .array(z.enum(LOAD_BOARD_COLUMNS))
          .min(1, 'Show at least one column to export')
          .refine((c) => new Set(c).size === c.length, 'A column is named twice')
          .default([...LOAD_BOARD_COLUMNS]),
      }),
    output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
    access: 'loads.read',
  }),
  'loads.get': query({
    summary: 'One load with its customer, carrier, late flag and rates per mile',
    input: byIdSchema,
    output: loadViewSchema,
    access: 'loads.read',
  }),
  'loads.events': query({
    summary: "A load's tracking timeline, oldest first",
    input: byIdSchema,
    output: z.array(loadEventViewSchema),
    access: 'loads.read',
  }),
  'loads.matches': query({
    summary: 'Compliant carriers ranked for a load, with reasons; non-compliant ones apart',
    input: byIdSchema,
    output: z.object({
      ranked: z.array(rankedSchema),
      excluded: z.array(excludedSchema),
      rankedTotal: z.number().int(),
      excludedTotal: z.number().int(),
    }),
    access: 'loads.read',
  }),
  'loads.estimate': query({
    summary: 'Estimated road miles between two ZIP codes, offline',
    input: z.object({ originZip: zipSchema, destZip: zipSchema }),
    output: z.object({ miles: z.number().int().nullable(), origin: placeSchema.nullable(), destination: placeSchema.nullable() }),
    access: 'loads.read',
  }),
  'places.zip': query({
    summary: 'The city and state of a ZIP code (for filling in addresses)',
    input: z.object({ zip: zipSchema }),
    output: placeSchema.nullable(),
    access: 'signedIn',
  }),
  'customers.options': query({
    summary: 'Customers matching a few typed letters, for pickers',
    input: z.object({ search: z.string().trim().max(100).default(''), statuses: z.array(z.enum(CUSTOMER_STATUSES)).default([]) }),
    output: z.array(optionSchema),
    access: 'customers.read',
  }),
  'carriers.options': query({
    summary: 'Carriers matching a few typed letters, for pickers',
    input: z.object({ search: z.string().trim().max(100).default('') }),
    output: z.array(optionSchema),
    access: 'carriers.read',
  }),
  'customers.credit': query({
    summary: "A customer's credit limit and current exposure",
    input: byIdSchema,
    output: z.object({ limitCents: z.number().int(), exposureCents: z.number().int(), availableCents: z.number().int() }),
    access: 'customers.read',
  }),
  'loads.create': mutation({
    summary: 'Enter a load (PENDING); its number comes from the workstation\'s block',
    input: loadFieldsSchema.extend({ id: idSchema.optional() }),
    args: loadFieldsSchema.extend({ id: idSchema, loadNumber: z.string().regex(/^L\d+$/) }),
    numbers: { loadNumber: 'LOAD' },
    output: saved,
    access: 'loads.write',
  }),
  'loads.update': mutation({
    summary: "Change a load's details (stops, cargo, rates, references)",
    input: loadFieldsSchema.extend({ id: idSchema, expectedVersion: versionSchema }),
    args: loadFieldsSchema.extend({ id: idSchema, expectedVersion: versionSchema }),
    output: saved,
    access: 'loads.write',
  }),
  'loads.book': mutation({
    summary: 'Book a compliant carrier at an agreed rate (PENDING → BOOKED)',
    input: z.object({ id: idSchema, expectedVersion: versionSchema, carrierId: idSchema, carrierRateCents: nonNegativeCentsSchema, note: optionalText('the note', 500) }),
    args: z.object({ id: idSchema, expectedVersion: versionSchema, carrierId: idSchema, carrierRateCents: nonNegativeCentsSchema, note: optionalText('the note', 500) }),
    output: saved,
    access: 'loads.book',
  }),
  'loads.overrideCredit': mutation({
    summary: "A controller's credit override for one load, with the reason",
    input: z.object({ id: idSchema, expectedVersion: versionSchema, reason: z.string().trim().min(10, 'Give the reason in a sentence (at least 10 characters)').max(500) }),
    args: z.object({ id: idSchema, expectedVersion: versionSchema, reason: z.string().trim().min(10).max(500) }),
    output: saved,
    access: 'credit.override',
  }),
  'loads.transition': mutation({
    summary: 'Record dispatch, pickup, delivery, invoicing or closing',
    input: z.object({
      id: idSchema,
      expectedVersion: versionSchema,
      to: z.enum(MANUAL_TRANSITIONS),
      occurredAt: localDateTimeSchema,
      location: locationSchema.nullable().default(null),
      note: optionalText('the note', 500),
    }),
    args: z.object({
      id: idSchema,
      expectedVersion: versionSchema,
      to: z.enum(MANUAL_TRANSITIONS),
      occurredAt: localDateTimeSchema,
      location: locationSchema.nullable(),
      note: optionalText('the note', 500),
    }),
    output: saved,
    access: 'loads.write',
  }),
  'loads.cancel': mutation({
    summary: 'Cancel a load (a TONU charge only after dispatch)',
    input: z.object({
      id: idSchema,
      expectedVersion: versionSchema,
      reason: z.string().trim().min(3, 'Say why the load is cancelled').max(500),
      tonuCents: nonNegativeCentsSchema.nullable().default(null),
    }),
    args: z.object({ id: idSchema, expectedVersion: versionSchema, reason: z.string().trim().min(3).max(500), tonuCents: nonNegativeCentsSchema.nullable() }),
    output: saved,
    access: 'loads.write',
  }),
  'loads.checkCall': mutation({
    summary: 'Log a check call: location, status, ETA, note',
    input: z.object({
      id: idSchema,
      location: locationSchema,
      status: z.enum(CHECK_CALL_STATUSES, { error: 'Choose how the load is doing' }),
      etaAt: localDateTimeSchema.nullable().default(null),
      occurredAt: localDateTimeSchema.nullable().default(null),
      note: optionalText('the note', 500),
    }),
    args: z.object({
      id: idSchema,
      location: locationSchema,
      status: z.enum(CHECK_CALL_STATUSES),
      etaAt: localDateTimeSchema.nullable(),
      occurredAt: localDateTimeSchema.nullable(),
      note: optionalText('the note', 500),
    }),
    output: saved,
    access: 'loads.write',
  }),
} as const;
