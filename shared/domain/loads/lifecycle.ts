import { DomainError } from '../errors.ts';
import { LOAD_STATUS_LABELS, type LoadEventType, type LoadStatus } from './schema.ts';

/**
 * The load lifecycle (DOMAIN §2): PENDING → BOOKED → DISPATCHED → IN_TRANSIT → DELIVERED →
 * INVOICED → CLOSED, and CANCELLED from PENDING, BOOKED or DISPATCHED (with a TONU charge possible
 * after dispatch). Anything else is refused.
 */
export const TRANSITIONS: Readonly<Record<LoadStatus, readonly LoadStatus[]>> = {
  PENDING: ['BOOKED', 'CANCELLED'],
  BOOKED: ['DISPATCHED', 'CANCELLED'],
  DISPATCHED: ['IN_TRANSIT', 'CANCELLED'],
  IN_TRANSIT: ['DELIVERED'],
  DELIVERED: ['INVOICED'],
  INVOICED: ['CLOSED'],
  CLOSED: [],
  CANCELLED: [],
};

/** The tracking event each status change records. */
export const EVENT_FOR: Readonly<Record<LoadStatus, LoadEventType>> = {
  PENDING: 'CREATED',
  BOOKED: 'BOOKED',
  DISPATCHED: 'DISPATCHED',
  IN_TRANSIT: 'PICKED_UP',
  DELIVERED: 'DELIVERED',
  INVOICED: 'INVOICED',
  CLOSED: 'CLOSED',
  CANCELLED: 'CANCELLED',
};

export function canTransition(from: LoadStatus, to: LoadStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(load: { loadNumber: string; status: LoadStatus }, to: LoadStatus): void {
  if (canTransition(load.status, to)) return;
  const allowed = TRANSITIONS[load.status].map((s) => LOAD_STATUS_LABELS[s].toLowerCase());
  throw new DomainError(
    'ILLEGAL_TRANSITION',
    `Load ${load.loadNumber} is ${LOAD_STATUS_LABELS[load.status].toLowerCase()}; it can't be marked ${LOAD_STATUS_LABELS[to].toLowerCase()}` +
      (allowed.length > 0 ? ` (next: ${allowed.join(' or ')}).` : ' any more.'),
  );
}

/** Statuses in which the load still moves freight and takes check calls. */
export const TRACKABLE: readonly LoadStatus[] = ['BOOKED', 'DISPATCHED', 'IN_TRANSIT'];
/** Statuses in which the load's details may still be edited. */
export const EDITABLE: readonly LoadStatus[] = ['PENDING', 'BOOKED', 'DISPATCHED', 'IN_TRANSIT', 'DELIVERED'];
