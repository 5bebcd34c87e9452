import { Chip, Group, Stack, Text, Button } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useNavigate } from 'react-router';
import { CUSTOMER_SORT_FIELDS, type CustomerListRow } from '../../../../shared/contract/customers.ts';
import { CUSTOMER_STATUSES, PAYMENT_TERMS_LABELS, type CustomerStatus } from '../../../../shared/domain/customers/schema.ts';
import { formatCents } from '../../../../shared/domain/money.ts';
import type { GridFeatures } from '../../components/grid/DataGrid.tsx';
import { ListPage } from '../../components/ListPage.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useCan } from '../../lib/session.ts';

const helper = createColumnHelper<GridFeatures, CustomerListRow>();
const columns = helper.columns([
  helper.accessor('companyName', { header: 'Company', size: 240 }),
  helper.accessor('contactName', { header: 'Contact', size: 150 }),
  helper.accessor('email', { header: 'Email', size: 200 }),
  helper.accessor('phone', { header: 'Phone', size: 130, cell: (c) => c.getValue() ?? '' }),
  helper.accessor('city', { header: 'City', size: 130 }),
  helper.accessor('state', { header: 'State', size: 70 }),
  helper.accessor('creditLimitCents', {
    header: 'Credit limit',
    size: 130,
    cell: (c) => <span className="tabular">{formatCents(c.getValue())}</span>,
  }),
  helper.accessor('paymentTerms', { header: 'Terms', size: 120, cell: (c) => PAYMENT_TERMS_LABELS[c.getValue()] }),
  helper.accessor('status', { header: 'Status', size: 110, cell: (c) => <StatusBadge status={c.getValue()} /> }),
]);


const STATUS_LABELS: Record<CustomerStatus, string> = { ACTIVE: 'Active', ON_HOLD: 'On hold', INACTIVE: 'Inactive' };
const DEFAULT_EXTRA: { statuses: CustomerStatus[] } = { statuses: ['ACTIVE', 'ON_HOLD'] };

export function CustomersPage() {
  const navigate = useNavigate();
  const canWrite = useCan('customers.write');
  const onNew = canWrite ? () => void navigate('/customers/new') : undefined;
  return (
    <ListPage
      title="Customers"
      grid="customers"
      list="customers.list"
      columns={columns}
      sortFields={CUSTOMER_SORT_FIELDS}
      defaultSort={{ field: 'companyName', dir: 'asc' }}
      defaultExtra={DEFAULT_EXTRA}
      toFilters={(extra) => ({ statuses: extra.statuses })}
      renderFilters={(extra, setExtra) => (
        <Chip.Group multiple value={extra.statuses} onChange={(v) => setExtra({ statuses: v })}>
          <Group gap={6} role="group" aria-label="Status filter">
            {CUSTOMER_STATUSES.map((s) => (
              <Chip key={s} value={s} size="xs" variant="outline">
                {STATUS_LABELS[s]}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      )}
      searchPlaceholder="Search name, contact, email, phone, city"
      newLabel="New customer"
      onNew={onNew}
      onOpen={(row) => void navigate(`/customers/${row.id}`)}
      rowTone={(row) => (row.status === 'INACTIVE' ? 'muted' : undefined)}
      emptyAll={
        <Stack align="center" gap={6} py="xl">
          <Text fw={600}>No customers yet</Text>
          <Text size="sm" c="dimmed">
            Shippers you bill appear here.
          </Text>
          {onNew ? <Button onClick={onNew}>Add your first customer</Button> : null}
        </Stack>
      }
    />
  );
}
