import { z } from 'zod';
import { idSchema, stateSchema, versionSchema } from '../domain/fields.ts';
import {
  AUTHORITY_STATUSES,
  CARRIER_STATUSES,
  EQUIPMENT_TYPES,
  bankAccountInputSchema,
  carrierFieldsSchema,
  carrierViewSchema,
} from '../domain/carriers/schema.ts';
import { mutation, query } from './define.ts';
import { byIdSchema, listInputSchema, listOutputSchema } from './list.ts';

export const CARRIER_SORT_FIELDS = [
  'companyName',
  'contactName',
  'email',
  'phone',
  'mcNumber',
  'dotNumber',
  'city',
  'state',
  'rating',
  'status',
  'insuranceExpiresOn',
  'updatedAt',
] as const;

export const carrierListRowSchema = z.object({
  id: z.string(),
  companyName: z.string(),
  contactName: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  mcNumber: z.string().nullable(),
  dotNumber: z.string(),
  city: z.string().nullable(),
  state: stateSchema.nullable(),
  equipmentTypes: z.array(z.enum(EQUIPMENT_TYPES)),
  serviceAreas: z.array(stateSchema),
  rating: z.number(),
  status: z.enum(CARRIER_STATUSES),
  authorityStatus: z.enum(AUTHORITY_STATUSES),
  /** The earliest expiry among the carrier's policies, null when it has none. */
  insuranceExpiresOn: z.string().nullable(),
  bankAccountLast4: z.string().nullable(),
  updatedAt: z.string(),
});
export type CarrierListRow = z.output<typeof carrierListRowSchema>;

const saved = z.object({ id: z.string(), version: z.number().int() });

export const carrierCommands = {
  'carriers.list': query({
    summary: 'Carriers, searched, filtered, sorted and windowed in the engine',
    input: listInputSchema(CARRIER_SORT_FIELDS).extend({
      statuses: z.array(z.enum(CARRIER_STATUSES)).default([]),
      equipmentType: z.enum(EQUIPMENT_TYPES).nullable().default(null),
      serviceArea: stateSchema.nullable().default(null),
    }),
    output: listOutputSchema(carrierListRowSchema),
    access: 'carriers.read',
  }),
  'carriers.get': query({
    summary: 'One carrier, every field (the bank account number only as its last four digits)',
    input: byIdSchema,
    output: carrierViewSchema,
    access: 'carriers.read',
  }),
  'carriers.create': mutation({
    summary: 'Add a carrier, optionally with its bank account',
    input: carrierFieldsSchema.extend({
      id: idSchema.optional(),
      bankAccount: bankAccountInputSchema.nullable().default(null),
    }),
    args: carrierFieldsSchema.extend({ id: idSchema, bankAccount: bankAccountInputSchema.nullable() }),
    output: saved,
    access: 'carriers.write',
    secretArgs: true,
  }),
  'carriers.update': mutation({
    summary: "Change a carrier's details, insurance, equipment and service areas",
    input: carrierFieldsSchema.extend({ id: idSchema, expectedVersion: versionSchema }),
    args: carrierFieldsSchema.extend({ id: idSchema, expectedVersion: versionSchema }),
    output: saved,
    access: 'carriers.write',
  }),
  'carriers.setStatus': mutation({
    summary: 'Activate, hold or deactivate a carrier',
    input: z.object({ id: idSchema, expectedVersion: versionSchema, status: z.enum(CARRIER_STATUSES) }),
    args: z.object({ id: idSchema, expectedVersion: versionSchema, status: z.enum(CARRIER_STATUSES) }),
    output: saved,
    access: 'carriers.write',
  }),
  'carriers.setBankAccount': mutation({
    summary: "Replace or remove a carrier's bank account",
    input: z.object({ id: idSchema, expectedVersion: versionSchema, bankAccount: bankAccountInputSchema.nullable() }),
    args: z.object({ id: idSchema, expectedVersion: versionSchema, bankAccount: bankAccountInputSchema.nullable() }),
    output: saved,
    access: 'carriers.bank.write',
    secretArgs: true,
  }),
  'carriers.revealBankAccount': query({
    summary: "Show a carrier's full bank account number (roles that pay only; the reveal is audited)",
    input: byIdSchema,
    output: z.object({ accountNumber: z.string() }),
    access: 'carriers.bank.reveal',
  }),
} as const;
