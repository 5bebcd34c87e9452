import { z } from 'zod';
import { equipmentTypeSchema } from '../carriers/schema.ts';
import {
  idSchema,
  instantSchema,
  isCalendarDate,
  optionalText,
  requiredText,
  stateSchema,
  versionSchema,
  zipSchema,
} from '../fields.ts';
import { nonNegativeCentsSchema } from '../money.ts';

export const LOAD_STATUSES = ['PENDING', 'BOOKED', 'DISPATCHED', 'IN_TRANSIT', 'DELIVERED', 'INVOICED', 'CLOSED', 'CANCELLED'] as const;
export type LoadStatus = (typeof LOAD_STATUSES)[number];
export const LOAD_STATUS_LABELS: Record<LoadStatus, string> = {
  PENDING: 'Pending',
  BOOKED: 'Booked',
  DISPATCHED: 'Dispatched',
  IN_TRANSIT: 'In transit',
  DELIVERED: 'Delivered',
  INVOICED: 'Invoiced',
  CLOSED: 'Closed',
  CANCELLED: 'Cancelled',
};

/**
 * Appointment times are the facility's local wall-clock time, `YYYY-MM-DDTHH:mm`, as shippers and
 * receivers give them; ETAs from check calls are in the receiver's local time too, so the two
 * compare directly.
 */
export const localDateTimeSchema = z
  .string({ error: 'Enter a date and time' })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Enter a date and time')
  .refine((v) => isCalendarDate(v.slice(0, 10)) && Number(v.slice(11, 13)) < 24 && Number(v.slice(14, 16)) < 60, 'That date or time does not exist');

export const stopSchema = z
  .object({
    line1: requiredText('a street address'),
    line2: optionalText('address line 2', 200),
    city: requiredText('a city', 100),
    state: stateSchema,
    zip: zipSchema,
    windowStart: localDateTimeSchema,
    windowEnd: localDateTimeSchema,
  })
  .refine((s) => s.windowEnd >= s.windowStart, { path: ['windowEnd'], message: 'The window must end after it starts' });
export type Stop = z.output<typeof stopSchema>;

export const ACCESSORIAL_CODES = ['DETENTION', 'LUMPER', 'LAYOVER', 'STOP_OFF', 'DRIVER_ASSIST', 'TONU', 'OTHER'] as const;
export type AccessorialCode = (typeof ACCESSORIAL_CODES)[number];
export const ACCESSORIAL_LABELS: Record<AccessorialCode, string> = {
  DETENTION: 'Detention',
  LUMPER: 'Lumper',
  LAYOVER: 'Layover',
  STOP_OFF: 'Stop-off',
  DRIVER_ASSIST: 'Driver assist',
  TONU: 'Truck ordered, not used',
  OTHER: 'Other',
};

export const accessorialSchema = z.object({
  code: z.enum(ACCESSORIAL_CODES, { error: 'Choose the kind of charge' }),
  description: optionalText('the description', 120),
  amountCents: nonNegativeCentsSchema.refine((v) => v > 0, 'Enter the amount'),
});
export type Accessorial = z.output<typeof accessorialSchema>;

const optionalInt = (label: string, max: number) =>
  z
    .number({ error: `Enter ${label} as a whole number` })
    .int(`Enter ${label} as a whole number`)
    .min(1, `${label.charAt(0).toUpperCase()}${label.slice(1)} must be at least 1`)
    .max(max, `That ${label} is more than ${String(max)}`)
    .nullable()
    .default(null);

export const cargoSchema = z
  .object({
    commodity: requiredText('the commodity', 120),
    weightLbs: z
      .number({ error: 'Enter the weight in pounds' })
      .int('Enter the weight in whole pounds')
      .min(1, 'Enter the weight in pounds')
      .max(200_000, 'More than 200,000 lb needs a heavy-haul permit load; check the weight'),
    pieces: z.number({ error: 'Enter the piece count' }).int('Enter whole pieces').min(1, 'At least one piece').max(100_000, 'Check the piece count'),
    lengthIn: optionalInt('length', 1200),
    widthIn: optionalInt('width', 240),
    heightIn: optionalInt('height', 240),
    hazmat: z.boolean().default(false),
    hazmatUnNumber: z
      .union([z.literal(''), z.null(), z.string().trim().toUpperCase().regex(/^(UN|NA)\d{4}$/, 'A UN number looks like UN1203')])
      .optional()
      .transform((v) => (v === '' || v === undefined ? null : v)),
  })
  .refine((c) => !c.hazmat || c.hazmatUnNumber !== null, { path: ['hazmatUnNumber'], message: 'Hazmat loads need the UN number' });
export type Cargo = z.output<typeof cargoSchema>;

const reference = (label: string) => optionalText(label, 40);

/** The fields a dispatcher enters for a load (DOMAIN §2). */
export const loadFieldsSchema = z
  .object({
    customerId: idSchema,
    origin: stopSchema,
    destination: stopSchema,
    cargo: cargoSchema,
    equipmentType: equipmentTypeSchema,
    linehaulCents: nonNegativeCentsSchema,
    fuelSurchargeCents: nonNegativeCentsSchema.default(0),
    accessorials: z.array(accessorialSchema).max(20, 'At most 20 accessorial charges').default([]),
    /** The buy rate the dispatcher is aiming for; the rate actually agreed is fixed at booking. */
    targetCarrierRateCents: nonNegativeCentsSchema.nullable().default(null),
    poNumber: reference('the PO number'),
    bolNumber: reference('the BOL number'),
    proNumber: reference('the PRO number'),
    notes: optionalText('notes', 4000),
  })
  .refine((l) => l.destination.windowEnd >= l.origin.windowStart, {
    path: ['destination', 'windowEnd'],
    message: 'Delivery must come after pickup',
  });
export type LoadFields = z.output<typeof loadFieldsSchema>;

/** What was agreed when the carrier was booked: kept as it was, whatever changes later. */
export const rateAtTenderSchema = z.object({
  carrierId: z.string(),
  carrierName: z.string(),
  carrierRateCents: z.number().int(),
  customerTotalCents: z.number().int(),
  linehaulCents: z.number().int(),
  fuelSurchargeCents: z.number().int(),
  accessorials: z.array(accessorialSchema),
  miles: z.number().int().nullable(),
  tenderedAt: instantSchema,
  tenderedByUserId: z.string(),
});
export type RateAtTender = z.output<typeof rateAtTenderSchema>;

export const creditOverrideSchema = z.object({
  byUserId: z.string(),
  reason: z.string(),
  /** Exposure and limit when the controller decided, for the record. */
  exposureCents: z.number().int(),
  limitCents: z.number().int(),
  at: instantSchema,
});
export type CreditOverride = z.output<typeof creditOverrideSchema>;

/** The stored load: one flat row, so the board can filter and sort on indexed columns. */
export const loadRowSchema = z.object({
  id: idSchema,
  loadNumber: z.string(),
  customerId: z.string(),
  carrierId: z.string().nullable(),
  status: z.enum(LOAD_STATUSES),
  originLine1: z.string(),
  originLine2: z.string().nullable(),
  originCity: z.string(),
  originState: stateSchema,
  originZip: z.string(),
  pickupStart: z.string(),
  pickupEnd: z.string(),
  destLine1: z.string(),
  destLine2: z.string().nullable(),
  destCity: z.string(),
  destState: stateSchema,
  destZip: z.string(),
  deliveryStart: z.string(),
  deliveryEnd: z.string(),
  commodity: z.string(),
  weightLbs: z.number().int(),
  pieces: z.number().int(),
  lengthIn: z.number().int().nullable(),
  widthIn: z.number().int().nullable(),
  heightIn: z.number().int().nullable(),
  hazmat: z.boolean(),
  hazmatUnNumber: z.string().nullable(),
  equipmentType: equipmentTypeSchema,
  linehaulCents: z.number().int(),
  fuelSurchargeCents: z.number().int(),
  accessorials: z.array(accessorialSchema),
  customerTotalCents: z.number().int(),
  targetCarrierRateCents: z.number().int().nullable(),
  carrierRateCents: z.number().int().nullable(),
  marginCents: z.number().int().nullable(),
  miles: z.number().int().nullable(),
  poNumber: z.string().nullable(),
  bolNumber: z.string().nullable(),
  proNumber: z.string().nullable(),
  notes: z.string().nullable(),
  rateAtTender: rateAtTenderSchema.nullable(),
  creditOverride: creditOverrideSchema.nullable(),
  etaAt: z.string().nullable(),
  lastLocationCity: z.string().nullable(),
  lastLocationState: stateSchema.nullable(),
  lastCheckCallAt: z.string().nullable(),
  pickedUpAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  tonuCents: z.number().int().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  version: versionSchema,
});
export type LoadRow = z.output<typeof loadRowSchema>;

export const LOAD_EVENT_TYPES = [
  'CREATED',
  'UPDATED',
  'CREDIT_OVERRIDE',
  'BOOKED',
  'DISPATCHED',
  'PICKED_UP',
  'DELIVERED',
  'INVOICED',
  'CLOSED',
  'CANCELLED',
  'CHECK_CALL',
] as const;
export type LoadEventType = (typeof LOAD_EVENT_TYPES)[number];

export const CHECK_CALL_STATUSES = ['ON_SCHEDULE', 'AT_SHIPPER', 'LOADED', 'EN_ROUTE', 'DELAYED', 'AT_RECEIVER', 'BREAKDOWN'] as const;
export type CheckCallStatus = (typeof CHECK_CALL_STATUSES)[number];
export const CHECK_CALL_LABELS: Record<CheckCallStatus, string> = {
  ON_SCHEDULE: 'On schedule',
  AT_SHIPPER: 'At shipper',
  LOADED: 'Loaded',
  EN_ROUTE: 'En route',
  DELAYED: 'Delayed',
  AT_RECEIVER: 'At receiver',
  BREAKDOWN: 'Breakdown',
};

/** A tracking event: who, when, where, what. Every status change is one. */
export const loadEventRowSchema = z.object({
  id: idSchema,
  loadId: z.string(),
  type: z.enum(LOAD_EVENT_TYPES),
  fromStatus: z.enum(LOAD_STATUSES).nullable(),
  toStatus: z.enum(LOAD_STATUSES).nullable(),
  /** When it was recorded (the clock of whoever recorded it). */
  at: instantSchema,
  /** When it happened at the facility, local time, if the dispatcher gave it. */
  occurredAt: z.string().nullable(),
  actorUserId: z.string(),
  city: z.string().nullable(),
  state: stateSchema.nullable(),
  checkCallStatus: z.enum(CHECK_CALL_STATUSES).nullable(),
  etaAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type LoadEventRow = z.output<typeof loadEventRowSchema>;

export const locationSchema = z.object({ city: requiredText('the city', 100), state: stateSchema });
export type Location = z.output<typeof locationSchema>;

/** L100234: the series letter and the number from the workstation's block. */
export function formatLoadNumber(n: number): string {
  return `L${String(n)}`;
}
