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

export function scoreCarrier(carrier: MatchCarrier, lane: { originState: UsState; destState: UsState }, laneLoads: number) {
  const reasons: string[] = [];
  let score = 0;
  const origin = carrier.serviceAreas.includes(lane.originState);
  const destination = carrier.serviceAreas.includes(lane.destState);
  if (origin) score += WEIGHTS.servesOrigin;
  if (destination) score += WEIGHTS.servesDestination;
  if (origin && destination) reasons.push(`Serves ${lane.originState} and ${lane.destState}`);
  else if (origin || destination) reasons.push(`Serves ${origin ? lane.originState : lane.destState} only`);
  else reasons.push(`Serves neither ${lane.originState} nor ${lane.destState}`);

  if (laneLoads > 0) {
    score += Math.min(laneLoads, WEIGHTS.laneCap) * WEIGHTS.perLaneLoad;
    reasons.push(`Ran ${String(laneLoads)} ${laneLoads === 1 ? 'load' : 'loads'} ${lane.originState}→${lane.destState}`);
  }

  if (carrier.loadsDelivered >= MIN_DELIVERIES) {
    const rate = carrier.loadsOnTime / carrier.loadsDelivered;
    score += rate * WEIGHTS.onTime;
    reasons.push(`On time ${String(Math.round(rate * 100))}% (${String(carrier.loadsOnTime)} of ${String(carrier.loadsDelivered)})`);
  } else {
    score += WEIGHTS.onTime / 2;
    reasons.push(carrier.loadsDelivered === 0 ? 'No deliveries with us yet' : `Only ${String(carrier.loadsDelivered)} deliveries with us`);
  }

  score += (carrier.rating / 5) * WEIGHTS.rating;
  if (carrier.rating > 0) reasons.push(`Rated ${carrier.rating.toFixed(1)}`);
  return { score: Math.round(score * 10) / 10, reasons };
}

export function rankCarriers(
  load: Pick<LoadRow, 'equipmentType' | 'originState' | 'destState' | 'pickupStart'>,
  candidates: readonly MatchCarrier[],
  laneLoadsByCarrier: ReadonlyMap<string, number>,
  limit = 25,
): { ranked: RankedCarrier[]; excluded: ExcludedCarrier[]; rankedTotal: number; excludedTotal: number } {
  const ranked: RankedCarrier[] = [];
  const excluded: ExcludedCarrier[] = [];
  const pickupDate = load.pickupStart.slice(0, 10);
  for (const carrier of candidates) {
    const laneLoads = laneLoadsByCarrier.get(carrier.id) ?? 0;
    const problems = complianceProblems(carrier, { equipmentType: load.equipmentType, pickupDate });
    if (problems.length > 0) {
      excluded.push({ carrierId: carrier.id, companyName: carrier.companyName, mcNumber: carrier.mcNumber, problems });
      continue;
    }
    const { score, reasons } = scoreCarrier(carrier, { originState: load.originState, destState: load.destState }, laneLoads);
    ranked.push({ carrierId: carrier.id, companyName: carrier.companyName, mcNumber: carrier.mcNumber, phone: carrier.phone, score, reasons, laneLoads });
  }
  ranked.sort((a, b) => b.score - a.score || b.laneLoads - a.laneLoads || a.companyName.localeCompare(b.companyName));
  excluded.sort((a, b) => a.problems.length - b.problems.length || a.companyName.localeCompare(b.companyName));
  return { ranked: ranked.slice(0, limit), excluded: excluded.slice(0, limit), rankedTotal: ranked.length, excludedTotal: excluded.length };
}
