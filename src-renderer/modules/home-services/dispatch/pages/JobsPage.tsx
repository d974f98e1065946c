import { Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconDownload, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { exportReport, jobFilters, list, type Job } from '../../../../../src-shared/contracts/home-services/dispatch';
import { useRpcPages, useSession } from '../../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, LoadMore, PageHeader, showingOf } from '../../../../components';
import { ExportDialog } from '../../field/ExportDialog';
import { jobPath, jobStateOptions, priorityOptions, slaOptions } from '../../field/labels';
import { useTechnicians } from '../../field/options';
import { clock, dayAndTime, dayLabel, useBranchZone, useToday } from '../../field/time';
import { useUrlFilters } from '../../field/useUrlFilters';
import { JobStateBadge, PriorityBadge, SlaBadge } from '../../field/ui';
import { DispatchTabs } from '../components/DispatchTabs';

/** Every job by start time; SLA breaches, a technician's work, the tray of a week — each is a filter in the URL. */
export function JobsPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const timeZone = useBranchZone();
  const today = useToday();
  const { filters, setFilters, clearFilters, active } = useUrlFilters(jobFilters);
  const { query, rows, total, first } = useRpcPages(list, filters);
  const { options: technicians } = useTechnicians();
  const [search, setSearch] = useState(filters.search ?? '');
  const [exporting, setExporting] = useState(false);
  const pushSearch = useDebouncedCallback((value: string) => setFilters({ search: value || undefined }, { replace: true }), 300);
  const select = (key: keyof typeof jobFilters) => (value: string | null) => setFilters({ [key]: value ?? undefined });
  return (
    <Stack gap={0}>
      <PageHeader
        title="Jobs"
        subtitle="Every dispatch job by start time, with its SLA deadline."
        actions={
          can('homeServices.dispatch', 'export') ? (
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => setExporting(true)}>
              Export
            </Button>
          ) : null
        }
      />
      <DispatchTabs />
      <Paper withBorder p="sm" mb="md">
        <Group gap="sm" align="flex-end">
          <TextInput
            label="Search"
            placeholder="Booking, customer, address, SKU"
            leftSection={<IconSearch size={14} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              pushSearch(e.currentTarget.value);
            }}
            w={240}
          />
          <Select label="State" placeholder="Any" data={jobStateOptions} value={filters.state ?? null} onChange={select('state')} clearable w={140} />
          <Select label="Technician" placeholder="Anyone" data={technicians} value={filters.technicianId ?? null} onChange={select('technicianId')} clearable searchable w={190} />
          <Select label="Priority" placeholder="Any" data={priorityOptions} value={filters.priority ?? null} onChange={select('priority')} clearable w={120} />
          <Select label="SLA" placeholder="Any" data={slaOptions} value={filters.sla ?? null} onChange={select('sla')} clearable w={120} />
          <TextInput type="date" label="From" value={filters.from ?? ''} onChange={(e) => setFilters({ from: e.currentTarget.value || undefined })} w={150} />
          <TextInput type="date" label="To" value={filters.to ?? ''} onChange={(e) => setFilters({ to: e.currentTarget.value || undefined })} w={150} />
          {active > 0 ? (
            <Button variant="subtle" onClick={() => { setSearch(''); clearFilters(); }}>
              Clear filters
            </Button>
          ) : null}
        </Group>
      </Paper>
      {query.isError ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <DataTable<Job>
        label="Jobs"
        rows={rows as Job[]}
        rowKey="id"
        onOpen={(job) => navigate(jobPath(job.id))}
        loading={query.isFetching && !query.isFetchingNextPage}
        columns={[
          { key: 'number', header: 'Booking', render: (j) => <Text size="sm" ff="monospace">{j.appointmentNumber}</Text> },
          { key: 'when', header: 'When', render: (j) => `${dayLabel(j.localDate)} · ${clock(j.startsAt, timeZone)}` },
          { key: 'customer', header: 'Customer', render: (j) => <div><Text size="sm">{j.customerName}</Text><Text size="xs" c="dimmed">{j.zoneCode ?? ''} {j.customerAddress}</Text></div> },
          { key: 'service', header: 'Service', render: (j) => j.serviceName },
          { key: 'technician', header: 'Technician', render: (j) => j.technicianName ?? <Text size="sm" c="dimmed">Unassigned</Text> },
          { key: 'state', header: 'State', render: (j) => <JobStateBadge state={j.state} /> },
          { key: 'priority', header: 'Priority', render: (j) => <PriorityBadge priority={j.priority} /> },
          { key: 'sla', header: 'SLA', render: (j) => <SlaBadge status={j.slaStatus} due={dayAndTime(j.slaDueAt, timeZone)} /> },
        ]}
        empty={
          <EmptyState
            title={active > 0 ? 'No jobs match these filters' : 'No jobs yet'}
            description={active > 0 ? 'Widen the dates or clear a filter.' : 'Every booking becomes a job here; book one under Appointments.'}
          />
        }
        totalLabel={total > 0 && first ? `${showingOf(rows.length, total, 'job')} · ${first.totals.unassigned} unassigned · ${first.totals.breached} SLA breached` : null}
        footer={
          <LoadMore query={query} />
        }
      />
      <ExportDialog
        opened={exporting}
        onClose={() => setExporting(false)}
        title="Export jobs"
        contract={exportReport}
        scope={{
          period: 'day',
          groupBy: 'period',
          from: filters.from ?? `${today.slice(0, 8)}01`,
          to: filters.to ?? today,
          ...(filters.technicianId ? { technicianId: filters.technicianId } : {}),
          ...(filters.priority ? { priority: filters.priority } : {}),
        }}
        description={{ xlsx: 'One workbook: the dispatch report (SLA, utilisation) and every job in the range.', csv: 'Every job in the range, one row each.' }}
      />
    </Stack>
  );
}
