import { Button, Group, Paper, Select, Stack, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconDownload, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ordersExport, ordersList, type ServiceOrder } from '../../../../../src-shared/contracts/energy/installations';
import { useRpcPages, useSession } from '../../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, LoadMore, PageHeader, showingOf, useBranchTimeZone } from '../../../../components';
import { FunctionTabs } from '../components/FunctionTabs';
import { orderColumns } from '../components/orderColumns';
import { useOrderFilters, type OrderFilters } from '../filters';
import { FUNCTION_PATH, orderPath, priorityOptions, slaFilterOptions, stageOptions, typeOptions } from '../labels';
import { ExportDialog } from '../shared/ExportDialog';
import { useToday } from '../shared/ui';

/** Every service order, newest request first (a stage's queue: soonest deadline first). Filters are the URL. */
export function ListPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const timeZone = useBranchTimeZone();
  const today = useToday();
  const { filters, setFilters, clearFilters, active } = useOrderFilters();
  const { query, rows, total } = useRpcPages(ordersList, filters);
  const [exporting, setExporting] = useState(false);
  const [search, setSearch] = useState(filters.search ?? '');
  const pushSearch = useDebouncedCallback((value: string) => setFilters({ search: value || undefined }, { replace: true }), 300);
  const cols = orderColumns(timeZone);
  const select = (key: keyof OrderFilters) => (value: string | null) => setFilters({ [key]: value ?? undefined });

  return (
    <Stack gap={0}>
      <PageHeader
        title="Service orders"
        subtitle="Connections, upgrades, relocations, disconnections and reconnections. Filters stay in the address, so any view is a link."
        actions={
          <>
            {can('energy.installations', 'export') ? (
              <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => setExporting(true)}>
                Export
              </Button>
            ) : null}
            {can('energy.installations', 'create') ? (
              <Button component={Link} to={`${FUNCTION_PATH}/new`} leftSection={<IconPlus size={16} />}>
                New service request
              </Button>
            ) : null}
          </>
        }
      />
      <FunctionTabs />
      <Paper withBorder p="sm" mb="md">
        <Group gap="sm" align="flex-end">
          <TextInput
            label="Search"
            placeholder="Order, customer, address, account, meter"
            leftSection={<IconSearch size={14} />}
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              pushSearch(event.currentTarget.value);
            }}
            w={280}
          />
          <Select label="Stage" placeholder="Any stage" data={stageOptions} value={filters.stage ?? null} onChange={select('stage')} clearable w={150} />
          <Select label="Type" placeholder="Any type" data={typeOptions} value={filters.type ?? null} onChange={select('type')} clearable w={160} />
          <Select label="Priority" placeholder="Any" data={priorityOptions} value={filters.priority ?? null} onChange={select('priority')} clearable w={120} />
          <Select label="Deadline" placeholder="Any" data={slaFilterOptions} value={filters.sla ?? null} onChange={select('sla')} clearable w={150} />
          <TextInput type="date" label="Received from" value={filters.from ?? ''} onChange={(e) => setFilters({ from: e.currentTarget.value || undefined })} w={150} />
          <TextInput type="date" label="to" value={filters.to ?? ''} onChange={(e) => setFilters({ to: e.currentTarget.value || undefined })} w={150} />
          {active > 0 ? (
            <Button
              variant="subtle"
              onClick={() => {
                setSearch('');
                clearFilters();
              }}
            >
              Clear filters
            </Button>
          ) : null}
        </Group>
      </Paper>
      {query.isError ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <DataTable
        label="Service orders"
        rows={rows as ServiceOrder[]}
        rowKey="id"
        columns={[cols.orderNo!, cols.customer!, cols.type!, cols.priority!, cols.stage!, cols.sla!, cols.account!, cols.received!]}
        onOpen={(order) => navigate(orderPath(order.id))}
        loading={query.isFetching && !query.isFetchingNextPage}
        empty={
          active > 0 ? (
            <EmptyState
              title="No orders match these filters"
              description="Widen the dates or clear a filter."
              action={
                <Button variant="light" onClick={clearFilters}>
                  Clear filters
                </Button>
              }
            />
          ) : (
            <EmptyState
              title="No service orders yet"
              description="Register a customer's request for a connection, upgrade, relocation, disconnection or reconnection; its deadline starts when it was received."
              action={
                can('energy.installations', 'create') ? (
                  <Button component={Link} to={`${FUNCTION_PATH}/new`}>
                    New service request
                  </Button>
                ) : undefined
              }
            />
          )
        }
        totalLabel={total > 0 ? showingOf(rows.length, total, 'order') : null}
        footer={
          <LoadMore query={query} />
        }
      />
      <ExportDialog
        opened={exporting}
        onClose={() => setExporting(false)}
        title="Export service orders"
        contract={ordersExport}
        scope={{
          period: 'day',
          groupBy: 'period',
          from: filters.from ?? `${today.slice(0, 7)}-01`,
          to: filters.to ?? today,
          ...(filters.type ? { type: filters.type } : {}),
          ...(filters.priority ? { priority: filters.priority } : {}),
        }}
        description={{
          xlsx: 'One workbook: the daily report, average time per stage, and every order received in the range.',
          csv: 'Every order received in the range, one row each.',
        }}
      />
    </Stack>
  );
}
