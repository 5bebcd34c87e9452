import { z } from 'zod';
import { idSchema, stateSchema, versionSchema } from '../domain/fields.ts';
import {
  CUSTOMER_STATUSES,
  PAYMENT_TERMS,
  customerCreateFieldsSchema,
  customerFieldsSchema,
  customerRowSchema,
} from '../domain/customers/schema.ts';
import { mutation, query } from './define.ts';
import { byIdSchema, listInputSchema, listOutputSchema } from './list.ts';

export const CUSTOMER_SORT_FIELDS = [
  'companyName',
  'contactName',
  'email',
  'billingEmail',
  'phone',
  'city',
  'state',
  'creditLimitCents',
  'paymentTerms',
  'status',
  'updatedAt',
] as const;

export const customerListRowSchema = z.object({
  id: z.string(),
  companyName: z.string(),
  contactName: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  billingEmail: z.string(),
  city: z.string(),
  state: stateSchema,
  creditLimitCents: z.number().int(),
  paymentTerms: z.enum(PAYMENT_TERMS),
  status: z.enum(CUSTOMER_STATUSES),
  updatedAt: z.string(),
});
export type CustomerListRow = z.output<typeof customerListRowSchema>;

const saved = z.object({ id: z.string(), version: z.number().int() });

export const customerCommands = {
  'customers.list': query({
    summary: 'Customers, searched, filtered, sorted and windowed in the engine',
    input: listInputSchema(CUSTOMER_SORT_FIELDS).extend({
      statuses: z.array(z.enum(CUSTOMER_STATUSES)).default([]),
      /** Only customers on these payment terms; none chosen means any terms. */
      paymentTerms: z.array(z.enum(PAYMENT_TERMS)).default([]),
    }),
    output: listOutputSchema(customerListRowSchema),
    access: 'customers.read',
  }),
  'customers.get': query({
    summary: 'One customer, every field',
    input: byIdSchema,
    output: customerRowSchema,
    access: 'customers.read',
  }),
  'customers.create': mutation({
    summary: 'Add a customer (credit limits above $0 need a controller)',
    input: customerCreateFieldsSchema.extend({ id: idSchema.optional() }),
    args: customerFieldsSchema.extend({ id: idSchema }),
    output: saved,
    access: 'customers.write',
  }),
  'customers.update': mutation({
    summary: "Change a customer's details (credit limit changes need a controller)",
    input: customerFieldsSchema.extend({ id: idSchema, expectedVersion: versionSchema }),
    args: customerFieldsSchema.extend({ id: idSchema, expectedVersion: versionSchema }),
    output: saved,
    access: 'customers.write',
  }),
  'customers.setStatus': mutation({
    summary: 'Put a customer on credit hold, release it, or deactivate it',
    input: z.object({ id: idSchema, expectedVersion: versionSchema, status: z.enum(CUSTOMER_STATUSES) }),
    args: z.object({ id: idSchema, expectedVersion: versionSchema, status: z.enum(CUSTOMER_STATUSES) }),
    output: saved,
    access: 'customers.write',
  }),
} as const;
