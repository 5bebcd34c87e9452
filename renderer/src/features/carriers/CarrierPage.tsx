import { zodResolver } from '@hookform/resolvers/zod';
import { ActionIcon, Badge, Button, Checkbox, Grid, Group, MultiSelect, NumberInput, Paper, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect } from 'react';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import type { z } from 'zod';
import { contract } from '../../../../shared/contract/index.ts';
import { AUTHORITY_STATUSES, EQUIPMENT_LABELS, EQUIPMENT_TYPES, INSURANCE_LABELS, INSURANCE_TYPES, type CarrierStatus, type CarrierView } from '../../../../shared/domain/carriers/schema.ts';
import { formatMcNumber } from '../../../../shared/domain/validation/carrier-numbers.ts';
import { AddressFields, STATE_OPTIONS, errorAt } from '../../components/form/AddressFields.tsx';
import { MoneyInput } from '../../components/form/MoneyInput.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { RecordLayout, RecordLoader } from '../../components/RecordPage.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useCommand } from '../../lib/api.ts';
import { todayIso } from '../../lib/dates.ts';
import { showRefusal, showSaved } from '../../lib/forms.ts';
import { useCan } from '../../lib/session.ts';
import classes from '../../components/form/RecordPage.module.css';
import { BankAccountFields, BankAccountPanel } from './BankAccount.tsx';

const createSchema = contract['carriers.create'].input;
type Values = z.input<typeof createSchema>;

const EMPTY_ADDRESS = { line1: '', line2: '', city: '', state: '' as never, zip: '' };
const BLANK: Values = {
  companyName: '',
  contactName: '',
  email: '',
  phone: '',
  mcNumber: '',
  dotNumber: '',
  authorityStatus: 'ACTIVE',
  address: EMPTY_ADDRESS,
  insurancePolicies: [],
  equipmentTypes: [],
  serviceAreas: [],
  rating: 0,
  remitToAddress: null,
  factoringCompany: null,
  bankAccount: null,
  notes: '',
};

function withLine2<A extends { line2: string | null } | null>(address: A) {
  return address ? { ...address, line2: address.line2 ?? '' } : null;
}

function valuesOf(row: CarrierView): Values {
  return {
    companyName: row.companyName,
    contactName: row.contactName,
    email: row.email,
    phone: row.phone ?? '',
    mcNumber: row.mcNumber ? formatMcNumber(row.mcNumber) : '',
    dotNumber: row.dotNumber,
    authorityStatus: row.authorityStatus,
    address: withLine2(row.address),
    insurancePolicies: row.insurancePolicies,
    equipmentTypes: row.equipmentTypes,
    serviceAreas: row.serviceAreas,
    rating: row.rating,
    remitToAddress: withLine2(row.remitToAddress),
    factoringCompany: row.factoringCompany
      ? { ...row.factoringCompany, remitToAddress: { ...row.factoringCompany.remitToAddress, line2: row.factoringCompany.remitToAddress.line2 ?? '' } }
      : null,
    bankAccount: null,
    notes: row.notes ?? '',
  };
}

const BACK_LINK = { to: '/carriers', label: 'Carriers' };

export function CarrierPage() {
  return (
    <RecordLoader query="carriers.get" back={BACK_LINK}>
      {(row) => <CarrierForm row={row} />}
    </RecordLoader>
  );
}

function CarrierForm({ row }: { row: CarrierView | null }) {
  const navigate = useNavigate();
  const canWrite = useCan('carriers.write');
  const canBank = useCan('carriers.bank.write');
  const create = useCommand('carriers.create');
  const update = useCommand('carriers.update');
  const setStatus = useCommand('carriers.setStatus');
  const form = useForm<Values>({ resolver: zodResolver(createSchema), defaultValues: row ? valuesOf(row) : BLANK });
  const { register, control, formState, watch, setValue } = form;
  const errors = formState.errors;
  const readOnly = !canWrite;
  const policies = useFieldArray({ control, name: 'insurancePolicies' });

  useEffect(() => {
    if (row) form.reset(valuesOf(row));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [row?.id, row?.version]);

  const submit = form.handleSubmit(async (values) => {
    try {
      if (row) {
        const { bankAccount: _bank, ...fields } = values;
        await update.mutateAsync({ ...fields, id: row.id, expectedVersion: row.version });
        showSaved(`${values.companyName} was updated`);
      } else {
        const saved = await create.mutateAsync(values);
        showSaved(`${values.companyName} was added`);
        void navigate(`/carriers/${saved.id}`, { replace: true });
      }
    } catch (error) {
      showRefusal(error, form.setError);
    }
  });
  useHotkeys([['mod+S', () => void submit()]], []);

  const changeStatus = async (status: CarrierStatus, done: string) => {
    if (!row) return;
    try {
      await setStatus.mutateAsync({ id: row.id, expectedVersion: row.version, status });
      showSaved(done);
    } catch (error) {
      showRefusal(error, undefined, 'Status not changed');
    }
  };

  const hasAddress = watch('address') !== null;
  const hasRemit = watch('remitToAddress') !== null;
  const hasFactor = watch('factoringCompany') !== null;
  const hasBank = watch('bankAccount') !== null && watch('bankAccount') !== undefined;
  const today = todayIso();

  return (
    <RecordLayout
      back={BACK_LINK}
      title={row ? row.companyName : 'New carrier'}
      badges={row ? (
        <>
          <StatusBadge status={row.status} />
          {row.authorityStatus !== 'ACTIVE' ? <StatusBadge status={row.authorityStatus} prefix="Authority" /> : null}
        </>
      ) : null}
      actions={
        <>
          {row && canWrite && row.status === 'ACTIVE' ? (
            <ConfirmButton color="orange" label="Put on hold" confirm={`Put ${row.companyName} on hold? It can't be booked until released.`} onConfirm={() => changeStatus('ON_HOLD', `${row.companyName} is on hold`)} />
          ) : null}
          {row && canWrite && row.status !== 'ACTIVE' ? (
            <Button variant="light" color="teal" onClick={() => void changeStatus('ACTIVE', `${row.companyName} is active`)}>
              {row.status === 'ON_HOLD' ? 'Release hold' : 'Reactivate'}
            </Button>
          ) : null}
          {row && canWrite && row.status !== 'INACTIVE' ? (
            <ConfirmButton color="gray" label="Deactivate" confirm={`Deactivate ${row.companyName}? It stays in history and can be reactivated.`} onConfirm={() => changeStatus('INACTIVE', `${row.companyName} was deactivated`)} />
          ) : null}
          {canWrite ? (
            <Button onClick={() => void submit()} loading={formState.isSubmitting} title="Ctrl+S">
              {row ? 'Save changes' : 'Save carrier'}
            </Button>
          ) : null}
        </>
      }
      history={row ? { entity: 'carriers', id: row.id } : null}
    >
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Carrier details">
        {readOnly ? (
          <Text size="sm" c="dimmed" mb="sm">
            You can view this carrier; your role does not allow changes.
          </Text>
        ) : null}
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" className={classes.section}>
              <Text className={classes.sectionTitle}>Company and contact</Text>
              <Stack gap="xs">
                <TextInput label="Company name" readOnly={readOnly} {...register('companyName')} error={errors.companyName?.message} />
                <Group grow>
                  <TextInput label="Contact name" readOnly={readOnly} {...register('contactName')} error={errors.contactName?.message} />
                  <TextInput label="Phone" readOnly={readOnly} {...register('phone')} error={errors.phone?.message} />
                </Group>
                <TextInput label="Email" type="email" readOnly={readOnly} {...register('email')} error={errors.email?.message} />
              </Stack>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" className={classes.section}>
              <Text className={classes.sectionTitle}>Authority</Text>
              <Stack gap="xs">
                <Group grow align="flex-start">
                  <TextInput label="MC number" placeholder="MC-123456" readOnly={readOnly} {...register('mcNumber')} error={errors.mcNumber?.message} />
                  <TextInput label="USDOT number" readOnly={readOnly} {...register('dotNumber')} error={errors.dotNumber?.message} />
                </Group>
                <Group grow align="flex-start">
                  <Controller
                    control={control}
                    name="authorityStatus"
                    render={({ field }) => (
                      <Select
                        label="Operating authority"
                        data={AUTHORITY_STATUSES.map((s) => ({ value: s, label: s.charAt(0) + s.slice(1).toLowerCase() }))}
                        readOnly={readOnly}
                        allowDeselect={false}
                        value={field.value ?? 'ACTIVE'}
                        onChange={(v) => field.onChange(v)}
                      />
                    )}
                  />
                  <Controller
                    control={control}
                    name="rating"
                    render={({ field }) => (
                      <NumberInput
                        label="Rating (0–5)"
                        min={0}
                        max={5}
                        step={0.1}
                        decimalScale={2}
                        readOnly={readOnly}
                        value={field.value ?? 0}
                        onChange={(v) => field.onChange(typeof v === 'number' ? v : Number(v))}
                        error={errors.rating?.message}
                      />
                    )}
                  />
                </Group>
              </Stack>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" className={classes.section}>
              <Text className={classes.sectionTitle}>Equipment and service areas</Text>
              <Stack gap="xs">
                <Controller
                  control={control}
                  name="equipmentTypes"
                  render={({ field }) => (
                    <MultiSelect
                      label="Equipment types"
                      data={EQUIPMENT_TYPES.map((e) => ({ value: e, label: EQUIPMENT_LABELS[e] }))}
                      readOnly={readOnly}
                      value={field.value}
                      onChange={field.onChange}
                      error={errors.equipmentTypes?.message}
                      searchable
                    />
                  )}
                />
                <Controller
                  control={control}
                  name="serviceAreas"
                  render={({ field }) => (
                    <MultiSelect
                      label="Service areas (states)"
                      data={STATE_OPTIONS}
                      readOnly={readOnly}
                      value={field.value ?? []}
                      onChange={field.onChange}
                      searchable
                    />
                  )}
                />
              </Stack>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" className={classes.section}>
              <Text className={classes.sectionTitle}>Office address</Text>
              <Checkbox
                label="Office address on file"
                checked={hasAddress}
                disabled={readOnly}
                onChange={(e) => setValue('address', e.currentTarget.checked ? EMPTY_ADDRESS : null, { shouldDirty: true })}
                mb="xs"
              />
              {hasAddress ? <AddressFields name="address" label="Office address" control={control} register={register} errors={errors} readOnly={readOnly} /> : null}
            </Paper>
          </Grid.Col>
          <Grid.Col span={12}>
            <Paper withBorder p="md">
              <Group justify="space-between" mb="xs">
                <Text className={classes.sectionTitle}>Insurance</Text>
                {!readOnly ? (
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => policies.append({ type: 'AUTO_LIABILITY', insurer: '', policyNumber: '', coverageCents: 100_000_000, expiresOn: '' })}
                  >
                    Add policy
                  </Button>
                ) : null}
              </Group>
              {policies.fields.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No policies on file. A carrier needs auto liability of at least $1,000,000 and cargo of at least $100,000 to be booked.
                </Text>
              ) : (
                <Table aria-label="Insurance policies" verticalSpacing={4}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Type</Table.Th>
                      <Table.Th>Insurer</Table.Th>
                      <Table.Th>Policy number</Table.Th>
                      <Table.Th>Coverage</Table.Th>
                      <Table.Th>Expires</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {policies.fields.map((policy, i) => {
                      const e = (f: string) => errorAt(errors, `insurancePolicies.${String(i)}.${f}`);
                      const expires = watch(`insurancePolicies.${i}.expiresOn`);
                      return (
                        <Table.Tr key={policy.id}>
                          <Table.Td>
                            <Controller
                              control={control}
                              name={`insurancePolicies.${i}.type`}
                              render={({ field }) => (
                                <Select
                                  aria-label={`Policy ${String(i + 1)} type`}
                                  data={INSURANCE_TYPES.map((t) => ({ value: t, label: INSURANCE_LABELS[t] }))}
                                  readOnly={readOnly}
                                  allowDeselect={false}
                                  value={field.value}
                                  onChange={(v) => field.onChange(v)}
                                  w={170}
                                />
                              )}
                            />
                          </Table.Td>
                          <Table.Td>
                            <TextInput aria-label={`Policy ${String(i + 1)} insurer`} readOnly={readOnly} {...register(`insurancePolicies.${i}.insurer`)} error={e('insurer')} />
                          </Table.Td>
                          <Table.Td>
                            <TextInput aria-label={`Policy ${String(i + 1)} number`} readOnly={readOnly} {...register(`insurancePolicies.${i}.policyNumber`)} error={e('policyNumber')} />
                          </Table.Td>
                          <Table.Td>
                            <Controller
                              control={control}
                              name={`insurancePolicies.${i}.coverageCents`}
                              render={({ field }) => (
                                <MoneyInput aria-label={`Policy ${String(i + 1)} coverage`} readOnly={readOnly} value={field.value} onChange={field.onChange} error={e('coverageCents')} w={150} />
                              )}
                            />
                          </Table.Td>
                          <Table.Td>
                            <Group gap={6} wrap="nowrap">
                              <TextInput type="date" aria-label={`Policy ${String(i + 1)} expires`} readOnly={readOnly} {...register(`insurancePolicies.${i}.expiresOn`)} error={e('expiresOn')} />
                              {expires && expires < today ? (
                                <Badge color="red" variant="light" size="sm">
                                  Expired
                                </Badge>
                              ) : null}
                            </Group>
                          </Table.Td>
                          <Table.Td>
                            {!readOnly ? (
                              <ActionIcon variant="subtle" color="red" aria-label={`Remove policy ${String(i + 1)}`} onClick={() => policies.remove(i)}>
                                ✕
                              </ActionIcon>
                            ) : null}
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              )}
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" className={classes.section}>
              <Text className={classes.sectionTitle}>Remit to and factoring</Text>
              <Stack gap="xs">
                <Checkbox
                  label="Remit payments to a different address"
                  checked={hasRemit}
                  disabled={readOnly}
                  onChange={(e) => setValue('remitToAddress', e.currentTarget.checked ? EMPTY_ADDRESS : null, { shouldDirty: true })}
                />
                {hasRemit ? <AddressFields name="remitToAddress" label="Remit-to address" control={control} register={register} errors={errors} readOnly={readOnly} /> : null}
                <Checkbox
                  label="Paid through a factoring company"
                  checked={hasFactor}
                  disabled={readOnly}
                  onChange={(e) =>
                    setValue('factoringCompany', e.currentTarget.checked ? { name: '', remitToAddress: EMPTY_ADDRESS, noticeOfAssignmentOn: null } : null, { shouldDirty: true })
                  }
                />
                {hasFactor ? (
                  <Stack gap="xs">
                    <TextInput label="Factoring company" readOnly={readOnly} {...register('factoringCompany.name')} error={errorAt(errors, 'factoringCompany.name')} />
                    <TextInput
                      type="date"
                      label="Notice of assignment received"
                      description="Payments go to the factor only when the notice is on file"
                      readOnly={readOnly}
                      {...register('factoringCompany.noticeOfAssignmentOn', { setValueAs: (v: string) => (v === '' ? null : v) })}
                      error={errorAt(errors, 'factoringCompany.noticeOfAssignmentOn')}
                    />
                    <AddressFields name="factoringCompany.remitToAddress" label="Factor remit-to" control={control} register={register} errors={errors} readOnly={readOnly} />
                  </Stack>
                ) : null}
              </Stack>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" className={classes.section}>
              <Text className={classes.sectionTitle}>Bank account (ACH)</Text>
              {row ? (
                <BankAccountPanel carrier={row} />
              ) : canBank ? (
                <Stack gap="xs">
                  <Checkbox
                    label="Add the carrier's bank account now"
                    checked={hasBank}
                    onChange={(e) =>
                      setValue('bankAccount', e.currentTarget.checked ? { routingNumber: '', accountNumber: '', accountType: 'CHECKING', holderName: watch('companyName') } : null, { shouldDirty: true })
                    }
                  />
                  {hasBank ? <BankAccountFields prefix="bankAccount" control={control} register={register} errors={errors} /> : null}
                </Stack>
              ) : (
                <Text size="sm" c="dimmed">
                  Bank details are entered by AP clerks, controllers and administrators.
                </Text>
              )}
            </Paper>
          </Grid.Col>
          <Grid.Col span={12}>
            <Paper withBorder p="md">
              <Textarea label="Notes" autosize minRows={2} readOnly={readOnly} {...register('notes')} error={errors.notes?.message} />
            </Paper>
          </Grid.Col>
        </Grid>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </form>
    </RecordLayout>
  );
}

