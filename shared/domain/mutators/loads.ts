import type { Args, Out } from '../../contract/index.ts';
import type { CustomerRow } from '../customers/schema.ts';
import { DomainError, fieldError } from '../errors.ts';
import { complianceProblems } from '../loads/compliance.ts';
import { creditExposureCents } from '../loads/credit.ts';
import { deliveredOnTime } from '../loads/late.ts';
import { EDITABLE, EVENT_FOR, TRACKABLE, assertTransition } from '../loads/lifecycle.ts';
import { estimatedRoadMiles } from '../loads/mileage.ts';
import { LOAD_STATUS_LABELS, type LoadEventRow, type LoadFields, type LoadRow, type LoadStatus, type Location } from '../loads/schema.ts';
import { formatCents } from '../money.ts';
import type { TxPort } from '../port.ts';
import { checkVersion, requireRow, revise } from './guards.ts';

type FieldColumns = Omit<
  LoadRow,
  | 'id'
  | 'loadNumber'
  | 'carrierId'
  | 'status'
  | 'carrierRateCents'
  | 'marginCents'
  | 'rateAtTender'
  | 'creditOverride'
  | 'etaAt'
  | 'lastLocationCity'
  | 'lastLocationState'
  | 'lastCheckCallAt'
  | 'pickedUpAt'
  | 'deliveredAt'
  | 'tonuCents'
  | 'cancelReason'
  | 'createdAt'
  | 'updatedAt'
  | 'version'
>;

export function customerTotalCents(f: Pick<LoadFields, 'linehaulCents' | 'fuelSurchargeCents' | 'accessorials'>): number {
  return f.linehaulCents + f.fuelSurchargeCents + f.accessorials.reduce((sum, a) => sum + a.amountCents, 0);
}

/** Estimated road miles between the two ZIPs; null when either ZIP is not in the reference data. */
export function milesBetween(tx: Pick<TxPort, 'zipPlace'>, originZip: string, destZip: string): number | null {
  const a = tx.zipPlace(originZip.slice(0, 5));
  const b = tx.zipPlace(destZip.slice(0, 5));
  return a && b ? estimatedRoadMiles(a, b) : null;
}

function columnsOf(tx: TxPort, f: LoadFields): FieldColumns {
  return {
    customerId: f.customerId,
    originLine1: f.origin.line1,
    originLine2: f.origin.line2,
    originCity: f.origin.city,
    originState: f.origin.state,
    originZip: f.origin.zip,
    pickupStart: f.origin.windowStart,
    pickupEnd: f.origin.windowEnd,
    destLine1: f.destination.line1,
    destLine2: f.destination.line2,
    destCity: f.destination.city,
    destState: f.destination.state,
    destZip: f.destination.zip,
    deliveryStart: f.destination.windowStart,
    deliveryEnd: f.destination.windowEnd,
    commodity: f.cargo.commodity,
    weightLbs: f.cargo.weightLbs,
    pieces: f.cargo.pieces,
    lengthIn: f.cargo.lengthIn,
    widthIn: f.cargo.widthIn,
    heightIn: f.cargo.heightIn,
    hazmat: f.cargo.hazmat,
    hazmatUnNumber: f.cargo.hazmatUnNumber,
    equipmentType: f.equipmentType,
    linehaulCents: f.linehaulCents,
    fuelSurchargeCents: f.fuelSurchargeCents,
    accessorials: f.accessorials,
    customerTotalCents: customerTotalCents(f),
    targetCarrierRateCents: f.targetCarrierRateCents,
    miles: milesBetween(tx, f.origin.zip, f.destination.zip),
    poNumber: f.poNumber,
    bolNumber: f.bolNumber,
    proNumber: f.proNumber,
    notes: f.notes,
  };
}

/** ON_HOLD customers can't get new loads; inactive ones neither (DOMAIN §1). */
async function requireBillableCustomer(tx: TxPort, customerId: string): Promise<CustomerRow> {
  const customer = await tx.get('customers', customerId);
  if (!customer) throw fieldError('NOT_FOUND', 'customerId', 'Choose a customer');
  if (customer.status === 'ON_HOLD') {
    throw new DomainError('CUSTOMER_ON_HOLD', `${customer.companyName} is on credit hold: no new loads until a controller releases the hold.`, {
      customerId: `${customer.companyName} is on credit hold`,
    });
  }
  if (customer.status === 'INACTIVE') {
    throw fieldError('CONFLICT', 'customerId', `${customer.companyName} is inactive; reactivate it first`);
  }
  return customer;
}

interface EventDetails {
  from?: LoadStatus | null;
  to?: LoadStatus | null;
  occurredAt?: string | null;
  location?: Location | null;
  note?: string | null;
  checkCallStatus?: LoadEventRow['checkCallStatus'];
  etaAt?: string | null;
}

async function recordEvent(tx: TxPort, load: Pick<LoadRow, 'id'>, type: LoadEventRow['type'], d: EventDetails = {}): Promise<void> {
  await tx.insert('loadEvents', {
    id: tx.newId(),
    loadId: load.id,
    type,
    fromStatus: d.from ?? null,
    toStatus: d.to ?? null,
    at: tx.now(),
    occurredAt: d.occurredAt ?? null,
    actorUserId: tx.actor.userId,
    city: d.location?.city ?? null,
    state: d.location?.state ?? null,
    checkCallStatus: d.checkCallStatus ?? null,
    etaAt: d.etaAt ?? null,
    note: d.note ?? null,
  });
}

async function requireLoad(tx: TxPort, id: string, expectedVersion?: number): Promise<LoadRow> {
  const load = await requireRow(tx, 'loads', id, 'This load');
  if (expectedVersion !== undefined) checkVersion(load, expectedVersion, `Load ${load.loadNumber}`);
  return load;
}

export async function createLoad(tx: TxPort, a: Args<'loads.create'>): Promise<Out<'loads.create'>> {
  if (await tx.get('loads', a.id)) throw new DomainError('DUPLICATE', 'A load with this id already exists');
  if ((await tx.findBy('loads', 'loadNumber', a.loadNumber)).length > 0) {
    throw new DomainError('DUPLICATE', `Load number ${a.loadNumber} is already taken`);
  }
  await requireBillableCustomer(tx, a.customerId);
  const { id, loadNumber, ...fields } = a;
  const now = tx.now();
  const row: LoadRow = {
    id,
    loadNumber,
    ...columnsOf(tx, fields),
    carrierId: null,
    status: 'PENDING',
    carrierRateCents: null,
    marginCents: null,
    rateAtTender: null,
    creditOverride: null,
    etaAt: null,
    lastLocationCity: null,
    lastLocationState: null,
    lastCheckCallAt: null,
    pickedUpAt: null,
    deliveredAt: null,
    tonuCents: null,
    cancelReason: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await tx.insert('loads', row);
  await recordEvent(tx, row, 'CREATED', { to: 'PENDING' });
  return { id, version: 1, loadNumber };
}

export async function updateLoad(tx: TxPort, a: Args<'loads.update'>): Promise<Out<'loads.update'>> {
  const load = await requireLoad(tx, a.id, a.expectedVersion);
  if (!EDITABLE.includes(load.status)) {
    throw new DomainError('ILLEGAL_TRANSITION', `Load ${load.loadNumber} is ${LOAD_STATUS_LABELS[load.status].toLowerCase()}; its details can't change any more.`);
  }
  const { id: _id, expectedVersion: _v, ...fields } = a;
  if (fields.customerId !== load.customerId) {
    if (load.status !== 'PENDING') throw fieldError('CONFLICT', 'customerId', 'The customer can only change before the load is booked');
    await requireBillableCustomer(tx, fields.customerId);
  }
  const columns = columnsOf(tx, fields);
  const marginCents = load.carrierRateCents === null ? null : columns.customerTotalCents - load.carrierRateCents;
  // A controller approved this customer at this amount; another customer or a bigger bill needs a new approval.
  const overrideWithdrawn = load.creditOverride !== null && (fields.customerId !== load.customerId || columns.customerTotalCents > load.customerTotalCents);
  const next = revise(tx, load, { ...columns, marginCents, ...(overrideWithdrawn ? { creditOverride: null } : {}) });
  await tx.update('loads', next);
  await recordEvent(tx, next, 'UPDATED', {
    note: overrideWithdrawn ? 'Details edited; the credit override no longer applies (the customer or the amount changed)' : 'Details edited',
  });
  return { id: next.id, version: next.version, loadNumber: next.loadNumber };
}

/**
 * Booking (DOMAIN §2 and §1): the carrier must be compliant on the pickup date, the customer not
 * on hold, and the customer's exposure with this load within its credit limit, unless a
 * controller recorded an override on this load. The rate agreed is kept as the rate at tender.
 */
export async function bookLoad(tx: TxPort, a: Args<'loads.book'>): Promise<Out<'loads.book'>> {
  const load = await requireLoad(tx, a.id, a.expectedVersion);
  assertTransition(load, 'BOOKED');
  const customer = await requireBillableCustomer(tx, load.customerId);
  const carrier = await tx.get('carriers', a.carrierId);
  if (!carrier) throw fieldError('NOT_FOUND', 'carrierId', 'Choose a carrier');
  const problems = complianceProblems(carrier, { equipmentType: load.equipmentType, pickupDate: load.pickupStart.slice(0, 10) });
  if (problems.length > 0) {
    const message = `${carrier.companyName} can't haul ${load.loadNumber}: ${problems.join('; ')}.`;
    throw new DomainError('CARRIER_NOT_COMPLIANT', message, { carrierId: problems.join('; ') });
  }
  const exposure = (await creditExposureCents(tx, customer.id)) + load.customerTotalCents;
  if (exposure > customer.creditLimitCents) {
    if (!load.creditOverride) {
      throw new DomainError(
        'CREDIT_LIMIT_EXCEEDED',
        `Booking ${load.loadNumber} takes ${customer.companyName} to ${formatCents(exposure)} of exposure, over its ${formatCents(customer.creditLimitCents)} credit limit. A controller can record a credit override with a reason.`,
      );
    }
    if (exposure > load.creditOverride.exposureCents) {
      throw new DomainError(
        'CREDIT_LIMIT_EXCEEDED',
        `The credit override approved ${customer.companyName} up to ${formatCents(load.creditOverride.exposureCents)} of exposure; booking ${load.loadNumber} now takes it to ${formatCents(exposure)}. A controller must approve the new amount.`,
      );
    }
  }
  const now = tx.now();
  const next = revise(tx, load, {
    status: 'BOOKED',
    carrierId: carrier.id,
    carrierRateCents: a.carrierRateCents,
    marginCents: load.customerTotalCents - a.carrierRateCents,
    rateAtTender: {
      carrierId: carrier.id,
      carrierName: carrier.companyName,
      carrierRateCents: a.carrierRateCents,
      customerTotalCents: load.customerTotalCents,
      linehaulCents: load.linehaulCents,
      fuelSurchargeCents: load.fuelSurchargeCents,
      accessorials: load.accessorials,
      miles: load.miles,
      tenderedAt: now,
      tenderedByUserId: tx.actor.userId,
    },
  });
  await tx.update('loads', next);
  const booked = `Booked with ${carrier.companyName} at ${formatCents(a.carrierRateCents)}`;
  await recordEvent(tx, next, 'BOOKED', { from: load.status, to: 'BOOKED', note: a.note ? `${booked}. ${a.note}` : booked });
  return { id: next.id, version: next.version, loadNumber: next.loadNumber };
}

/**
 * A controller's credit override for one load, with a reason. Segregation of duties (DOMAIN,
 * Roles): whoever created the load can't approve its override.
 */
export async function overrideCredit(tx: TxPort, a: Args<'loads.overrideCredit'>): Promise<Out<'loads.overrideCredit'>> {
  const load = await requireLoad(tx, a.id, a.expectedVersion);
  if (load.status !== 'PENDING') {
    throw new DomainError('ILLEGAL_TRANSITION', `Load ${load.loadNumber} is already ${LOAD_STATUS_LABELS[load.status].toLowerCase()}; an override is for a load not yet booked.`);
  }
  const created = (await tx.findBy('loadEvents', 'loadId', load.id)).find((e) => e.type === 'CREATED');
  if (created?.actorUserId === tx.actor.userId) {
    throw new DomainError('NOT_AUTHORIZED', 'You created this load, so another controller must approve its credit override.');
  }
  const customer = await requireRow(tx, 'customers', load.customerId, 'The customer');
  const exposure = (await creditExposureCents(tx, customer.id)) + load.customerTotalCents;
  const next = revise(tx, load, {
    creditOverride: { byUserId: tx.actor.userId, reason: a.reason, exposureCents: exposure, limitCents: customer.creditLimitCents, at: tx.now() },
  });
  await tx.update('loads', next);
  await recordEvent(tx, next, 'CREDIT_OVERRIDE', {
    note: `Credit override at ${formatCents(exposure)} of exposure against a ${formatCents(customer.creditLimitCents)} limit: ${a.reason}`,
  });
  return { id: next.id, version: next.version, loadNumber: next.loadNumber };
}

export async function transitionLoad(tx: TxPort, a: Args<'loads.transition'>): Promise<Out<'loads.transition'>> {
  const load = await requireLoad(tx, a.id, a.expectedVersion);
  assertTransition(load, a.to);
  const changes: Partial<LoadRow> = { status: a.to };
  if (a.to === 'IN_TRANSIT') changes.pickedUpAt = a.occurredAt;
  if (a.to === 'DELIVERED') {
    changes.deliveredAt = a.occurredAt;
    changes.etaAt = null;
    if (load.carrierId) {
      const carrier = await requireRow(tx, 'carriers', load.carrierId, 'The carrier');
      // Statistics, not an edit: the version stays, so a carrier form open elsewhere is not made stale.
      await tx.update('carriers', {
        ...carrier,
        loadsDelivered: carrier.loadsDelivered + 1,
        loadsOnTime: carrier.loadsOnTime + (deliveredOnTime(load, a.occurredAt) ? 1 : 0),
      });
    }
  }
  if (a.location) {
    changes.lastLocationCity = a.location.city;
    changes.lastLocationState = a.location.state;
  }
  const next = revise(tx, load, changes);
  await tx.update('loads', next);
  await recordEvent(tx, next, EVENT_FOR[a.to], { from: load.status, to: a.to, occurredAt: a.occurredAt, location: a.location, note: a.note });
  return { id: next.id, version: next.version, loadNumber: next.loadNumber };
}

export async function cancelLoad(tx: TxPort, a: Args<'loads.cancel'>): Promise<Out<'loads.cancel'>> {
  const load = await requireLoad(tx, a.id, a.expectedVersion);
  assertTransition(load, 'CANCELLED');
  if (a.tonuCents !== null && load.status !== 'DISPATCHED') {
    throw fieldError('CONFLICT', 'tonuCents', 'A TONU charge applies only once the truck was dispatched');
  }
  const next = revise(tx, load, { status: 'CANCELLED', cancelReason: a.reason, tonuCents: a.tonuCents, etaAt: null });
  await tx.update('loads', next);
  const tonu = a.tonuCents === null ? '' : ` TONU ${formatCents(a.tonuCents)}.`;
  await recordEvent(tx, next, 'CANCELLED', { from: load.status, to: 'CANCELLED', note: `${a.reason}.${tonu}` });
  return { id: next.id, version: next.version, loadNumber: next.loadNumber };
}

/**
 * A check call: where the truck is, how it is going, when it will deliver. Two dispatchers may log
 * calls on the same load at once, so no version is expected; the latest ETA is the load's ETA.
 */
export async function logCheckCall(tx: TxPort, a: Args<'loads.checkCall'>): Promise<Out<'loads.checkCall'>> {
  const load = await requireLoad(tx, a.id);
  if (!TRACKABLE.includes(load.status)) {
    throw new DomainError('ILLEGAL_TRANSITION', `Load ${load.loadNumber} is ${LOAD_STATUS_LABELS[load.status].toLowerCase()}; check calls are for booked, dispatched and in-transit loads.`);
  }
  const next = revise(tx, load, {
    etaAt: a.etaAt,
    lastLocationCity: a.location.city,
    lastLocationState: a.location.state,
    lastCheckCallAt: tx.now(),
  });
  await tx.update('loads', next);
  await recordEvent(tx, next, 'CHECK_CALL', {
    location: a.location,
    checkCallStatus: a.status,
    etaAt: a.etaAt,
    occurredAt: a.occurredAt,
    note: a.note,
  });
  return { id: next.id, version: next.version, loadNumber: next.loadNumber };
}
