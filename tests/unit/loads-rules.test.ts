import { describe, expect, it } from 'vitest';
import { complianceProblems } from '../../shared/domain/loads/compliance.ts';
import { isLate } from '../../shared/domain/loads/late.ts';
import { TRANSITIONS, assertTransition, canTransition } from '../../shared/domain/loads/lifecycle.ts';
import { rankCarriers, type MatchCarrier } from '../../shared/domain/loads/matching.ts';
import { centsPerMile, estimatedRoadMiles, greatCircleMiles } from '../../shared/domain/loads/mileage.ts';
import { LOAD_STATUSES, type LoadStatus } from '../../shared/domain/loads/schema.ts';

/** DOMAIN §2, written out: every legal move. Everything else must be refused. */
const LEGAL: [LoadStatus, LoadStatus][] = [
  ['PENDING', 'BOOKED'],
  ['PENDING', 'CANCELLED'],
  ['BOOKED', 'DISPATCHED'],
  ['BOOKED', 'CANCELLED'],
  ['DISPATCHED', 'IN_TRANSIT'],
  ['DISPATCHED', 'CANCELLED'],
  ['IN_TRANSIT', 'DELIVERED'],
  ['DELIVERED', 'INVOICED'],
  ['INVOICED', 'CLOSED'],
];

describe('the load lifecycle', () => {
  it.each(LOAD_STATUSES.flatMap((from) => LOAD_STATUSES.map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    const legal = LEGAL.some(([a, b]) => a === from && b === to);
    expect(canTransition(from, to)).toBe(legal);
    if (legal) expect(() => assertTransition({ loadNumber: 'L1', status: from }, to)).not.toThrow();
    else expect(() => assertTransition({ loadNumber: 'L1', status: from }, to)).toThrow(/can't be marked/);
  });

  it('ends in CLOSED or CANCELLED and nowhere else', () => {
    const terminal = LOAD_STATUSES.filter((s) => TRANSITIONS[s].length === 0);
    expect(terminal).toEqual(['CLOSED', 'CANCELLED']);
  });
});

const policies = (expiresOn = '2027-06-30') => [
  { type: 'AUTO_LIABILITY' as const, insurer: 'A', policyNumber: '1', coverageCents: 100_000_000, expiresOn },
  { type: 'CARGO' as const, insurer: 'A', policyNumber: '2', coverageCents: 10_000_000, expiresOn },
];
const compliant = { companyName: 'Good Co', status: 'ACTIVE' as const, authorityStatus: 'ACTIVE' as const, insurancePolicies: policies(), equipmentTypes: ['DRY_VAN' as const] };

describe('carrier compliance', () => {
  it('insurance must be in force on the pickup day itself', () => {
    const load = { equipmentType: 'DRY_VAN' as const, pickupDate: '2026-12-01' };
    expect(complianceProblems({ ...compliant, insurancePolicies: policies('2026-12-01') }, load)).toEqual([]);
    expect(complianceProblems({ ...compliant, insurancePolicies: policies('2026-11-30') }, load)).toEqual([
      'Auto liability insurance expired 2026-11-30, before pickup on 2026-12-01',
      'Cargo insurance expired 2026-11-30, before pickup on 2026-12-01',
    ]);
  });

  it('coverage minimums: $1,000,000 auto liability, $100,000 cargo; a second adequate policy counts', () => {
    const load = { equipmentType: 'DRY_VAN' as const, pickupDate: '2026-12-01' };
    const thin = [{ ...policies()[0]!, coverageCents: 99_999_999 }, policies()[1]!];
    expect(complianceProblems({ ...compliant, insurancePolicies: thin }, load)).toEqual(['Auto liability coverage is below $1,000,000.00']);
    expect(complianceProblems({ ...compliant, insurancePolicies: [...thin, policies()[0]!] }, load)).toEqual([]);
  });
});

describe('matching', () => {
  const carrier = (id: string, over: Partial<MatchCarrier> = {}): MatchCarrier => ({
    ...compliant,
    id,
    companyName: id,
    mcNumber: null,
    phone: null,
    serviceAreas: ['TX', 'OK'],
    rating: 4,
    loadsDelivered: 0,
    loadsOnTime: 0,
    ...over,
  });
  const load = { equipmentType: 'DRY_VAN' as const, originState: 'TX' as const, destState: 'OK' as const, pickupStart: '2026-12-01T08:00' };

  it('lane history and on-time record lift a carrier; reasons say why', () => {
    const result = rankCarriers(
      load,
      [carrier('new'), carrier('proven', { loadsDelivered: 20, loadsOnTime: 19 }), carrier('lane', { loadsDelivered: 20, loadsOnTime: 19 })],
      new Map([['lane', 6]]),
    );
    expect(result.ranked.map((r) => r.carrierId)).toEqual(['lane', 'proven', 'new']);
    expect(result.ranked[0]?.reasons).toEqual(['Serves TX and OK', 'Ran 6 loads TX→OK', 'On time 95% (19 of 20)', 'Rated 4.0']);
  });

  it('puts non-compliant carriers apart, whatever their score would be', () => {
    const result = rankCarriers(load, [carrier('star', { rating: 5, status: 'ON_HOLD' }), carrier('ok')], new Map([['star', 10]]));
    expect(result.ranked.map((r) => r.carrierId)).toEqual(['ok']);
    expect(result.excluded).toMatchObject([{ carrierId: 'star', problems: ['star is on hold'] }]);
  });
});

describe('mileage', () => {
  it('great-circle distance of known city pairs, times the road factor', () => {
    const dallas = { lat: 32.7781, lon: -96.8054 };
    const chicago = { lat: 41.8781, lon: -87.6298 };
    expect(greatCircleMiles(dallas, chicago)).toBeGreaterThan(795);
    expect(greatCircleMiles(dallas, chicago)).toBeLessThan(810);
    expect(estimatedRoadMiles(dallas, chicago)).toBe(Math.round(greatCircleMiles(dallas, chicago) * 1.2));
    expect(estimatedRoadMiles(dallas, dallas)).toBe(1);
  });

  it('rate per mile rounds half up to the cent', () => {
    expect(centsPerMile(100_000, 400)).toBe(250);
    expect(centsPerMile(1001, 2)).toBe(501);
    expect(centsPerMile(1000, 3)).toBe(333);
    expect(centsPerMile(null, 3)).toBeNull();
    expect(centsPerMile(100, 0)).toBeNull();
  });
});

describe('late', () => {
  it('a moving load whose ETA is past the delivery window', () => {
    const load = { status: 'IN_TRANSIT' as const, etaAt: '2026-12-02T16:01', deliveryEnd: '2026-12-02T16:00' };
    expect(isLate(load)).toBe(true);
    expect(isLate({ ...load, etaAt: '2026-12-02T16:00' })).toBe(false);
    expect(isLate({ ...load, etaAt: null })).toBe(false);
    expect(isLate({ ...load, status: 'DELIVERED' })).toBe(false);
  });
});
