import type { Args, Out } from '../../contract/index.ts';
import type { BankAccountInput, CarrierFields, CarrierRow } from '../carriers/schema.ts';
import { formatMcNumber } from '../validation/carrier-numbers.ts';
import { DomainError, type FieldErrors } from '../errors.ts';
import type { TxPort } from '../port.ts';
import { checkVersion, requirePermission, requireRow, revise } from './guards.ts';

/** MC and USDOT numbers identify a carrier, and so does its email (the seed's UNIQUE): no two carriers share one. */
async function assertIdentifiersFree(tx: TxPort, fields: Pick<CarrierFields, 'mcNumber' | 'dotNumber' | 'email'>, selfId: string | null) {
  const problems: FieldErrors = {};
  if (fields.mcNumber) {
    const other = (await tx.findBy('carriers', 'mcNumber', fields.mcNumber)).find((c) => c.id !== selfId);
    if (other) problems.mcNumber = `${formatMcNumber(fields.mcNumber)} belongs to ${other.companyName}`;
  }
  const other = (await tx.findBy('carriers', 'dotNumber', fields.dotNumber)).find((c) => c.id !== selfId);
  if (other) problems.dotNumber = `USDOT ${fields.dotNumber} belongs to ${other.companyName}`;
  const sameEmail = (await tx.findBy('carriers', 'email', fields.email)).find((c) => c.id !== selfId);
  if (sameEmail) problems.email = `${sameEmail.companyName} already uses this email`;
  const names = Object.keys(problems);
  if (names.length > 0) {
    throw new DomainError('DUPLICATE', names.length === 1 ? (Object.values(problems)[0] ?? '') : 'These details belong to other carriers', problems);
  }
}

type BankColumns = Pick<
  CarrierRow,
  'bankRoutingNumber' | 'bankAccountSealed' | 'bankAccountLast4' | 'bankAccountType' | 'bankAccountHolder' | 'bankChangedAt'
>;

function bankColumns(tx: TxPort, bank: BankAccountInput | null): BankColumns {
  if (!bank) {
    return {
      bankRoutingNumber: null,
      bankAccountSealed: null,
      bankAccountLast4: null,
      bankAccountType: null,
      bankAccountHolder: null,
      bankChangedAt: tx.now(),
    };
  }
  return {
    bankRoutingNumber: bank.routingNumber,
    bankAccountSealed: tx.seal(bank.accountNumber),
    bankAccountLast4: bank.accountNumber.slice(-4),
    bankAccountType: bank.accountType,
    bankAccountHolder: bank.holderName,
    bankChangedAt: tx.now(),
  };
}

const BANK_MESSAGE = 'Only AP clerks, controllers and administrators can enter bank details';

export async function createCarrier(tx: TxPort, a: Args<'carriers.create'>): Promise<Out<'carriers.create'>> {
  if (await tx.get('carriers', a.id)) throw new DomainError('DUPLICATE', 'A carrier with this id already exists');
  await assertIdentifiersFree(tx, a, null);
  const { id, bankAccount, ...fields } = a;
  if (bankAccount) requirePermission(tx, 'carriers.bank.write', BANK_MESSAGE, 'bankAccount');
  const now = tx.now();
  const bank = bankAccount ? bankColumns(tx, bankAccount) : { ...bankColumns(tx, null), bankChangedAt: null };
  const row: CarrierRow = { id, ...fields, ...bank, status: 'ACTIVE', loadsDelivered: 0, loadsOnTime: 0, createdAt: now, updatedAt: now, version: 1 };
  await tx.insert('carriers', row);
  return { id, version: 1 };
}

export async function updateCarrier(tx: TxPort, a: Args<'carriers.update'>): Promise<Out<'carriers.update'>> {
  const row = await requireRow(tx, 'carriers', a.id, 'This carrier');
  checkVersion(row, a.expectedVersion, 'This carrier');
  await assertIdentifiersFree(tx, a, row.id);
  const { id: _id, expectedVersion: _v, ...fields } = a;
  const next = revise(tx, row, fields);
  await tx.update('carriers', next);
  return { id: next.id, version: next.version };
}

export async function setCarrierStatus(tx: TxPort, a: Args<'carriers.setStatus'>): Promise<Out<'carriers.setStatus'>> {
  const row = await requireRow(tx, 'carriers', a.id, 'This carrier');
  checkVersion(row, a.expectedVersion, 'This carrier');
  if (row.status === a.status) return { id: row.id, version: row.version };
  const next = revise(tx, row, { status: a.status });
  await tx.update('carriers', next);
  return { id: next.id, version: next.version };
}

export async function setCarrierBankAccount(tx: TxPort, a: Args<'carriers.setBankAccount'>): Promise<Out<'carriers.setBankAccount'>> {
  const row = await requireRow(tx, 'carriers', a.id, 'This carrier');
  checkVersion(row, a.expectedVersion, 'This carrier');
  const next = revise(tx, row, bankColumns(tx, a.bankAccount));
  await tx.update('carriers', next);
  return { id: next.id, version: next.version };
}
