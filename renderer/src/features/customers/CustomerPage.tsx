import { zodResolver } from '@hookform/resolvers/zod';
import { ActionIcon, Button, Checkbox, Grid, Group, Paper, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect } from 'react';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import type { z } from 'zod';
import { BILLING_DOCUMENTS, BILLING_DOCUMENT_LABELS, PAYMENT_TERMS, PAYMENT_TERMS_LABELS, customerFieldsSchema, type CustomerRow, type CustomerStatus } from '../../../../shared/domain/customers/schema.ts';
import { AddressFields, errorAt } from '../../components/form/AddressFields.tsx';
import { MoneyInput } from '../../components/form/MoneyInput.tsx';
import { RecordLayout, RecordLoader } from '../../components/RecordPage.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { useCommand } from '../../lib/api.ts';
import { showRefusal, showSaved } from '../../lib/forms.ts';
import { useCan } from '../../lib/session.ts';
import classes from '../../components/form/RecordPage.module.css';

type Values = z.input<typeof customerFieldsSchema>;

const EMPTY_ADDRESS = { line1: '', line2: '', city: '', state: '' as never, zip: '' };
const BLANK: Values = {
  companyName: '',
  contactName: '',
  email: '',
  phone: '',
  billingEmail: '',
  billingAddress: EMPTY_ADDRESS,
  shippingAddress: null,
  creditLimitCents: 0,
  paymentTerms: 'NET_30',
  requiredDocuments: ['POD'],
  notes: '',
  contacts: [],
};

function valuesOf(row: CustomerRow): Values {
  const { id: _id, status: _s, createdAt: _c, updatedAt: _u, version: _v, ...fields } = row;
  return {
    ...fields,
    phone: fields.phone ?? '',
    contacts: fields.contacts.map((c) => ({ name: c.name, title: c.title ?? '', email: c.email ?? '', phone: c.phone ?? '' })),
    notes: fields.notes ?? '',
    billingAddress: { ...fields.billingAddress, line2: fields.billingAddress.line2 ?? '' },
    shippingAddress: fields.shippingAddress ? { ...fields.shippingAddress, line2: fields.shippingAddress.line2 ?? '' } : null,
  };
}

const BACK_LINK = { to: '/customers', label: 'Customers' };

export function CustomerPage() {
  return (
    <RecordLoader query="customers.get" back={BACK_LINK}>
      {(row) => <CustomerForm row={row} />}
    </RecordLoader>
  );
}

function CustomerForm({ row }: { row: CustomerRow | null }) {
  const navigate = useNavigate();
  const canWrite = useCan('customers.write');
  const canCredit = useCan('customers.credit');
  const create = useCommand('customers.create');
  const update = useCommand('customers.update');
  const setStatus = useCommand('customers.setStatus');
  const form = useForm<Values>({ resolver: zodResolver(customerFieldsSchema), defaultValues: row ? valuesOf(row) : BLANK });
  const { register, control, formState, watch, setValue } = form;
  const contacts = useFieldArray({ control, name: 'contacts' });
  const errors = formState.errors;
  const readOnly = !canWrite;

  useEffect(() => {
    if (row) form.reset(valuesOf(row));
    // Reset only when the record itself changes (a save, or someone else's edit arriving).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [row?.id, row?.version]);

  const submit = form.handleSubmit(async (values) => {
    const fields = customerFieldsSchema.parse(values);
    try {
      if (row) {
        await update.mutateAsync({ ...fields, id: row.id, expectedVersion: row.version });
        showSaved(`${fields.companyName} was updated`);
      } else {
        const saved = await create.mutateAsync(fields);
        showSaved(`${fields.companyName} was added`);
        void navigate(`/customers/${saved.id}`, { replace: true });
      }
    } catch (error) {
      showRefusal(error, form.setError);
    }
  });

  useHotkeys([['mod+S', () => void submit()]], []);

  const changeStatus = async (status: CustomerStatus, done: string) => {
    if (!row) return;
    try {
      await setStatus.mutateAsync({ id: row.id, expectedVersion: row.version, status });
      showSaved(done);
    } catch (error) {
      showRefusal(error, undefined, 'Status not changed');
    }
  };

  const shipsElsewhere = watch('shippingAddress') !== null;

  return (
    <RecordLayout
      back={BACK_LINK}
      title={row ? row.companyName : 'New customer'}
      badges={row ? <StatusBadge status={row.status} /> : null}
      actions={
        <>
          {row && canCredit && row.status === 'ACTIVE' ? (
            <ConfirmButton color="orange" label="Put on credit hold" confirm={`Put ${row.companyName} on credit hold? No new loads can be booked for them.`} onConfirm={() => changeStatus('ON_HOLD', `${row.companyName} is on credit hold`)} />
          ) : null}
          {row && canCredit && row.status === 'ON_HOLD' ? (
            <Button variant="light" color="teal" onClick={() => void changeStatus('ACTIVE', `${row.companyName} is released from hold`)}>
              Release hold
            </Button>
          ) : null}
          {row && canWrite && row.status !== 'INACTIVE' ? (
            <ConfirmButton color="gray" label="Deactivate" confirm={`Deactivate ${row.companyName}? It stays in history and can be reactivated.`} onConfirm={() => changeStatus('INACTIVE', `${row.companyName} was deactivated`)} />
          ) : null}
          {row && canWrite && row.status === 'INACTIVE' ? (
            <Button variant="light" onClick={() => void changeStatus('ACTIVE', `${row.companyName} was reactivated`)}>
              Reactivate
            </Button>
          ) : null}
          {canWrite ? (
            <Button onClick={() => void submit()} loading={formState.isSubmitting} title="Ctrl+S">
              {row ? 'Save changes' : 'Save customer'}
            </Button>
          ) : null}
        </>
      }
      history={row ? { entity: 'customers', id: row.id } : null}
    >
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Customer details">
        {readOnly ? (
          <Text size="sm" c="dimmed" mb="sm">
            You can view this customer; your role does not allow changes.
          </Text>
        ) : null}
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" className={classes.section}>
              <Text className={classes.sectionTitle}>Company and contact</Text>
              <Stack gap="xs">
                <TextInput label="Company name" readOnly={readOnly} {...register('companyName')} error={errors.companyName?.message} data-autofocus />
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
              <Text className={classes.sectionTitle}>Billing and credit</Text>
              <Stack gap="xs">
                <TextInput label="Billing email" description="Invoices are sent here" type="email" readOnly={readOnly} {...register('billingEmail')} error={errors.billingEmail?.message} />
                <Group grow align="flex-start">
                  <Controller
                    control={control}
                    name="creditLimitCents"
                    render={({ field }) => (
                      <MoneyInput
                        label="Credit limit"
                        description={canCredit ? undefined : 'Set by a controller'}
                        readOnly={readOnly || !canCredit}
                        value={field.value}
                        onChange={field.onChange}
                        onBlur={field.onBlur}
                        error={errors.creditLimitCents?.message}
                      />
                    )}
                  />
                  <Controller
                    control={control}
                    name="paymentTerms"
                    render={({ field }) => (
                      <Select
                        label="Payment terms"
                        data={PAYMENT_TERMS.map((t) => ({ value: t, label: PAYMENT_TERMS_LABELS[t] }))}
                        readOnly={readOnly}
                        value={field.value}
                        onChange={(v) => field.onChange(v)}
                        error={errors.paymentTerms?.message}
                        allowDeselect={false}
                      />
                    )}
                  />
                </Group>
                <Controller
                  control={control}
                  name="requiredDocuments"
                  render={({ field }) => (
                    <Checkbox.Group label="Documents required to invoice" value={field.value ?? []} onChange={field.onChange} readOnly={readOnly}>
                      <Group gap="md" mt={4}>
                        {BILLING_DOCUMENTS.map((d) => (
                          <Checkbox key={d} value={d} label={BILLING_DOCUMENT_LABELS[d]} size="xs" disabled={readOnly} />
                        ))}
                      </Group>
                    </Checkbox.Group>
                  )}
                />
              </Stack>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" className={classes.section}>
              <Text className={classes.sectionTitle}>Billing address</Text>
              <AddressFields name="billingAddress" label="Billing address" control={control} register={register} errors={errors} readOnly={readOnly} />
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" className={classes.section}>
              <Text className={classes.sectionTitle}>Shipping address</Text>
              <Checkbox
                label="Ships from a different address"
                checked={shipsElsewhere}
                disabled={readOnly}
                onChange={(e) => setValue('shippingAddress', e.currentTarget.checked ? EMPTY_ADDRESS : null, { shouldDirty: true })}
                mb="xs"
              />
              {shipsElsewhere ? (
                <AddressFields name="shippingAddress" label="Shipping address" control={control} register={register} errors={errors} readOnly={readOnly} />
              ) : (
                <Text size="sm" c="dimmed">
                  Same as the billing address.
                </Text>
              )}
            </Paper>
          </Grid.Col>
          <Grid.Col span={12}>
            <Paper withBorder p="md">
              <Group justify="space-between" mb="xs">
                <Text className={classes.sectionTitle}>Other contacts</Text>
                {!readOnly ? (
                  <Button size="xs" variant="light" onClick={() => contacts.append({ name: '', title: '', email: '', phone: '' })}>
                    Add contact
                  </Button>
                ) : null}
              </Group>
              {contacts.fields.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Only the main contact. Add the people in accounts payable, shipping or purchasing you call about loads and invoices.
                </Text>
              ) : (
                <Table aria-label="Other contacts" verticalSpacing={4}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Title</Table.Th>
                      <Table.Th>Email</Table.Th>
                      <Table.Th>Phone</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {contacts.fields.map((contact, i) => {
                      const e = (f: string) => errorAt(errors, `contacts.${String(i)}.${f}`);
                      const n = String(i + 1);
                      return (
                        <Table.Tr key={contact.id}>
                          <Table.Td>
                            <TextInput aria-label={`Contact ${n} name`} readOnly={readOnly} {...register(`contacts.${i}.name`)} error={e('name')} />
                          </Table.Td>
                          <Table.Td>
                            <TextInput aria-label={`Contact ${n} title`} readOnly={readOnly} {...register(`contacts.${i}.title`)} error={e('title')} />
                          </Table.Td>
                          <Table.Td>
                            <TextInput aria-label={`Contact ${n} email`} readOnly={readOnly} {...register(`contacts.${i}.email`)} error={e('email')} />
                          </Table.Td>
                          <Table.Td>
                            <TextInput aria-label={`Contact ${n} phone`} readOnly={readOnly} {...register(`contacts.${i}.phone`)} error={e('phone')} />
                          </Table.Td>
                          <Table.Td>
                            {!readOnly ? (
                              <ActionIcon variant="subtle" color="red" aria-label={`Remove contact ${n}`} onClick={() => contacts.remove(i)}>
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
          <Grid.Col span={12}>
            <Paper withBorder p="md" className={classes.section}>
              <Textarea label="Notes" autosize minRows={2} readOnly={readOnly} {...register('notes')} error={errors.notes?.message} />
            </Paper>
          </Grid.Col>
        </Grid>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </form>
    </RecordLayout>
  );
}
