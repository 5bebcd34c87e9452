import { z } from 'zod';
import {
  addressSchema,
  businessDateSchema,
  emailSchema,
  idSchema,
  instantSchema,
  optionalPhoneSchema,
  optionalText,
  requiredText,
  stateSchema,
  versionSchema,
} from '../fields.ts';
import { nonNegativeCentsSchema } from '../money.ts';
import { routingNumberProblem } from '../validation/aba-routing.ts';
import {
  dotNumberProblem,
  mcNumberProblem,
  normalizeDotNumber,
  normalizeMcNumber,
} from '../validation/carrier-numbers.ts';

export const EQUIPMENT_TYPES = [
  'DRY_VAN',
  'REEFER',
  'FLATBED',
  'STEP_DECK',
  'POWER_ONLY',
  'CONESTOGA',
  'LOWBOY',
  'HOTSHOT',
  'BOX_TRUCK',
  'TANKER',
  'CONTAINER',
] as const;
export type EquipmentType = (typeof EQUIPMENT_TYPES)[number];
export const EQUIPMENT_LABELS: Record<EquipmentType, string> = {
  DRY_VAN: 'Dry van',
  REEFER: 'Reefer',
  FLATBED: 'Flatbed',
  STEP_DECK: 'Step deck',
  POWER_ONLY: 'Power only',
  CONESTOGA: 'Conestoga',
  LOWBOY: 'Lowboy / RGN',
  HOTSHOT: 'Hotshot',
  BOX_TRUCK: 'Box truck',
  TANKER: 'Tanker',
  CONTAINER: 'Container',
};
export const equipmentTypeSchema = z.enum(EQUIPMENT_TYPES, { error: 'Choose an equipment type' });

export const CARRIER_STATUSES = ['ACTIVE', 'ON_HOLD', 'INACTIVE'] as const;
export type CarrierStatus = (typeof CARRIER_STATUSES)[number];

/** Operating authority as FMCSA shows it; only ACTIVE authority may haul brokered freight. */
export const AUTHORITY_STATUSES = ['ACTIVE', 'INACTIVE', 'REVOKED'] as const;
export type AuthorityStatus = (typeof AUTHORITY_STATUSES)[number];

export const INSURANCE_TYPES = ['AUTO_LIABILITY', 'CARGO', 'GENERAL_LIABILITY', 'WORKERS_COMP'] as const;
export type InsuranceType = (typeof INSURANCE_TYPES)[number];
export const INSURANCE_LABELS: Record<InsuranceType, string> = {
  AUTO_LIABILITY: 'Auto liability',
  CARGO: 'Cargo',
  GENERAL_LIABILITY: 'General liability',
  WORKERS_COMP: "Workers' comp",
};

export const insurancePolicySchema = z.object({
  type: z.enum(INSURANCE_TYPES, { error: 'Choose the kind of policy' }),
  insurer: requiredText('the insurer', 120),
  policyNumber: requiredText('the policy number', 60),
  coverageCents: nonNegativeCentsSchema.refine((v) => v > 0, 'Enter the coverage amount'),
  expiresOn: businessDateSchema,
});
export type InsurancePolicy = z.output<typeof insurancePolicySchema>;

export const factoringCompanySchema = z.object({
  name: requiredText('the factoring company', 200),
  remitToAddress: addressSchema,
  /** Date the notice of assignment was received; payments go to the factor only when it is on file. */
  noticeOfAssignmentOn: businessDateSchema.nullable().default(null),
});
export type FactoringCompany = z.output<typeof factoringCompanySchema>;

const mcNumberInput = z
  .string()
  .transform(normalizeMcNumber)
  .superRefine((digits, ctx) => {
    if (digits === '') return;
    const problem = mcNumberProblem(digits);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((digits) => (digits === '' ? null : digits));

const dotNumberInput = z
  .string({ error: 'Enter the USDOT number' })
  .transform(normalizeDotNumber)
  .superRefine((digits, ctx) => {
    const problem = digits === '' ? 'Enter the USDOT number' : dotNumberProblem(digits);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const carrierFieldsSchema = z.object({
  companyName: requiredText('the company name', 200),
  contactName: requiredText('a contact name', 120),
  email: emailSchema,
  phone: optionalPhoneSchema,
  mcNumber: z.union([mcNumberInput, z.null()]).default(null),
  dotNumber: dotNumberInput,
  authorityStatus: z.enum(AUTHORITY_STATUSES).default('ACTIVE'),
  address: addressSchema.nullable().default(null),
  insurancePolicies: z.array(insurancePolicySchema).max(20, 'At most 20 policies').default([]),
  equipmentTypes: z
    .array(equipmentTypeSchema)
    .min(1, 'Choose at least one equipment type')
    .transform((v) => [...new Set(v)]),
  serviceAreas: z.array(stateSchema).transform((v) => [...new Set(v)].sort()).default([]),
  rating: z
    .number({ error: 'Enter a rating from 0 to 5' })
    .min(0, 'Ratings go from 0 to 5')
    .max(5, 'Ratings go from 0 to 5')
    .transform((v) => Math.round(v * 100) / 100)
    .default(0),
  remitToAddress: addressSchema.nullable().default(null),
  factoringCompany: factoringCompanySchema.nullable().default(null),
  notes: optionalText('notes', 2000),
});
export type CarrierFields = z.output<typeof carrierFieldsSchema>;

export const BANK_ACCOUNT_TYPES = ['CHECKING', 'SAVINGS'] as const;
export type BankAccountType = (typeof BANK_ACCOUNT_TYPES)[number];

/** A bank account as typed in; the account number is sealed by the store and never kept in clear. */
export const bankAccountInputSchema = z.object({
  routingNumber: z
    .string({ error: 'Enter the routing number' })
    .trim()
    .superRefine((v, ctx) => {
      const problem = routingNumberProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  accountNumber: z
    .string({ error: 'Enter the account number' })
    .trim()
    .regex(/^\d{4,17}$/, 'An account number has 4 to 17 digits'),
  accountType: z.enum(BANK_ACCOUNT_TYPES, { error: 'Choose checking or savings' }),
  holderName: requiredText('the account holder name', 120),
});
export type BankAccountInput = z.output<typeof bankAccountInputSchema>;

export const carrierRowSchema = z.object({
  id: idSchema,
  companyName: z.string(),
  contactName: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  mcNumber: z.string().nullable(),
  dotNumber: z.string(),
  authorityStatus: z.enum(AUTHORITY_STATUSES),
  address: addressSchema.nullable(),
  insurancePolicies: z.array(insurancePolicySchema),
  equipmentTypes: z.array(equipmentTypeSchema),
  serviceAreas: z.array(stateSchema),
  rating: z.number(),
  status: z.enum(CARRIER_STATUSES),
  remitToAddress: addressSchema.nullable(),
  factoringCompany: factoringCompanySchema.nullable(),
  bankRoutingNumber: z.string().nullable(),
  bankAccountSealed: z.string().nullable(),
  bankAccountLast4: z.string().nullable(),
  bankAccountType: z.enum(BANK_ACCOUNT_TYPES).nullable(),
  bankAccountHolder: z.string().nullable(),
  bankChangedAt: instantSchema.nullable(),
  /** Deliveries with us, and how many were on time: kept by the delivery rule, used by matching. */
  loadsDelivered: z.number().int(),
  loadsOnTime: z.number().int(),
  notes: z.string().nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  version: versionSchema,
});
export type CarrierRow = z.output<typeof carrierRowSchema>;

/** What leaves the engine: the sealed account number never does; the last four digits do. */
export const carrierViewSchema = carrierRowSchema.omit({ bankAccountSealed: true });
export type CarrierView = z.output<typeof carrierViewSchema>;

export function maskAccountNumber(last4: string | null): string {
  return last4 ? `••••${last4}` : '';
}
