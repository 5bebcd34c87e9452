import type { In } from '../../shared/contract/index.ts';
import type { PaymentTerms } from '../../shared/domain/customers/schema.ts';

/** Names the credit limit and terms a create may leave out, so it also serves as an update's fields. */
type CustomerInput = In<'customers.create'> & { creditLimitCents: number; paymentTerms: PaymentTerms };

export function customerInput(overrides: Partial<In<'customers.create'>> = {}): CustomerInput {
  return {
    companyName: 'Acme Foods Inc.',
    contactName: 'Rita Ruiz',
    email: 'ap@acmefoods.test',
    phone: '(214) 555-0142',
    billingEmail: 'invoices@acmefoods.test',
    billingAddress: { line1: '100 Commerce St', city: 'Dallas', state: 'TX', zip: '75202' },
    creditLimitCents: 0,
    paymentTerms: 'NET_30',
    requiredDocuments: ['POD'],
    ...overrides,
  };
}

/** 021000021 (JPMorgan Chase, NY) passes the ABA check; 021000022 does not. */
export const VALID_ROUTING = '021000021';
export const INVALID_ROUTING = '021000022';

export function carrierInput(overrides: Partial<In<'carriers.create'>> = {}): In<'carriers.create'> {
  return {
    companyName: 'Red River Trucking LLC',
    contactName: 'Sam Cole',
    email: 'dispatch@redriver.test',
    phone: '405-555-0199',
    mcNumber: 'MC-123456',
    dotNumber: '2345678',
    address: { line1: '9 Depot Rd', city: 'Oklahoma City', state: 'OK', zip: '73102' },
    insurancePolicies: [
      { type: 'AUTO_LIABILITY', insurer: 'Great West', policyNumber: 'AL-1', coverageCents: 100_000_000, expiresOn: '2027-06-30' },
      { type: 'CARGO', insurer: 'Great West', policyNumber: 'CG-1', coverageCents: 10_000_000, expiresOn: '2027-06-30' },
    ],
    equipmentTypes: ['DRY_VAN', 'REEFER'],
    serviceAreas: ['TX', 'OK', 'KS'],
    rating: 4.5,
    bankAccount: { routingNumber: VALID_ROUTING, accountNumber: '000123456789', accountType: 'CHECKING', holderName: 'Red River Trucking LLC' },
    ...overrides,
  };
}

export function loadInput(customerId: string, overrides: Partial<In<'loads.create'>> = {}): In<'loads.create'> {
  return {
    customerId,
    origin: { line1: '2500 Shipping Dr', city: 'Dallas', state: 'TX', zip: '75202', windowStart: '2026-12-01T08:00', windowEnd: '2026-12-01T12:00' },
    destination: { line1: '40 Receiving Ave', city: 'Oklahoma City', state: 'OK', zip: '73102', windowStart: '2026-12-02T08:00', windowEnd: '2026-12-02T16:00' },
    cargo: { commodity: 'Canned goods', weightLbs: 38_000, pieces: 22, hazmat: false },
    equipmentType: 'DRY_VAN',
    linehaulCents: 150_000,
    fuelSurchargeCents: 25_000,
    accessorials: [],
    poNumber: 'PO-4411',
    ...overrides,
  };
}
