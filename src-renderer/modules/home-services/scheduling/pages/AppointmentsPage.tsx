import { Button, Group, Paper, Select, Stack, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconCalendarPlus, IconDownload, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { appointmentFilters, exportReport, list, type Appointment } from '../../../../../src-shared/contracts/home-services/scheduling';
import { useRpcPages, useSession } from '../../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, LoadMore, PageHeader, pluralize, showingOf } from '../../../../components';
import { ExportDialog } from '../../field/ExportDialog';
import { SCHEDULING_PATH, appointmentPath, channelOptions, statusOptions } from '../../field/labels';
import { useServices, useTechnicians } from '../../field/options';
import { hours, useBranchZone, useToday } from '../../field/time';
import { useUrlFilters } from '../../field/useUrlFilters';
import { SchedulingTabs } from '../components/SchedulingTabs';
import { appointmentColumns } from '../components/appointmentColumns';

/** Every appointment by start time; the filters are the URL, so a report row or a dashboard card links straight here. */
export function AppointmentsPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const timeZone = useBranchZone();
  const today = useToday();
  const { filters, setFilters, clearFilters, active } = useUrlFilters(appointmentFilters);
  // Without filters the list starts today: a clerk looks ahead, history is one date away.
  const { query, rows, total, first } = useRpcPages(list, active === 0 ? { ...filters, from: today } : filters);
  const { options: technicians } = useTechnicians();
  const { options: services } = useServices();
  const [search, setSearch] = useState(filters.search ?? '');
  const [exporting, setExporting] = useState(false);
  const pushSearch = useDebouncedCallback((value: string) => setFilters({ search: value || undefined }, { replace: true }), 300);
  const select = (key: keyof typeof appointmentFilters) => (value: string | null) => setFilters({ [key]: value ?? undefined });
  const cols = appointmentColumns(timeZone);

  return (
    <Stack gap={0}>
      <PageHeader
        title="Appointments"
        subtitle="Soonest first, from today unless you pick dates. Filters stay in the address, so a filtered view can be bookmarked or shared."
        actions={
          <>
            {can('homeServices.scheduling', 'export') ? (
              <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => setExporting(true)}>
                Export
              </Button>
            ) : null}
            {can('homeServices.scheduling', 'create') ? (
              <Button component={Link} to={`${SCHEDULING_PATH}/book`} leftSection={<IconCalendarPlus size={16} />}>
                Book appointment
              </Button>
            ) : null}
          </>
        }
      />
      <SchedulingTabs />
      <Paper withBorder p="sm" mb="md">
        <Group gap="sm" align="flex-end">
          <TextInput
            label="Search"
            placeholder="Booking, customer, phone, SKU"
            leftSection={<IconSearch size={14} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              pushSearch(e.currentTarget.value);
            }}
            w={240}
          />
          <Select label="Status" placeholder="Any" data={statusOptions} value={filters.status ?? null} onChange={select('status')} clearable w={140} />
          <Select label="Service" placeholder="Any" data={services} value={filters.serviceId ?? null} onChange={select('serviceId')} clearable searchable w={220} />
          <Select label="Technician" placeholder="Anyone" data={technicians} value={filters.technicianId ?? null} onChange={select('technicianId')} clearable searchable w={190} />
          <Select label="Channel" placeholder="Any" data={channelOptions} value={filters.channel ?? null} onChange={select('channel')} clearable w={140} />
          <TextInput type="date" label="From" placeholder={today} value={filters.from ?? ''} onChange={(e) => setFilters({ from: e.currentTarget.value || undefined })} w={150} />
          <TextInput type="date" label="To" value={filters.to ?? ''} onChange={(e) => setFilters({ to: e.currentTarget.value || undefined })} w={150} />
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
        label="Appointments"
        rows={rows as Appointment[]}
        rowKey="id"
        columns={[cols.number!, cols.when!, cols.customer!, cols.service!, cols.technician!, cols.status!, cols.job!]}
        onOpen={(a) => navigate(appointmentPath(a.id))}
        loading={query.isFetching && !query.isFetchingNextPage}
        empty={
          active > 0 ? (
            <EmptyState
              title="No appointments match these filters"
              description="Widen the dates or clear a filter."
              action={
                <Button variant="light" onClick={clearFilters}>
                  Clear filters
                </Button>
              }
            />
          ) : (
            <EmptyState
              title="No appointments yet"
              description="Book the first one: pick a customer and a service and the first free slot is offered."
              action={
                can('homeServices.scheduling', 'create') ? (
                  <Button component={Link} to={`${SCHEDULING_PATH}/book`}>
                    Book appointment
                  </Button>
                ) : undefined
              }
            />
          )
        }
        totalLabel={
          total > 0 && first
            ? `${showingOf(rows.length, total, 'appointment')} · ${hours(first.totals.bookedMinutes)} booked · ${pluralize(first.totals.cancelled, 'cancellation')} · ${pluralize(first.totals.noShows, 'no-show')}`
            : null
        }
        footer={
          <LoadMore query={query} />
        }
      />
      <ExportDialog
        opened={exporting}
        onClose={() => setExporting(false)}
        title="Export appointments"
        contract={exportReport}
        scope={{
          period: 'day',
          groupBy: 'period',
          from: filters.from ?? `${today.slice(0, 8)}01`,
          to: filters.to ?? today,
          ...(filters.serviceId ? { serviceId: filters.serviceId } : {}),
          ...(filters.technicianId ? { technicianId: filters.technicianId } : {}),
          ...(filters.channel ? { channel: filters.channel } : {}),
        }}
        description={{
          xlsx: 'One workbook: the daily bookings report and every appointment in the range.',
          csv: 'Every appointment in the range, one row each.',
        }}
      />
    </Stack>
  );
}
