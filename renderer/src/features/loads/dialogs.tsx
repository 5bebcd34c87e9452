import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Group, Modal, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { contract } from '../../../../shared/contract/index.ts';
import type { LoadView } from '../../../../shared/contract/loads.ts';
import { CHECK_CALL_LABELS, CHECK_CALL_STATUSES, LOAD_STATUS_LABELS, localDateTimeSchema, locationSchema } from '../../../../shared/domain/loads/schema.ts';
import { optionalText } from '../../../../shared/domain/fields.ts';
import { stateSchema } from '../../../../shared/domain/fields.ts';
import { STATE_OPTIONS } from '../../components/form/AddressFields.tsx';
import { DialogActions } from '../../components/form/DialogActions.tsx';
import { MoneyInput } from '../../components/form/MoneyInput.tsx';
import { ApiError, useCommand } from '../../lib/api.ts';
import { nowLocal } from '../../lib/format.ts';
import { showRefusal, showSaved } from '../../lib/forms.ts';

interface DialogProps {
  load: LoadView;
  onClose(): void;
}

/** The refusal, where the dispatcher is looking (the dialog), as well as in a toast. */
function Refusal({ error }: { error: unknown }) {
  if (!(error instanceof ApiError)) return null;
  return (
    <Alert color="red" title="Refused" role="alert">
      {error.message}
    </Alert>
  );
}

const optionalLocation = z
  .object({ city: z.string().trim(), state: stateSchema.or(z.literal('')).or(z.null()) })
  .transform((l) => (l.city === '' || !l.state ? null : { city: l.city, state: l.state }));

const transitionSchema = z.object({ occurredAt: localDateTimeSchema, location: optionalLocation, note: optionalText('the note', 500) });

const STEP_LABELS = { DISPATCHED: 'Dispatch', IN_TRANSIT: 'Picked up', DELIVERED: 'Delivered', INVOICED: 'Mark invoiced', CLOSED: 'Close' } as const;
export type ManualStep = keyof typeof STEP_LABELS;
export const stepLabel = (to: ManualStep) => STEP_LABELS[to];

export function TransitionDialog({ load, to, onClose }: DialogProps & { to: ManualStep }) {
  const transition = useCommand('loads.transition');
  const [failure, setFailure] = useState<unknown>(null);
  const defaults = to === 'IN_TRANSIT' ? { city: load.originCity, state: load.originState } : to === 'DELIVERED' ? { city: load.destCity, state: load.destState } : { city: '', state: null };
  const form = useForm<z.input<typeof transitionSchema>, unknown, z.output<typeof transitionSchema>>({ resolver: zodResolver(transitionSchema), defaultValues: { occurredAt: nowLocal(), location: defaults, note: '' } });
  const submit = form.handleSubmit(async (v) => {
    try {
      await transition.mutateAsync({ id: load.id, expectedVersion: load.version, to, occurredAt: v.occurredAt, location: v.location, note: v.note });
      showSaved(`${load.loadNumber} is ${LOAD_STATUS_LABELS[to].toLowerCase()}`);
      onClose();
    } catch (error) {
      setFailure(error);
      showRefusal(error, form.setError, 'Not saved', { toast: false });
    }
  });
  return (
    <Modal opened onClose={onClose} title={`${STEP_LABELS[to]} · ${load.loadNumber}`}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Refusal error={failure} />
          <TextInput type="datetime-local" label="When (local time at the facility)" {...form.register('occurredAt')} error={form.formState.errors.occurredAt?.message} data-autofocus />
          <Group grow align="flex-start">
            <TextInput label="City" {...form.register('location.city')} />
            <Controller control={form.control} name="location.state" render={({ field }) => <Select label="State" data={STATE_OPTIONS} searchable clearable value={field.value ?? null} onChange={(v) => field.onChange(v)} />} />
          </Group>
          <Textarea label="Note" autosize minRows={2} {...form.register('note')} />
          <DialogActions onCancel={onClose} submitLabel={STEP_LABELS[to]} loading={form.formState.isSubmitting} />
        </Stack>
      </form>
    </Modal>
  );
}

const checkCallSchema = z.object({
  location: locationSchema,
  status: z.enum(CHECK_CALL_STATUSES, { error: 'Choose how the load is doing' }),
  etaAt: z.union([z.literal(''), localDateTimeSchema]).transform((v) => (v === '' ? null : v)),
  note: optionalText('the note', 500),
});

export function CheckCallDialog({ load, onClose }: DialogProps) {
  const checkCall = useCommand('loads.checkCall');
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<z.input<typeof checkCallSchema>, unknown, z.output<typeof checkCallSchema>>({
    resolver: zodResolver(checkCallSchema),
    defaultValues: { location: { city: load.lastLocationCity ?? '', state: load.lastLocationState ?? ('' as never) }, status: 'EN_ROUTE', etaAt: load.etaAt ?? '', note: '' },
  });
  const submit = form.handleSubmit(async (v) => {
    try {
      await checkCall.mutateAsync({ id: load.id, location: v.location, status: v.status, etaAt: v.etaAt, note: v.note, occurredAt: nowLocal() });
      showSaved(`Check call logged on ${load.loadNumber}`);
      onClose();
    } catch (error) {
      setFailure(error);
      showRefusal(error, form.setError, 'Not saved', { toast: false });
    }
  });
  const e = form.formState.errors;
  return (
    <Modal opened onClose={onClose} title={`Check call · ${load.loadNumber}`}>
      <form onSubmit={(ev) => void submit(ev)} noValidate>
        <Stack gap="sm">
          <Refusal error={failure} />
          <Group grow align="flex-start" role="group" aria-label="Truck location">
            <TextInput label="City" {...form.register('location.city')} error={e.location?.city?.message} data-autofocus />
            <Controller control={form.control} name="location.state" render={({ field }) => {
                const state: string = field.value;
                return <Select label="State" data={STATE_OPTIONS} searchable value={state === '' ? null : state} onChange={(v) => field.onChange(v ?? '')} error={e.location?.state?.message} />;
              }} />
          </Group>
          <Controller
            control={form.control}
            name="status"
            render={({ field }) => <Select label="Status" data={CHECK_CALL_STATUSES.map((s) => ({ value: s, label: CHECK_CALL_LABELS[s] }))} value={field.value} onChange={(v) => field.onChange(v)} allowDeselect={false} error={e.status?.message} />}
          />
          <TextInput type="datetime-local" label="ETA at delivery (receiver's local time)" description={`Delivery window closes ${load.deliveryEnd.replace('T', ' ')}`} {...form.register('etaAt')} error={e.etaAt?.message} />
          <Textarea label="Note" autosize minRows={2} {...form.register('note')} />
          <DialogActions onCancel={onClose} submitLabel="Log check call" loading={form.formState.isSubmitting} />
        </Stack>
      </form>
    </Modal>
  );
}

const cancelSchema = z.object({ reason: contract['loads.cancel'].input.shape.reason, tonuCents: z.number().int().min(0).nullable() });

export function CancelDialog({ load, onClose }: DialogProps) {
  const cancel = useCommand('loads.cancel');
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<z.input<typeof cancelSchema>>({ resolver: zodResolver(cancelSchema), defaultValues: { reason: '', tonuCents: null } });
  const submit = form.handleSubmit(async (values) => {
    try {
      await cancel.mutateAsync({ id: load.id, expectedVersion: load.version, reason: values.reason, tonuCents: values.tonuCents });
      showSaved(`${load.loadNumber} was cancelled`);
      onClose();
    } catch (error) {
      setFailure(error);
      showRefusal(error, form.setError, 'Not saved', { toast: false });
    }
  });
  return (
    <Modal opened onClose={onClose} title={`Cancel ${load.loadNumber}`}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Refusal error={failure} />
          <Textarea label="Reason" autosize minRows={2} {...form.register('reason')} error={form.formState.errors.reason?.message} data-autofocus />
          {load.status === 'DISPATCHED' ? (
            <Controller
              control={form.control}
              name="tonuCents"
              render={({ field }) => <MoneyInput label="TONU charge (truck ordered, not used)" value={field.value} onChange={(v) => field.onChange(Number.isNaN(v) ? null : v)} error={form.formState.errors.tonuCents?.message} />}
            />
          ) : (
            <Text size="sm" c="dimmed">
              No truck was dispatched, so no TONU charge applies.
            </Text>
          )}
          <DialogActions onCancel={onClose} submitLabel="Cancel load" loading={form.formState.isSubmitting} />
        </Stack>
      </form>
    </Modal>
  );
}

const overrideSchema = z.object({ reason: contract['loads.overrideCredit'].input.shape.reason });

export function CreditOverrideDialog({ load, onClose }: DialogProps) {
  const override = useCommand('loads.overrideCredit');
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<z.input<typeof overrideSchema>>({ resolver: zodResolver(overrideSchema), defaultValues: { reason: '' } });
  const submit = form.handleSubmit(async (values) => {
    try {
      await override.mutateAsync({ id: load.id, expectedVersion: load.version, reason: values.reason });
      showSaved(`Credit override recorded on ${load.loadNumber}`);
      onClose();
    } catch (error) {
      setFailure(error);
      showRefusal(error, form.setError, 'Not saved', { toast: false });
    }
  });
  return (
    <Modal opened onClose={onClose} title={`Credit override · ${load.loadNumber}`}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Refusal error={failure} />
          <Text size="sm">
            {load.customerName} would go over its credit limit with this load. Record why it may be booked anyway; the reason is kept with the load and in the audit log.
          </Text>
          <Textarea label="Reason for the override" autosize minRows={2} {...form.register('reason')} error={form.formState.errors.reason?.message} data-autofocus />
          <DialogActions onCancel={onClose} submitLabel="Approve override" loading={form.formState.isSubmitting} />
        </Stack>
      </form>
    </Modal>
  );
}

export { Refusal };
