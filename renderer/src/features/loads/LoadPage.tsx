import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Badge, Button, Group, Paper, Stack, Text, Timeline } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import type { LoadView } from '../../../../shared/contract/loads.ts';
import { EQUIPMENT_LABELS } from '../../../../shared/domain/carriers/schema.ts';
import { EDITABLE, TRACKABLE, canTransition } from '../../../../shared/domain/loads/lifecycle.ts';
import { CHECK_CALL_LABELS, LOAD_STATUS_LABELS, loadFieldsSchema } from '../../../../shared/domain/loads/schema.ts';
import { RecordLayout, RecordLoader } from '../../components/RecordPage.tsx';
import { useCommand, useCommandQuery } from '../../lib/api.ts';
import { formatLocal, formatMoney, formatRpm } from '../../lib/format.ts';
import { showRefusal, showSaved } from '../../lib/forms.ts';
import { useCan } from '../../lib/session.ts';
import { BookCarrierDialog } from './BookCarrierDialog.tsx';
import { CancelDialog, CheckCallDialog, CreditOverrideDialog, TransitionDialog, stepLabel, type ManualStep } from './dialogs.tsx';
import { LoadFormFields, type LoadFormValues } from './LoadForm.tsx';
import { LoadStatusBadge } from './LoadStatusBadge.tsx';

const BACK_LINK = { to: '/loads', label: 'Dispatch board' };

const BLANK: LoadFormValues = {
  customerId: '',
  origin: { line1: '', line2: '', city: '', state: '' as never, zip: '', windowStart: '', windowEnd: '' },
  destination: { line1: '', line2: '', city: '', state: '' as never, zip: '', windowStart: '', windowEnd: '' },
  cargo: { commodity: '', weightLbs: Number.NaN, pieces: 1, lengthIn: null, widthIn: null, heightIn: null, hazmat: false, hazmatUnNumber: '' },
  equipmentType: 'DRY_VAN',
  linehaulCents: Number.NaN,
  fuelSurchargeCents: 0,
  accessorials: [],
  targetCarrierRateCents: null,
  poNumber: '',
  bolNumber: '',
  proNumber: '',
  notes: '',
};

function valuesOf(l: LoadView): LoadFormValues {
  return {
    customerId: l.customerId,
    origin: { line1: l.originLine1, line2: l.originLine2 ?? '', city: l.originCity, state: l.originState, zip: l.originZip, windowStart: l.pickupStart, windowEnd: l.pickupEnd },
    destination: { line1: l.destLine1, line2: l.destLine2 ?? '', city: l.destCity, state: l.destState, zip: l.destZip, windowStart: l.deliveryStart, windowEnd: l.deliveryEnd },
    cargo: { commodity: l.commodity, weightLbs: l.weightLbs, pieces: l.pieces, lengthIn: l.lengthIn, widthIn: l.widthIn, heightIn: l.heightIn, hazmat: l.hazmat, hazmatUnNumber: l.hazmatUnNumber ?? '' },
    equipmentType: l.equipmentType,
    linehaulCents: l.linehaulCents,
    fuelSurchargeCents: l.fuelSurchargeCents,
    accessorials: l.accessorials.map((a) => ({ ...a, description: a.description ?? '' })),
    targetCarrierRateCents: l.targetCarrierRateCents,
    poNumber: l.poNumber ?? '',
    bolNumber: l.bolNumber ?? '',
    proNumber: l.proNumber ?? '',
    notes: l.notes ?? '',
  };
}

export function LoadPage() {
  return (
    <RecordLoader query="loads.get" back={BACK_LINK}>
      {(row) => <LoadScreen load={row} />}
    </RecordLoader>
  );
}

type Dialog = { kind: 'book' } | { kind: 'checkCall' } | { kind: 'cancel' } | { kind: 'override' } | { kind: 'step'; to: ManualStep };

const NEXT_STEP: Partial<Record<LoadView['status'], ManualStep>> = {
  BOOKED: 'DISPATCHED',
  DISPATCHED: 'IN_TRANSIT',
  IN_TRANSIT: 'DELIVERED',
  DELIVERED: 'INVOICED',
  INVOICED: 'CLOSED',
};

function LoadScreen({ load }: { load: LoadView | null }) {
  const navigate = useNavigate();
  const canWrite = useCan('loads.write');
  const canBook = useCan('loads.book');
  const canOverride = useCan('credit.override');
  const create = useCommand('loads.create');
  const update = useCommand('loads.update');
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const form = useForm<LoadFormValues>({ resolver: zodResolver(loadFieldsSchema), defaultValues: load ? valuesOf(load) : BLANK });
  const editable = canWrite && (load === null || EDITABLE.includes(load.status));

  useEffect(() => {
    if (load) form.reset(valuesOf(load));
    // Reset when the record itself changes (a save, a status change, someone else's edit).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load?.id, load?.version]);

  const submit = form.handleSubmit(async (values) => {
    const fields = loadFieldsSchema.parse(values);
    try {
      if (load) {
        await update.mutateAsync({ ...fields, id: load.id, expectedVersion: load.version });
        showSaved(`${load.loadNumber} was updated`);
      } else {
        const saved = await create.mutateAsync(fields);
        showSaved(`Load ${saved.loadNumber} was entered`);
        void navigate(`/loads/${saved.id}`, { replace: true });
      }
    } catch (error) {
      showRefusal(error, form.setError);
    }
  });

  const next = load ? NEXT_STEP[load.status] : undefined;
  useHotkeys([
    ['mod+S', () => void submit()],
    ['alt+B', () => load && canBook && load.status === 'PENDING' && setDialog({ kind: 'book' })],
    ['alt+C', () => load && canWrite && TRACKABLE.includes(load.status) && setDialog({ kind: 'checkCall' })],
  ], []);

  const actions = load ? (
    <>
      {canOverride && load.status === 'PENDING' && !load.creditOverride ? (
        <Button variant="light" color="orange" onClick={() => setDialog({ kind: 'override' })}>
          Credit override
        </Button>
      ) : null}
      {canBook && load.status === 'PENDING' ? (
        <Button onClick={() => setDialog({ kind: 'book' })} title="Alt+B">
          Book carrier
        </Button>
      ) : null}
      {canWrite && TRACKABLE.includes(load.status) ? (
        <Button variant="light" onClick={() => setDialog({ kind: 'checkCall' })} title="Alt+C">
          Check call
        </Button>
      ) : null}
      {canWrite && next ? (
        <Button variant="filled" color="indigo" onClick={() => setDialog({ kind: 'step', to: next })}>
          {stepLabel(next)}
        </Button>
      ) : null}
      {canWrite && canTransition(load.status, 'CANCELLED') ? (
        <Button variant="subtle" color="red" onClick={() => setDialog({ kind: 'cancel' })}>
          Cancel load
        </Button>
      ) : null}
      {editable ? (
        <Button variant="default" onClick={() => void submit()} loading={form.formState.isSubmitting} title="Ctrl+S">
          Save changes
        </Button>
      ) : null}
    </>
  ) : canWrite ? (
    <Button onClick={() => void submit()} loading={form.formState.isSubmitting} title="Ctrl+S">
      Save load
    </Button>
  ) : null;

  return (
    <>
      <RecordLayout
        back={BACK_LINK}
        title={load ? `Load ${load.loadNumber}` : 'New load'}
        badges={
          load ? (
            <>
              <LoadStatusBadge status={load.status} />
              {load.late ? <Badge color="red" variant="filled" size="sm">Late</Badge> : null}
            </>
          ) : null
        }
        actions={actions}
        summary={load ? <Summary load={load} /> : null}
        tabs={load ? [{ value: 'timeline', label: 'Timeline', content: <LoadTimeline id={load.id} /> }] : []}
        history={load ? { entity: 'loads', id: load.id } : null}
      >
        <form onSubmit={(e) => void submit(e)} noValidate aria-label="Load details">
          {!editable && load ? (
            <Text size="sm" c="dimmed" mb="sm">
              {canWrite ? `This load is ${LOAD_STATUS_LABELS[load.status].toLowerCase()}; its details can no longer change.` : 'You can view this load; your role does not allow changes.'}
            </Text>
          ) : null}
          <LoadFormFields form={form} readOnly={!editable} customerName={load?.customerName ?? null} customerLocked={load !== null && load.status !== 'PENDING'} />
          <button type="submit" hidden aria-hidden tabIndex={-1} />
        </form>
      </RecordLayout>
      {load && dialog?.kind === 'book' ? <BookCarrierDialog load={load} onClose={() => setDialog(null)} /> : null}
      {load && dialog?.kind === 'checkCall' ? <CheckCallDialog load={load} onClose={() => setDialog(null)} /> : null}
      {load && dialog?.kind === 'cancel' ? <CancelDialog load={load} onClose={() => setDialog(null)} /> : null}
      {load && dialog?.kind === 'override' ? <CreditOverrideDialog load={load} onClose={() => setDialog(null)} /> : null}
      {load && dialog?.kind === 'step' ? <TransitionDialog load={load} to={dialog.to} onClose={() => setDialog(null)} /> : null}
    </>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" fw={500} className="tabular">
        {children}
      </Text>
    </Stack>
  );
}

function Summary({ load }: { load: LoadView }) {
  return (
    <Paper px="md" py="xs" radius={0} withBorder style={{ borderLeft: 0, borderRight: 0, borderTop: 0 }} aria-label="Load summary">
      <Group gap="xl" wrap="wrap">
        <Fact label="Customer">{load.customerName}</Fact>
        <Fact label="Carrier">{load.carrierName ?? 'Not booked'}</Fact>
        <Fact label="Lane">
          {load.originCity}, {load.originState} → {load.destCity}, {load.destState}
        </Fact>
        <Fact label="Equipment">{EQUIPMENT_LABELS[load.equipmentType]}</Fact>
        <Fact label="Miles">{load.miles === null ? '—' : `≈ ${load.miles.toLocaleString('en-US')}`}</Fact>
        <Fact label="Customer">
          {formatMoney(load.customerTotalCents)} {load.customerRpmCents !== null ? <Text span size="xs" c="dimmed">{formatRpm(load.customerRpmCents)}</Text> : null}
        </Fact>
        <Fact label="Carrier pay">
          {load.carrierRateCents === null ? '—' : formatMoney(load.carrierRateCents)} {load.carrierRpmCents !== null ? <Text span size="xs" c="dimmed">{formatRpm(load.carrierRpmCents)}</Text> : null}
        </Fact>
        <Fact label="Margin">{load.marginCents === null ? '—' : formatMoney(load.marginCents)}</Fact>
        {load.etaAt ? (
          <Fact label="ETA">
            <Text span c={load.late ? 'red' : undefined} fw={load.late ? 700 : 500}>
              {formatLocal(load.etaAt)}
            </Text>
            {load.lastLocationCity ? <Text span size="xs" c="dimmed"> · last seen {load.lastLocationCity}, {load.lastLocationState}</Text> : null}
          </Fact>
        ) : null}
      </Group>
      {load.creditOverride ? (
        <Alert color="orange" variant="light" mt="xs" p="xs" title="Credit override on file">
          {load.creditOverride.reason}
        </Alert>
      ) : null}
    </Paper>
  );
}

const EVENT_TITLES: Record<string, string> = {
  CREATED: 'Entered',
  UPDATED: 'Details edited',
  CREDIT_OVERRIDE: 'Credit override',
  BOOKED: 'Booked',
  DISPATCHED: 'Dispatched',
  PICKED_UP: 'Picked up',
  DELIVERED: 'Delivered',
  INVOICED: 'Invoiced',
  CLOSED: 'Closed',
  CANCELLED: 'Cancelled',
  CHECK_CALL: 'Check call',
};

function LoadTimeline({ id }: { id: string }) {
  const events = useCommandQuery('loads.events', { id });
  if (events.isPending) return <Text c="dimmed">Loading the timeline…</Text>;
  if (events.isError) return <Text c="red">{events.error.message}</Text>;
  return (
    <Timeline bulletSize={14} lineWidth={2} active={events.data.length} aria-label="Tracking timeline">
      {events.data.map((e) => (
        <Timeline.Item key={e.id} title={<Text fw={600} size="sm">{EVENT_TITLES[e.type] ?? e.type}{e.checkCallStatus ? ` · ${CHECK_CALL_LABELS[e.checkCallStatus]}` : ''}</Text>} color={e.type === 'CANCELLED' ? 'red' : e.type === 'CHECK_CALL' ? 'gray' : 'notchify'}>
          <Text size="xs" c="dimmed" className="tabular">
            {new Date(e.at).toLocaleString()} · {e.actorName ?? 'someone'}
            {e.occurredAt ? ` · at the facility ${formatLocal(e.occurredAt, true)}` : ''}
          </Text>
          {e.city ? <Text size="sm">{e.city}, {e.state}</Text> : null}
          {e.etaAt ? <Text size="sm">ETA {formatLocal(e.etaAt, true)}</Text> : null}
          {e.note ? <Text size="sm">{e.note}</Text> : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
