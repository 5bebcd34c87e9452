import { Button, Select, Stack, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useNavigate } from 'react-router';
import { CUSTOMER_SORT_FIELDS, type CustomerListRow } from '../../../../shared/contract/customers.ts';
import {
  CUSTOMER_STATUSES,
  PAYMENT_TERMS,
  PAYMENT_TERMS_LABELS,
  type CustomerStatus,
  type PaymentTerms,
} from '../../../../shared/domain/customers/schema.ts';
import { formatCents } from '../../../../shared/domain/money.ts';
import type { GridFeatures } from '../../components/grid/DataGrid.tsx';
import { ListPage } from '../../components/ListPage.tsx';
import { StatusFilter } from '../../components/StatusFilter.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useCan } from '../../lib/session.ts';

const helper = createColumnHelper<GridFeatures, CustomerListRow>();
const columns = helper.columns([
  helper.accessor('companyName', { header: 'Company', size: 200 }),
  helper.accessor('contactName', { header: 'Contact', size: 140 }),
  helper.accessor('email', { header: 'Email', size: 190 }),
  helper.accessor('billingEmail', { header: 'Billing email', size: 190 }),
  helper.accessor('phone', { header: 'Phone', size: 125, cell: (c) => c.getValue() ?? '' }),
  helper.accessor('city', { header: 'City', size: 115 }),
  helper.accessor('state', { header: 'State', size: 65 }),
  helper.accessor('creditLimitCents', {
    header: 'Credit limit',
    size: 125,
    cell: (c) => <span className="tabular">{formatCents(c.getValue())}</span>,
  }),
  helper.accessor('paymentTerms', { header: 'Terms', size: 115, cell: (c) => PAYMENT_TERMS_LABELS[c.getValue()] }),
  helper.accessor('status', { header: 'Status', size: 100, cell: (c) => <StatusBadge status={c.getValue()} /> }),
]);


/** Shown from the Columns menu; the default columns fit a 1440-pixel window. */
const HIDDEN_BY_DEFAULT = ['billingEmail'];

const STATUS_LABELS: Record<CustomerStatus, string> = { ACTIVE: 'Active', ON_HOLD: 'On hold', INACTIVE: 'Inactive' };
const TERMS_OPTIONS = PAYMENT_TERMS.map((t) => ({ value: t, label: PAYMENT_TERMS_LABELS[t] }));

interface Extra {
  statuses: CustomerStatus[];
  paymentTerms: PaymentTerms[];
}

const DEFAULT_EXTRA: Extra = { statuses: ['ACTIVE', 'ON_HOLD'], paymentTerms: [] };

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
      hiddenByDefault={HIDDEN_BY_DEFAULT}
      toFilters={(extra) => extra}
      renderFilters={(extra, setExtra) => (
        <>
          <StatusFilter statuses={CUSTOMER_STATUSES} labels={STATUS_LABELS} value={extra.statuses} onChange={(statuses) => setExtra({ ...extra, statuses })} />
          <Select
            aria-label="Payment terms filter"
            placeholder="Any terms"
            clearable
            // Mantine hides its clear button from assistive technology; name it and show it.
            clearButtonProps={{ 'aria-label': 'Clear payment terms filter', 'aria-hidden': false }}
            w={170}
            data={TERMS_OPTIONS}
            value={extra.paymentTerms[0] ?? null}
            onChange={(v) => setExtra({ ...extra, paymentTerms: v ? [v] : [] })}
          />
        </>
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
