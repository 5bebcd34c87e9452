import { EQUIPMENT_LABELS, INSURANCE_LABELS, type CarrierRow, type EquipmentType, type InsuranceType } from '../carriers/schema.ts';
import { formatCents } from '../money.ts';

/** Minimum coverage to haul brokered freight (DOMAIN §2). */
export const MIN_COVERAGE_CENTS: Partial<Record<InsuranceType, number>> = {
  AUTO_LIABILITY: 100_000_000,
  CARGO: 10_000_000,
};

export type ComplianceCarrier = Pick<
  CarrierRow,
  'companyName' | 'status' | 'authorityStatus' | 'insurancePolicies' | 'equipmentTypes'
>;

/**
 * Why a carrier may not haul this load, in words a dispatcher acts on; empty when it may.
 * `pickupDate` is the load's pickup day (YYYY-MM-DD): insurance must be in force on it.
 */
export function complianceProblems(carrier: ComplianceCarrier, load: { equipmentType: EquipmentType; pickupDate: string }): string[] {
  const problems: string[] = [];
  if (carrier.status === 'ON_HOLD') problems.push(`${carrier.companyName} is on hold`);
  if (carrier.status === 'INACTIVE') problems.push(`${carrier.companyName} is inactive`);
  if (carrier.authorityStatus !== 'ACTIVE') {
    problems.push(`Operating authority is ${carrier.authorityStatus === 'REVOKED' ? 'revoked' : 'inactive'}`);
  }
  for (const [type, minimum] of Object.entries(MIN_COVERAGE_CENTS) as [InsuranceType, number][]) {
    const policies = carrier.insurancePolicies.filter((p) => p.type === type);
    const adequate = policies.filter((p) => p.coverageCents >= minimum);
    const inForce = adequate.filter((p) => p.expiresOn >= load.pickupDate);
    if (inForce.length > 0) continue;
    const label = INSURANCE_LABELS[type].toLowerCase();
    if (adequate.length > 0) {
      const latest = adequate.map((p) => p.expiresOn).sort().at(-1) ?? '';
      problems.push(`${INSURANCE_LABELS[type]} insurance expired ${latest}, before pickup on ${load.pickupDate}`);
    } else if (policies.length > 0) {
      problems.push(`${INSURANCE_LABELS[type]} coverage is below ${formatCents(minimum)}`);
    } else {
      problems.push(`No ${label} insurance on file`);
    }
  }
  if (!carrier.equipmentTypes.includes(load.equipmentType)) {
    problems.push(`Does not run ${EQUIPMENT_LABELS[load.equipmentType].toLowerCase()}`);
  }
  return problems;
}
