import type { CarrierRow } from '../carriers/schema.ts';
import type { UsState } from '../validation/us-states.ts';
import { complianceProblems } from './compliance.ts';
import type { LoadRow } from './schema.ts';

/**
 * Carrier matching (DOMAIN §2): compliant carriers ranked by service area, lane history, on-time
 * performance and rating, each with the reasons for its place; non-compliant ones apart, with
 * what is wrong. Equipment is a requirement, not a score: it is part of compliance.
 */
export type MatchCarrier = Pick<
  CarrierRow,
  | 'id'
  | 'companyName'
  | 'mcNumber'
  | 'status'
  | 'authorityStatus'
  | 'insurancePolicies'
  | 'equipmentTypes'
  | 'serviceAreas'
  | 'rating'
  | 'loadsDelivered'
  | 'loadsOnTime'
  | 'phone'
>;

export interface RankedCarrier {
  carrierId: string;
  companyName: string;
  mcNumber: string | null;
  phone: string | null;
  score: number;
  reasons: string[];
  laneLoads: number;
}

export interface ExcludedCarrier {
  carrierId: string;
  companyName: string;
  mcNumber: string | null;
  problems: string[];
}

export const WEIGHTS = {
  servesOrigin: 20,
  servesDestination: 20,
  perLaneLoad: 4,
  laneCap: 10,
  onTime: 25,
  rating: 15,
} as const;

/** Deliveries needed before an on-time rate counts; fewer scores as average. */
const MIN_DELIVERIES = 3;

type Lane = { originState: UsState; destState: UsState };

interface Standing {
  origin: boolean;
  destination: boolean;
  laneLoads: number;
  score: number;
}

function standingOf(carrier: MatchCarrier, lane: Lane, laneLoads: number): Standing {
  const origin = carrier.serviceAreas.includes(lane.originState);
  const destination = carrier.serviceAreas.includes(lane.destState);
  let score = 0;
  if (origin) score += WEIGHTS.servesOrigin;
  if (destination) score += WEIGHTS.servesDestination;
  score += Math.min(laneLoads, WEIGHTS.laneCap) * WEIGHTS.perLaneLoad;
  score += carrier.loadsDelivered >= MIN_DELIVERIES ? (carrier.loadsOnTime / carrier.loadsDelivered) * WEIGHTS.onTime : WEIGHTS.onTime / 2;
  score += (carrier.rating / 5) * WEIGHTS.rating;
  return { origin, destination, laneLoads, score: Math.round(score * 10) / 10 };
}

/** The words behind a carrier's score, one per weight that counted. */
function reasonsFor(carrier: MatchCarrier, lane: Lane, { origin, destination, laneLoads }: Standing): string[] {
  const reasons: string[] = [];
  if (origin && destination) reasons.push(`Serves ${lane.originState} and ${lane.destState}`);
  else if (origin || destination) reasons.push(`Serves ${origin ? lane.originState : lane.destState} only`);
  else reasons.push(`Serves neither ${lane.originState} nor ${lane.destState}`);
  if (laneLoads > 0) reasons.push(`Ran ${String(laneLoads)} ${laneLoads === 1 ? 'load' : 'loads'} ${lane.originState}→${lane.destState}`);
  if (carrier.loadsDelivered >= MIN_DELIVERIES) {
    const rate = carrier.loadsOnTime / carrier.loadsDelivered;
    reasons.push(`On time ${String(Math.round(rate * 100))}% (${String(carrier.loadsOnTime)} of ${String(carrier.loadsDelivered)})`);
  } else {
    reasons.push(carrier.loadsDelivered === 0 ? 'No deliveries with us yet' : `Only ${String(carrier.loadsDelivered)} deliveries with us`);
  }
  if (carrier.rating > 0) reasons.push(`Rated ${carrier.rating.toFixed(1)}`);
  return reasons;
}

export function scoreCarrier(carrier: MatchCarrier, lane: Lane, laneLoads: number) {
  const standing = standingOf(carrier, lane, laneLoads);
  return { score: standing.score, reasons: reasonsFor(carrier, lane, standing) };
}

const byName = new Intl.Collator('en').compare;

/**
 * Thousands of carriers can serve a busy lane; only the first `limit` of each list are shown, so
 * only those get their reasons written.
 */
export function rankCarriers(
  load: Pick<LoadRow, 'equipmentType' | 'originState' | 'destState' | 'pickupStart'>,
  candidates: readonly MatchCarrier[],
  laneLoadsByCarrier: ReadonlyMap<string, number>,
  limit = 25,
): { ranked: RankedCarrier[]; excluded: ExcludedCarrier[]; rankedTotal: number; excludedTotal: number } {
  const compliant: { carrier: MatchCarrier; standing: Standing }[] = [];
  const excluded: ExcludedCarrier[] = [];
  const lane: Lane = { originState: load.originState, destState: load.destState };
  const pickupDate = load.pickupStart.slice(0, 10);
  for (const carrier of candidates) {
    const problems = complianceProblems(carrier, { equipmentType: load.equipmentType, pickupDate });
    if (problems.length > 0) {
      excluded.push({ carrierId: carrier.id, companyName: carrier.companyName, mcNumber: carrier.mcNumber, problems });
      continue;
    }
    compliant.push({ carrier, standing: standingOf(carrier, lane, laneLoadsByCarrier.get(carrier.id) ?? 0) });
  }
  compliant.sort((a, b) => b.standing.score - a.standing.score || b.standing.laneLoads - a.standing.laneLoads || byName(a.carrier.companyName, b.carrier.companyName));
  excluded.sort((a, b) => a.problems.length - b.problems.length || byName(a.companyName, b.companyName));
  const ranked = compliant.slice(0, limit).map(({ carrier, standing }) => ({
    carrierId: carrier.id,
    companyName: carrier.companyName,
    mcNumber: carrier.mcNumber,
    phone: carrier.phone,
    score: standing.score,
    reasons: reasonsFor(carrier, lane, standing),
    laneLoads: standing.laneLoads,
  }));
  return { ranked, excluded: excluded.slice(0, limit), rankedTotal: compliant.length, excludedTotal: excluded.length };
}
