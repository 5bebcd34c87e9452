import { z } from 'zod';
import {
  addressSchema,
  emailSchema,
  idSchema,
  instantSchema,
  optionalPhoneSchema,
  optionalText,
  requiredText,
  versionSchema,
} from '../fields.ts';
import { nonNegativeCentsSchema } from '../money.ts';

export const PAYMENT_TERMS = ['DUE_ON_RECEIPT', 'NET_15', 'NET_30', 'NET_45', 'NET_60'] as const;
export type PaymentTerms = (typeof PAYMENT_TERMS)[number];
export const PAYMENT_TERMS_LABELS: Record<PaymentTerms, string> = {
  DUE_ON_RECEIPT: 'Due on receipt',
  NET_15: 'Net 15',
  NET_30: 'Net 30',
  NET_45: 'Net 45',
  NET_60: 'Net 60',
};
/** Days from invoice date to due date. */
export const PAYMENT_TERMS_DAYS: Record<PaymentTerms, number> = {
  DUE_ON_RECEIPT: 0,
  NET_15: 15,
  NET_30: 30,
  NET_45: 45,
  NET_60: 60,
};

export const CUSTOMER_STATUSES = ['ACTIVE', 'ON_HOLD', 'INACTIVE'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/** Documents an invoice packet must carry before the customer can be billed (DOMAIN §3). */
export const BILLING_DOCUMENTS = ['POD', 'BOL', 'RATE_CONFIRMATION', 'LUMPER_RECEIPT', 'WEIGHT_TICKET'] as const;
export type BillingDocument = (typeof BILLING_DOCUMENTS)[number];
export const BILLING_DOCUMENT_LABELS: Record<BillingDocument, string> = {
  POD: 'Proof of delivery',
  BOL: 'Bill of lading',
  RATE_CONFIRMATION: 'Rate confirmation',
  LUMPER_RECEIPT: 'Lumper receipt',
  WEIGHT_TICKET: 'Weight ticket',
};

/** Another person at the customer (AP, shipping, the buyer): whom to call about what. */
export const customerContactSchema = z.object({
  name: requiredText('the contact name', 120),
  title: optionalText('the title', 80),
  email: z.union([z.literal(''), emailSchema]).transform((v) => (v === '' ? null : v)).or(z.null()).default(null),
  phone: optionalPhoneSchema,
});
export type CustomerContact = z.output<typeof customerContactSchema>;

export const customerFieldsSchema = z.object({
  companyName: requiredText('the company name', 200),
  contactName: requiredText('a contact name', 120),
  email: emailSchema,
  phone: optionalPhoneSchema,
  contacts: z.array(customerContactSchema).max(20, 'At most 20 other contacts').default([]),
  billingEmail: emailSchema,
  billingAddress: addressSchema,
  shippingAddress: addressSchema.nullable().default(null),
  creditLimitCents: nonNegativeCentsSchema,
  paymentTerms: z.enum(PAYMENT_TERMS, { error: 'Choose payment terms' }),
  requiredDocuments: z
    .array(z.enum(BILLING_DOCUMENTS))
    .default(['POD'])
    .transform((docs) => [...new Set(docs)]),
  notes: optionalText('notes', 2000),
});
export type CustomerFields = z.output<typeof customerFieldsSchema>;

/**
 * Adding a customer: no credit until a controller grants it, and Net 30 terms (the platform's
 * defaults, seed/platform-architecture.md). Only on create: an update names both, so a field left
 * out can never reset what the customer already has.
 */
export const customerCreateFieldsSchema = customerFieldsSchema.extend({
  creditLimitCents: nonNegativeCentsSchema.default(0),
  paymentTerms: z.enum(PAYMENT_TERMS, { error: 'Choose payment terms' }).default('NET_30'),
});

export const customerRowSchema = z.object({
  id: idSchema,
  companyName: z.string(),
  contactName: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  contacts: z.array(customerContactSchema),
  billingEmail: z.string(),
  billingAddress: addressSchema,
  shippingAddress: addressSchema.nullable(),
  creditLimitCents: z.number().int(),
  paymentTerms: z.enum(PAYMENT_TERMS),
  status: z.enum(CUSTOMER_STATUSES),
  requiredDocuments: z.array(z.enum(BILLING_DOCUMENTS)),
  notes: z.string().nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  version: versionSchema,
});
export type CustomerRow = z.output<typeof customerRowSchema>;
