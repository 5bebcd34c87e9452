import { Badge, Button, Group, Select, Stack, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useNavigate } from 'react-router';
import { CARRIER_SORT_FIELDS, type CarrierListRow } from '../../../../shared/contract/carriers.ts';
import {
  CARRIER_STATUSES,
  EQUIPMENT_LABELS,
  EQUIPMENT_TYPES,
  maskAccountNumber,
  type CarrierStatus,
  type EquipmentType,
} from '../../../../shared/domain/carriers/schema.ts';
import { formatMcNumber } from '../../../../shared/domain/validation/carrier-numbers.ts';
import type { UsState } from '../../../../shared/domain/validation/us-states.ts';
import { STATE_OPTIONS } from '../../components/form/AddressFields.tsx';
import type { GridFeatures } from '../../components/grid/DataGrid.tsx';
import { ListPage } from '../../components/ListPage.tsx';
import { StatusFilter } from '../../components/StatusFilter.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useCan } from '../../lib/session.ts';
import { todayIso } from '../../lib/dates.ts';

const helper = createColumnHelper<GridFeatures, CarrierListRow>();
const columns = helper.columns([
  helper.accessor('companyName', { header: 'Carrier', size: 210 }),
  helper.accessor('contactName', { header: 'Contact', size: 140 }),
  helper.accessor('email', { header: 'Email', size: 190 }),
  helper.accessor('phone', { header: 'Phone', size: 125, cell: (c) => c.getValue() ?? '' }),
  helper.accessor('mcNumber', { header: 'MC', size: 95, cell: (c) => (c.getValue() ? formatMcNumber(c.getValue() ?? '') : '') }),
  helper.accessor('dotNumber', { header: 'USDOT', size: 85 }),
  helper.accessor('city', { header: 'City', size: 125, cell: (c) => c.getValue() ?? '' }),
  helper.accessor('state', { header: 'State', size: 60, cell: (c) => c.getValue() ?? '' }),
  helper.accessor('equipmentTypes', {
    header: 'Equipment',
    size: 145,
    enableSorting: false,
    cell: (c) => c.getValue().map((e) => EQUIPMENT_LABELS[e]).join(', '),
  }),
  helper.accessor('serviceAreas', { header: 'Service areas', size: 130, enableSorting: false, cell: (c) => c.getValue().join(' ') }),
  helper.accessor('insuranceExpiresOn', {
    header: 'Insurance expires',
    size: 170,
    cell: (c) => {
      const v = c.getValue();
      if (!v) return <Badge color="red" variant="light" size="sm">None on file</Badge>;
      return v < todayIso() ? <Badge color="red" variant="light" size="sm">Expired {v}</Badge> : <span className="tabular">{v}</span>;
    },
  }),
  helper.accessor('rating', { header: 'Rating', size: 75, cell: (c) => <span className="tabular">{c.getValue().toFixed(2)}</span> }),
  helper.accessor('bankAccountLast4', { header: 'Bank', size: 90, enableSorting: false, cell: (c) => maskAccountNumber(c.getValue()) }),
  helper.accessor('status', {
    header: 'Status',
    size: 110,
    cell: (c) => (
      <Group gap={4} wrap="nowrap">
        <StatusBadge status={c.getValue()} />
        {c.row.original.authorityStatus !== 'ACTIVE' ? <StatusBadge status={c.row.original.authorityStatus} prefix="Authority" /> : null}
      </Group>
    ),
  }),
]);


/**
 * Shown from the Columns menu. The default columns fit a 1440-pixel window; service areas are
 * a filter too, so they start hidden.
 */
const HIDDEN_BY_DEFAULT = ['contactName', 'email', 'phone', 'serviceAreas'];

const STATUS_LABELS: Record<CarrierStatus, string> = { ACTIVE: 'Active', ON_HOLD: 'On hold', INACTIVE: 'Inactive' };

interface Extra {
  statuses: CarrierStatus[];
  equipmentType: EquipmentType | null;
  serviceArea: UsState | null;
}

const DEFAULT_EXTRA: Extra = { statuses: ['ACTIVE', 'ON_HOLD'], equipmentType: null, serviceArea: null };

export function CarriersPage() {
  const navigate = useNavigate();
  const canWrite = useCan('carriers.write');
  const onNew = canWrite ? () => void navigate('/carriers/new') : undefined;
  return (
    <ListPage
      title="Carriers"
      grid="carriers"
      list="carriers.list"
      columns={columns}
      sortFields={CARRIER_SORT_FIELDS}
      defaultSort={{ field: 'companyName', dir: 'asc' }}
      defaultExtra={DEFAULT_EXTRA}
      hiddenByDefault={HIDDEN_BY_DEFAULT}
      toFilters={(extra) => extra}
      renderFilters={(extra, setExtra) => (
        <>
          <StatusFilter statuses={CARRIER_STATUSES} labels={STATUS_LABELS} value={extra.statuses} onChange={(statuses) => setExtra({ ...extra, statuses })} />
          <Select
            aria-label="Equipment filter"
            placeholder="Any equipment"
            clearable
            w={170}
            data={EQUIPMENT_TYPES.map((e) => ({ value: e, label: EQUIPMENT_LABELS[e] }))}
            value={extra.equipmentType}
            onChange={(v) => setExtra({ ...extra, equipmentType: v })}
          />
          <Select
            aria-label="Service area filter"
            placeholder="Any state"
            clearable
            searchable
            w={170}
            data={STATE_OPTIONS}
            value={extra.serviceArea}
            onChange={(v) => setExtra({ ...extra, serviceArea: v as UsState | null })}
          />
        </>
      )}
      searchPlaceholder="Search name, MC, USDOT, phone, city"
      newLabel="New carrier"
      onNew={onNew}
      onOpen={(row) => void navigate(`/carriers/${row.id}`)}
      rowTone={(row) => (row.status === 'INACTIVE' ? 'muted' : undefined)}
      emptyAll={
        <Stack align="center" gap={6} py="xl">
          <Text fw={600}>No carriers yet</Text>
          <Text size="sm" c="dimmed">
            Carriers you book loads with appear here, with their authority, insurance and bank details.
          </Text>
          {onNew ? <Button onClick={onNew}>Add your first carrier</Button> : null}
        </Stack>
      }
    />
  );
}
