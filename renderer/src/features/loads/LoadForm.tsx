import { ActionIcon, Button, Checkbox, Grid, Group, NumberInput, Paper, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useEffect } from 'react';
import { Controller, useFieldArray, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { EQUIPMENT_LABELS, EQUIPMENT_TYPES } from '../../../../shared/domain/carriers/schema.ts';
import { centsPerMile } from '../../../../shared/domain/loads/mileage.ts';
import { ACCESSORIAL_CODES, ACCESSORIAL_LABELS, type loadFieldsSchema } from '../../../../shared/domain/loads/schema.ts';
import { AddressFields, errorAt } from '../../components/form/AddressFields.tsx';
import { EntityPicker } from '../../components/form/EntityPicker.tsx';
import { MoneyInput } from '../../components/form/MoneyInput.tsx';
import { invoke, useCommandQuery } from '../../lib/api.ts';
import { formatMoney, formatRpm } from '../../lib/format.ts';
import classes from '../../components/form/RecordPage.module.css';

export type LoadFormValues = z.input<typeof loadFieldsSchema>;

const ZIP = /^\d{5}(-\d{4})?$/;

/** When a ZIP is typed, fill in its city and state if they are still empty. */
function useZipFill(form: UseFormReturn<LoadFormValues>, stop: 'origin' | 'destination') {
  const zip = form.watch(`${stop}.zip`);
  useEffect(() => {
    if (!ZIP.test(zip)) return;
    void invoke('places.zip', { zip }).then((place) => {
      if (!place) return;
      if (form.getValues(`${stop}.city`) === '') form.setValue(`${stop}.city`, place.city, { shouldDirty: true });
      // A blank form holds '' in the state field until one is chosen.
      const state: string = form.getValues(`${stop}.state`);
      if (state === '') form.setValue(`${stop}.state`, place.state as never, { shouldDirty: true });
    });
  }, [zip, form, stop]);
}

function StopSection({ form, stop, readOnly }: { form: UseFormReturn<LoadFormValues>; stop: 'origin' | 'destination'; readOnly: boolean }) {
  useZipFill(form, stop);
  const e = (f: string) => errorAt(form.formState.errors, `${stop}.${f}`);
  const label = stop === 'origin' ? 'Pickup' : 'Delivery';
  return (
    <Paper withBorder p="md" className={classes.section}>
      <Text className={classes.sectionTitle}>{stop === 'origin' ? 'Pickup (origin)' : 'Delivery (destination)'}</Text>
      <Stack gap="xs">
        <AddressFields name={stop} label={stop === 'origin' ? 'Origin' : 'Destination'} control={form.control} register={form.register} errors={form.formState.errors} readOnly={readOnly} />
        <Group grow align="flex-start" role="group" aria-label={`${label} window`}>
          <TextInput type="datetime-local" label={`${label} window opens`} readOnly={readOnly} {...form.register(`${stop}.windowStart`)} error={e('windowStart')} />
          <TextInput type="datetime-local" label={`${label} window closes`} readOnly={readOnly} {...form.register(`${stop}.windowEnd`)} error={e('windowEnd')} />
        </Group>
      </Stack>
    </Paper>
  );
}

function CreditLine({ customerId }: { customerId: string }) {
  const credit = useCommandQuery('customers.credit', { id: customerId }, { enabled: customerId !== '' });
  if (!credit.data) return null;
  const { limitCents, exposureCents, availableCents } = credit.data;
  return (
    <Text size="xs" c={availableCents < 0 ? 'red' : 'dimmed'} aria-label="Customer credit">
      Credit: {formatMoney(exposureCents)} in use of {formatMoney(limitCents)} · {availableCents < 0 ? `${formatMoney(-availableCents)} over` : `${formatMoney(availableCents)} available`}
    </Text>
  );
}

function MileageLine({ form }: { form: UseFormReturn<LoadFormValues> }) {
  const originZip = form.watch('origin.zip');
  const destZip = form.watch('destination.zip');
  const [linehaul, fuel, accessorials, target] = form.watch(['linehaulCents', 'fuelSurchargeCents', 'accessorials', 'targetCarrierRateCents']);
  const ready = ZIP.test(originZip) && ZIP.test(destZip);
  const estimate = useCommandQuery('loads.estimate', { originZip, destZip }, { enabled: ready });
  const total = (Number.isFinite(linehaul) ? linehaul : 0) + (Number.isFinite(fuel) ? (fuel ?? 0) : 0) + (accessorials ?? []).reduce((s, a) => s + (Number.isFinite(a.amountCents) ? a.amountCents : 0), 0);
  const miles = estimate.data?.miles ?? null;
  return (
    <Group gap="lg" aria-label="Rate summary">
      <Text size="sm">
        Customer total <b className="tabular">{formatMoney(total)}</b>
      </Text>
      <Text size="sm">
        Miles <b className="tabular">{miles === null ? '—' : `≈ ${miles.toLocaleString('en-US')}`}</b>
      </Text>
      <Text size="sm">
        Customer rate <b className="tabular">{formatRpm(centsPerMile(total, miles)) || '—'}</b>
      </Text>
      {target !== null && target !== undefined && Number.isFinite(target) ? (
        <Text size="sm">
          Target carrier rate <b className="tabular">{formatRpm(centsPerMile(target, miles)) || '—'}</b>
        </Text>
      ) : null}
    </Group>
  );
}

/** Every field of a load: customer, stops and windows, cargo, equipment, rates, references. */
export function LoadFormFields({ form, readOnly, customerName, customerLocked }: { form: UseFormReturn<LoadFormValues>; readOnly: boolean; customerName: string | null; customerLocked: boolean }) {
  const { register, control, formState, watch } = form;
  const errors = formState.errors;
  const accessorials = useFieldArray({ control, name: 'accessorials' });
  const hazmat = watch('cargo.hazmat');
  const customerId = watch('customerId');
  const num = (f: string) => errorAt(errors, f);
  return (
    <Grid gap="md">
      <Grid.Col span={12}>
        <Paper withBorder p="md">
          <Group align="flex-start" gap="md" wrap="wrap">
            <Stack gap={4}>
              <Controller
                control={control}
                name="customerId"
                render={({ field }) => (
                  <EntityPicker
                    kind="customers.options"
                    label="Customer"
                    placeholder="Type to search customers"
                    value={field.value === '' ? null : field.value}
                    valueLabel={customerName}
                    onChange={(id) => field.onChange(id ?? '')}
                    error={errors.customerId?.message}
                    readOnly={readOnly || customerLocked}
                    clearable={false}
                    w={320}
                  />
                )}
              />
              {customerId ? <CreditLine customerId={customerId} /> : null}
            </Stack>
            <Controller
              control={control}
              name="equipmentType"
              render={({ field }) => (
                <Select label="Equipment" data={EQUIPMENT_TYPES.map((e) => ({ value: e, label: EQUIPMENT_LABELS[e] }))} value={field.value} onChange={(v) => field.onChange(v)} allowDeselect={false} readOnly={readOnly} error={errors.equipmentType?.message} w={180} />
              )}
            />
            <TextInput label="PO number" readOnly={readOnly} {...register('poNumber')} error={errors.poNumber?.message} w={150} />
            <TextInput label="BOL number" readOnly={readOnly} {...register('bolNumber')} error={errors.bolNumber?.message} w={150} />
            <TextInput label="PRO number" readOnly={readOnly} {...register('proNumber')} error={errors.proNumber?.message} w={150} />
          </Group>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <StopSection form={form} stop="origin" readOnly={readOnly} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <StopSection form={form} stop="destination" readOnly={readOnly} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Paper withBorder p="md" className={classes.section}>
          <Text className={classes.sectionTitle}>Cargo</Text>
          <Stack gap="xs">
            <TextInput label="Commodity" readOnly={readOnly} {...register('cargo.commodity')} error={num('cargo.commodity')} />
            <Group grow align="flex-start">
              <Controller control={control} name="cargo.weightLbs" render={({ field }) => <NumberInput label="Weight (lb)" thousandSeparator="," allowDecimal={false} min={0} readOnly={readOnly} value={field.value} onChange={(v) => field.onChange(typeof v === 'number' ? v : Number.NaN)} error={num('cargo.weightLbs')} />} />
              <Controller control={control} name="cargo.pieces" render={({ field }) => <NumberInput label="Pieces" allowDecimal={false} min={0} readOnly={readOnly} value={field.value} onChange={(v) => field.onChange(typeof v === 'number' ? v : Number.NaN)} error={num('cargo.pieces')} />} />
            </Group>
            <Group grow align="flex-start" role="group" aria-label="Dimensions (inches)">
              {(['lengthIn', 'widthIn', 'heightIn'] as const).map((d) => (
                <Controller
                  key={d}
                  control={control}
                  name={`cargo.${d}`}
                  render={({ field }) => (
                    <NumberInput label={{ lengthIn: 'Length (in)', widthIn: 'Width (in)', heightIn: 'Height (in)' }[d]} allowDecimal={false} min={0} readOnly={readOnly} value={field.value ?? ''} onChange={(v) => field.onChange(typeof v === 'number' ? v : null)} error={num(`cargo.${d}`)} />
                  )}
                />
              ))}
            </Group>
            <Group align="flex-end">
              <Controller control={control} name="cargo.hazmat" render={({ field }) => <Checkbox label="Hazardous materials" checked={field.value ?? false} disabled={readOnly} onChange={(e) => field.onChange(e.currentTarget.checked)} />} />
              {hazmat ? <TextInput label="UN number" placeholder="UN1203" readOnly={readOnly} {...register('cargo.hazmatUnNumber')} error={num('cargo.hazmatUnNumber')} w={140} /> : null}
            </Group>
          </Stack>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Paper withBorder p="md" className={classes.section}>
          <Text className={classes.sectionTitle}>Rates</Text>
          <Stack gap="xs">
            <Group grow align="flex-start">
              <Controller control={control} name="linehaulCents" render={({ field }) => <MoneyInput label="Linehaul" readOnly={readOnly} value={field.value} onChange={field.onChange} error={errors.linehaulCents?.message} />} />
              <Controller control={control} name="fuelSurchargeCents" render={({ field }) => <MoneyInput label="Fuel surcharge" readOnly={readOnly} value={field.value} onChange={field.onChange} error={errors.fuelSurchargeCents?.message} />} />
              <Controller
                control={control}
                name="targetCarrierRateCents"
                render={({ field }) => <MoneyInput label="Target carrier rate" readOnly={readOnly} value={field.value} onChange={(v) => field.onChange(Number.isNaN(v) ? null : v)} error={errors.targetCarrierRateCents?.message} />}
              />
            </Group>
            {accessorials.fields.length > 0 ? (
              <Table aria-label="Accessorial charges" verticalSpacing={2}>
                <Table.Tbody>
                  {accessorials.fields.map((row, i) => (
                    <Table.Tr key={row.id}>
                      <Table.Td>
                        <Controller control={control} name={`accessorials.${i}.code`} render={({ field }) => <Select aria-label={`Charge ${String(i + 1)} kind`} data={ACCESSORIAL_CODES.map((c) => ({ value: c, label: ACCESSORIAL_LABELS[c] }))} value={field.value} onChange={(v) => field.onChange(v)} allowDeselect={false} readOnly={readOnly} w={190} />} />
                      </Table.Td>
                      <Table.Td>
                        <TextInput aria-label={`Charge ${String(i + 1)} description`} placeholder="Description" readOnly={readOnly} {...register(`accessorials.${i}.description`)} />
                      </Table.Td>
                      <Table.Td>
                        <Controller control={control} name={`accessorials.${i}.amountCents`} render={({ field }) => <MoneyInput aria-label={`Charge ${String(i + 1)} amount`} readOnly={readOnly} value={field.value} onChange={field.onChange} error={num(`accessorials.${String(i)}.amountCents`)} w={130} />} />
                      </Table.Td>
                      <Table.Td>
                        {!readOnly ? (
                          <ActionIcon variant="subtle" color="red" aria-label={`Remove charge ${String(i + 1)}`} onClick={() => accessorials.remove(i)}>
                            ✕
                          </ActionIcon>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : null}
            {!readOnly ? (
              <Button size="xs" variant="subtle" w="fit-content" onClick={() => accessorials.append({ code: 'DETENTION', description: '', amountCents: 0 })}>
                Add accessorial charge
              </Button>
            ) : null}
            <MileageLine form={form} />
          </Stack>
        </Paper>
      </Grid.Col>
      <Grid.Col span={12}>
        <Paper withBorder p="md">
          <Textarea label="Notes" autosize minRows={2} readOnly={readOnly} {...register('notes')} error={errors.notes?.message} />
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

