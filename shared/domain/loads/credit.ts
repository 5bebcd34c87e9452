import type { TxPort } from '../port.ts';
import type { LoadStatus } from './schema.ts';

/**
 * Credit exposure (DOMAIN §1): open invoice balances + delivered-not-invoiced + in-transit +
 * booked, at the customer rate. Invoices arrive with the billing issue; until then a delivered
 * or invoiced-but-unpaid load counts at its full customer total.
 */
export const EXPOSED_STATUSES: readonly LoadStatus[] = ['BOOKED', 'DISPATCHED', 'IN_TRANSIT', 'DELIVERED', 'INVOICED'];

export async function creditExposureCents(tx: Pick<TxPort, 'sumWhere'>, customerId: string): Promise<number> {
  return tx.sumWhere('loads', 'customerTotalCents', { customerId, status: EXPOSED_STATUSES });
}
