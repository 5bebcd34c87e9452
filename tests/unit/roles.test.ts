import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, ROLE_MATRIX, can, permissionsOf } from '../../shared/domain/roles.ts';

describe('the role matrix (DOMAIN.md, Roles)', () => {
  it('every permission is held by at least one role, and only by known roles', () => {
    for (const permission of PERMISSIONS) {
      const holders: readonly string[] = ROLE_MATRIX[permission];
      expect(holders.length, permission).toBeGreaterThan(0);
      for (const role of holders) expect(ROLES).toContain(role);
    }
  });

  it('a viewer only reads', () => {
    for (const permission of permissionsOf(['VIEWER'])) expect(permission).toMatch(/\.read$/);
    expect(can(['VIEWER'], 'customers.read')).toBe(true);
    expect(can(['VIEWER'], 'customers.write')).toBe(false);
  });

  it('gives each role what DOMAIN.md says it does', () => {
    expect(can(['ADMIN'], 'users.manage')).toBe(true);
    expect(can(['ADMIN'], 'settings.manage')).toBe(true);
    expect(can(['DISPATCHER'], 'loads.book')).toBe(true);
    expect(can(['DISPATCHER'], 'carriers.write')).toBe(true);
    expect(can(['AR_CLERK'], 'invoices.write')).toBe(true);
    expect(can(['AR_CLERK'], 'customerPayments.write')).toBe(true);
    expect(can(['AP_CLERK'], 'carrierPayments.approve')).toBe(true);
    expect(can(['AP_CLERK'], 'paymentRuns.prepare')).toBe(true);
    expect(can(['CONTROLLER'], 'paymentRuns.approve')).toBe(true);
    expect(can(['CONTROLLER'], 'credit.override')).toBe(true);
    expect(can(['CONTROLLER'], 'customers.credit')).toBe(true);
  });

  it('keeps money powers apart', () => {
    expect(can(['DISPATCHER'], 'credit.override')).toBe(false);
    expect(can(['AR_CLERK'], 'customers.credit')).toBe(false);
    expect(can(['AP_CLERK'], 'paymentRuns.approve')).toBe(false);
    expect(can(['DISPATCHER'], 'carriers.bank.write')).toBe(false);
    // Bank numbers are seen in full only by the roles that pay.
    expect(ROLE_MATRIX['carriers.bank.reveal']).toEqual(['AP_CLERK', 'CONTROLLER']);
    expect(can(['ADMIN'], 'carriers.bank.reveal')).toBe(false);
  });

  it('several roles add up', () => {
    expect(can(['VIEWER', 'AR_CLERK'], 'invoices.write')).toBe(true);
    expect(permissionsOf(['ADMIN', 'CONTROLLER']).length).toBeGreaterThan(permissionsOf(['ADMIN']).length);
  });
});
