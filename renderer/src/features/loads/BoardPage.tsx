import { Badge, Button, Checkbox, Group, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { In } from '../../../../shared/contract/index.ts';
import { LOAD_BOARD_COLUMNS, LOAD_SORT_FIELDS, type LoadBoardColumn, type LoadListRow } from '../../../../shared/contract/loads.ts';
import { EQUIPMENT_LABELS, EQUIPMENT_TYPES, type EquipmentType } from '../../../../shared/domain/carriers/schema.ts';
import { LOAD_STATUSES, LOAD_STATUS_LABELS, type LoadStatus } from '../../../../shared/domain/loads/schema.ts';
import type { UsState } from '../../../../shared/domain/validation/us-states.ts';
import { EntityPicker } from '../../components/form/EntityPicker.tsx';
import { US_STATE_CODES } from '../../../../shared/domain/validation/us-states.ts';
import type { GridFeatures } from '../../components/grid/DataGrid.tsx';
import { ListPage } from '../../components/ListPage.tsx';
import { StatusFilter } from '../../components/StatusFilter.tsx';
import { invoke } from '../../lib/api.ts';
import { formatLocal, formatMoney } from '../../lib/format.ts';
import { showRefusal } from '../../lib/forms.ts';
import { useCan } from '../../lib/session.ts';
import { LoadStatusBadge } from './LoadStatusBadge.tsx';

const helper = createColumnHelper<GridFeatures, LoadListRow>();

function Margin({ row }: { row: LoadListRow }) {
  if (row.marginCents === null) return null;
  const pct = row.customerTotalCents > 0 ? (row.marginCents / row.customerTotalCents) * 100 : 0;
  const color = row.marginCents < 0 ? 'red' : pct < 10 ? 'orange' : 'teal';
  return (
    <Text span size="sm" c={color} fw={row.marginCents < 0 ? 700 : 500} className="tabular">
      {formatMoney(row.marginCents)} <Text span size="xs" c="dimmed">{pct.toFixed(0)}%</Text>
    </Text>
  );
}

const columns = helper.columns([
  helper.accessor('loadNumber', { header: 'Load', size: 90, cell: (c) => <Text span fw={600} size="sm" className="tabular">{c.getValue()}</Text> }),
  helper.accessor('status', { header: 'Status', size: 105, cell: (c) => <LoadStatusBadge status={c.getValue()} /> }),
  helper.accessor('customerName', { header: 'Customer', size: 190 }),
  helper.accessor('carrierName', { header: 'Carrier', size: 190, cell: (c) => c.getValue() ?? <Text span size="sm" c="dimmed">Not booked</Text> }),
  helper.accessor((r) => `${r.originCity}, ${r.originState}`, { id: 'origin', header: 'Origin', size: 150 }),
  helper.accessor('pickupStart', { header: 'Pickup', size: 150, cell: (c) => <span className="tabular">{formatLocal(c.getValue())}</span> }),
  helper.accessor((r) => `${r.destCity}, ${r.destState}`, { id: 'destination', header: 'Destination', size: 150 }),
  helper.accessor('deliveryStart', { header: 'Delivery', size: 150, cell: (c) => <span className="tabular">{formatLocal(c.getValue())}</span> }),
  helper.accessor('equipmentType', { header: 'Equipment', size: 95, cell: (c) => EQUIPMENT_LABELS[c.getValue()] }),
  helper.accessor('miles', { header: 'Miles', size: 65, cell: (c) => <span className="tabular">{c.getValue()?.toLocaleString('en-US') ?? ''}</span> }),
  helper.accessor('customerTotalCents', { header: 'Customer rate', size: 125, cell: (c) => <span className="tabular">{formatMoney(c.getValue())}</span> }),
  helper.accessor('carrierRateCents', { header: 'Carrier pay', size: 100, cell: (c) => <span className="tabular">{formatMoney(c.getValue())}</span> }),
  helper.accessor('marginCents', { header: 'Margin', size: 110, cell: (c) => <Margin row={c.row.original} /> }),
  helper.accessor('etaAt', {
    header: 'ETA',
    size: 170,
    cell: (c) =>
      c.row.original.late ? (
        <Tooltip label={`Delivery window ends ${formatLocal(c.row.original.deliveryEnd)}`}>
          <Badge color="red" variant="filled" size="sm" radius="sm">Late · {formatLocal(c.getValue())}</Badge>
        </Tooltip>
      ) : (
        <span className="tabular">{formatLocal(c.getValue())}</span>
      ),
  }),
  helper.accessor('poNumber', { header: 'PO', size: 100, enableSorting: false, cell: (c) => c.getValue() ?? '' }),
  helper.accessor('bolNumber', { header: 'BOL', size: 100, enableSorting: false, cell: (c) => c.getValue() ?? '' }),
  helper.accessor('proNumber', { header: 'PRO', size: 100, enableSorting: false, cell: (c) => c.getValue() ?? '' }),
]);

const HIDDEN_BY_DEFAULT: LoadBoardColumn[] = ['bolNumber', 'proNumber'];
const isBoardColumn = (id: string): id is LoadBoardColumn => (LOAD_BOARD_COLUMNS as readonly string[]).includes(id);

interface Extra {
  statuses: LoadStatus[];
  pickupFrom: string | null;
  pickupTo: string | null;
  deliveryFrom: string | null;
  deliveryTo: string | null;
  customer: { id: string; name: string } | null;
  carrier: { id: string; name: string } | null;
  originState: UsState | null;
  destState: UsState | null;
  equipmentType: EquipmentType | null;
  lateOnly: boolean;
}

/** Open work first: what a dispatcher watches. Closed and cancelled loads are one click away. */
const DEFAULT_EXTRA: Extra = {
  statuses: ['PENDING', 'BOOKED', 'DISPATCHED', 'IN_TRANSIT'],
  pickupFrom: null,
  pickupTo: null,
  deliveryFrom: null,
  deliveryTo: null,
  customer: null,
  carrier: null,
  originState: null,
  destState: null,
  equipmentType: null,
  lateOnly: false,
};

const dateOrNull = (v: string) => (v === '' ? null : v);
const STATE_CODES = [...US_STATE_CODES];

function ExportButton({ filters }: { filters: In<'loads.exportCsv'> }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="default"
      loading={busy}
      onClick={() => {
        setBusy(true);
        invoke('loads.exportCsv', filters)
          .then((result) => {
            const url = URL.createObjectURL(new Blob([result.csv], { type: 'text/csv;charset=utf-8' }));
            const link = document.createElement('a');
            link.href = url;
            link.download = result.fileName;
            link.click();
            URL.revokeObjectURL(url);
          })
          .catch((error: unknown) => showRefusal(error, undefined, 'Export failed'))
          .finally(() => setBusy(false));
      }}
    >
      Export CSV
    </Button>
  );
}

export function BoardPage() {
  const navigate = useNavigate();
  const canWrite = useCan('loads.write');
  const onNew = canWrite ? () => void navigate('/loads/new') : undefined;
  return (
    <ListPage
      title="Dispatch board"
      grid="loads"
      list="loads.list"
      columns={columns}
      sortFields={LOAD_SORT_FIELDS}
      defaultSort={{ field: 'pickupStart', dir: 'asc' }}
      defaultExtra={DEFAULT_EXTRA}
      toFilters={(x) => ({
        statuses: x.statuses,
        pickupFrom: x.pickupFrom,
        pickupTo: x.pickupTo,
        deliveryFrom: x.deliveryFrom,
        deliveryTo: x.deliveryTo,
        customerId: x.customer?.id ?? null,
        carrierId: x.carrier?.id ?? null,
        originState: x.originState,
        destState: x.destState,
        equipmentType: x.equipmentType,
        lateOnly: x.lateOnly,
      })}
      renderFilters={(x, set) => (
        <>
          <StatusFilter statuses={LOAD_STATUSES} labels={LOAD_STATUS_LABELS} value={x.statuses} onChange={(statuses) => set({ ...x, statuses })} />
          <Checkbox label="Late only" checked={x.lateOnly} onChange={(e) => set({ ...x, lateOnly: e.currentTarget.checked })} />
          <EntityPicker kind="customers.options" aria-label="Customer filter" placeholder="Any customer" value={x.customer?.id ?? null} valueLabel={x.customer?.name ?? null} onChange={(id, name) => set({ ...x, customer: id && name ? { id, name } : null })} w={180} />
          <EntityPicker kind="carriers.options" aria-label="Carrier filter" placeholder="Any carrier" value={x.carrier?.id ?? null} valueLabel={x.carrier?.name ?? null} onChange={(id, name) => set({ ...x, carrier: id && name ? { id, name } : null })} w={180} />
          <Select aria-label="Equipment filter" placeholder="Any equipment" clearable w={145} data={EQUIPMENT_TYPES.map((e) => ({ value: e, label: EQUIPMENT_LABELS[e] }))} value={x.equipmentType} onChange={(v) => set({ ...x, equipmentType: v })} />
          <Group gap={4} wrap="nowrap" role="group" aria-label="Lane">
            <Select aria-label="Origin state" placeholder="From" clearable searchable w={100} data={STATE_CODES} value={x.originState} onChange={(v) => set({ ...x, originState: v })} />
            <Text size="sm" c="dimmed">→</Text>
            <Select aria-label="Destination state" placeholder="To" clearable searchable w={100} data={STATE_CODES} value={x.destState} onChange={(v) => set({ ...x, destState: v })} />
          </Group>
          <Group gap={4} wrap="nowrap" role="group" aria-label="Pickup dates">
            <Text size="xs" c="dimmed">Pickup</Text>
            <TextInput type="date" aria-label="Pickup from" w={135} value={x.pickupFrom ?? ''} onChange={(e) => set({ ...x, pickupFrom: dateOrNull(e.currentTarget.value) })} />
            <TextInput type="date" aria-label="Pickup to" w={135} value={x.pickupTo ?? ''} onChange={(e) => set({ ...x, pickupTo: dateOrNull(e.currentTarget.value) })} />
          </Group>
          <Group gap={4} wrap="nowrap" role="group" aria-label="Delivery dates">
            <Text size="xs" c="dimmed">Delivery</Text>
            <TextInput type="date" aria-label="Delivery from" w={135} value={x.deliveryFrom ?? ''} onChange={(e) => set({ ...x, deliveryFrom: dateOrNull(e.currentTarget.value) })} />
            <TextInput type="date" aria-label="Delivery to" w={135} value={x.deliveryTo ?? ''} onChange={(e) => set({ ...x, deliveryTo: dateOrNull(e.currentTarget.value) })} />
          </Group>
          <Button variant="subtle" size="xs" onClick={() => set(DEFAULT_EXTRA)}>
            Reset filters
          </Button>
        </>
      )}
      hiddenByDefault={HIDDEN_BY_DEFAULT}
      viewActions={(filters, visible) => <ExportButton filters={{ ...filters, columns: visible.filter(isBoardColumn) }} />}
      searchPlaceholder="Load #, PO, BOL, PRO or city"
      newLabel="New load"
      onNew={onNew}
      onOpen={(row) => void navigate(`/loads/${row.id}`)}
      rowTone={(row) => (row.late ? 'late' : row.status === 'CANCELLED' ? 'muted' : undefined)}
      emptyAll={
        <Stack align="center" gap={6} py="xl">
          <Text fw={600}>No open loads</Text>
          <Text size="sm" c="dimmed">
            Loads you enter appear here until they are delivered. Pick more statuses above to see delivered, invoiced and closed ones.
          </Text>
          {onNew ? <Button onClick={onNew}>Enter a load</Button> : null}
        </Stack>
      }
    />
  );
}
