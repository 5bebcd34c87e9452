import { z } from 'zod';

/**
 * The role matrix of DOMAIN.md ("Roles"), as data. One table: permission → the roles that hold
 * it. The router refuses a command whose permission the signed-in user's roles lack, the shared
 * mutators check it again (so the server re-checks it when a mutation syncs), and the UI hides
 * what the user can't do. tests/unit/roles.test.ts pins the matrix down.
 */
export const ROLES = ['ADMIN', 'DISPATCHER', 'AR_CLERK', 'AP_CLERK', 'CONTROLLER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES, { error: 'Choose a role' });

export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: 'Administrator',
  DISPATCHER: 'Dispatcher',
  AR_CLERK: 'AR clerk',
  AP_CLERK: 'AP clerk',
  CONTROLLER: 'Controller',
  VIEWER: 'Viewer',
};

const ALL: readonly Role[] = ROLES;
const FINANCE: readonly Role[] = ['AR_CLERK', 'AP_CLERK', 'CONTROLLER'];

export const ROLE_MATRIX = {
  // Workspace administration
  'users.manage': ['ADMIN'],
  'audit.read': ['ADMIN', 'CONTROLLER'],

  // Customers (DOMAIN §1). Credit limits are a controller's decision.
  'customers.read': ALL,
  'customers.write': ['ADMIN', 'AR_CLERK', 'CONTROLLER'],
  'customers.credit': ['ADMIN', 'CONTROLLER'],

  // Carriers. Bank details are written by those who set up and pay carriers, seen only by the
  // roles that pay (DOMAIN, "Sensitive data").
  'carriers.read': ALL,
  'carriers.write': ['ADMIN', 'DISPATCHER', 'AP_CLERK', 'CONTROLLER'],
  'carriers.bank.write': ['ADMIN', 'AP_CLERK', 'CONTROLLER'],
  'carriers.bank.reveal': ['AP_CLERK', 'CONTROLLER'],

  // Loads (DOMAIN §2)
  'loads.read': ALL,
  'loads.write': ['ADMIN', 'DISPATCHER'],
  'loads.book': ['DISPATCHER'],
  'credit.override': ['CONTROLLER'],

  // Invoices and customer payments (DOMAIN §1, §3)
  'invoices.read': ['ADMIN', ...FINANCE, 'VIEWER'],
  'invoices.write': ['AR_CLERK', 'CONTROLLER'],
  'invoices.approve': ['AR_CLERK', 'CONTROLLER'],
  'customerPayments.write': ['AR_CLERK', 'CONTROLLER'],

  // Carrier bills, carrier payments and payment runs (DOMAIN §4)
  'carrierPayments.read': ['ADMIN', ...FINANCE, 'VIEWER'],
  'carrierBills.write': ['AP_CLERK', 'CONTROLLER'],
  'carrierPayments.approve': ['AP_CLERK', 'CONTROLLER'],
  'paymentRuns.prepare': ['AP_CLERK', 'CONTROLLER'],
  'paymentRuns.approve': ['CONTROLLER'],

  // Configuration (DOMAIN, "Roles": admins manage bank accounts, fee types and approval rules)
  'settings.manage': ['ADMIN'],

  // Reports
  'reports.read': ['ADMIN', ...FINANCE, 'DISPATCHER', 'VIEWER'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof ROLE_MATRIX;
export const PERMISSIONS = Object.keys(ROLE_MATRIX) as Permission[];

export function can(roles: readonly Role[], permission: Permission): boolean {
  const holders: readonly Role[] = ROLE_MATRIX[permission];
  return roles.some((role) => holders.includes(role));
}

export function permissionsOf(roles: readonly Role[]): Permission[] {
  return PERMISSIONS.filter((permission) => can(roles, permission));
}
