import { Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconDownload, IconRadar, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { detectMissed, exportReport, list, visitFilters, type Visit } from '../../../../../src-shared/contracts/home-services/visits';
import { useRpcMutation, useRpcPages, useSession } from '../../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, JobProgress, LoadMore, PageHeader, showingOf } from '../../../../components';
import { ExportDialog } from '../../field/ExportDialog';
import { VISIT_STATUS_LABELS, geofenceOptions, visitPath, visitStatusOptions } from '../../field/labels';
import { useServices, useTechnicians } from '../../field/options';
import { clock, dayLabel, useBranchZone, useToday } from '../../field/time';
import { useUrlFilters } from '../../field/useUrlFilters';
import { GeofenceBadge } from '../../field/ui';
import { VisitTabs } from '../components/VisitTabs';

/** Every visit, newest first: verified, warnings, exceptions and missed ones, each a filter in the URL. */
export function VisitsPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const timeZone = useBranchZone();
  const today = useToday();
  const { filters, setFilters, clearFilters, active } = useUrlFilters(visitFilters);
  const { query, rows, total, first } = useRpcPages(list, filters);
  const { options: technicians } = useTechnicians();
  const { options: services } = useServices();
  const [search, setSearch] = useState(filters.search ?? '');
  const [exporting, setExporting] = useState(false);
  const [checkJob, setCheckJob] = useState<string | null>(null);
  const detecting = useRpcMutation(detectMissed, { invalidate: ['jobs.'] });
  const pushSearch = useDebouncedCallback((value: string) => setFilters({ search: value || undefined }, { replace: true }), 300);
  const select = (key: keyof typeof visitFilters) => (value: string | null) => setFilters({ [key]: value ?? undefined });
  return (
    <Stack gap={0}>
      <PageHeader
        title="Visits"
        subtitle="Check-ins and check-outs with their geofence level, evidence and the six EVV elements; missed visits are exceptions."
        actions={
          <>
            {can('homeServices.visits', 'edit') ? (
              <Button variant="default" leftSection={<IconRadar size={16} />} loading={detecting.isPending} onClick={() => detecting.mutate({ input: {} }, { onSuccess: ({ jobId }) => setCheckJob(jobId) })}>
                Check for missed visits
              </Button>
            ) : null}
            {can('homeServices.visits', 'export') ? (
              <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => setExporting(true)}>
                Export
              </Button>
            ) : null}
          </>
        }
      />
      <VisitTabs />
      {checkJob ? (
        <Paper withBorder p="sm" mb="md">
          <JobProgress jobId={checkJob} onDone={() => void query.refetch()} />
        </Paper>
      ) : null}
      <Paper withBorder p="sm" mb="md">
        <Group gap="sm" align="flex-end">
          <TextInput
            label="Search"
            placeholder="Booking, customer, technician, SKU"
            leftSection={<IconSearch size={14} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              pushSearch(e.currentTarget.value);
            }}
            w={240}
          />
          <Select label="Status" placeholder="Any" data={visitStatusOptions} value={filters.status ?? null} onChange={select('status')} clearable w={140} />
          <Select label="Verification" placeholder="Any" data={geofenceOptions} value={filters.verification ?? null} onChange={select('verification')} clearable w={140} />
          <Select label="Technician" placeholder="Anyone" data={technicians} value={filters.technicianId ?? null} onChange={select('technicianId')} clearable searchable w={190} />
          <Select label="Service" placeholder="Any" data={services} value={filters.serviceId ?? null} onChange={select('serviceId')} clearable searchable w={200} />
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
      <DataTable<Visit>
        label="Visits"
        rows={rows as Visit[]}
        rowKey="id"
        onOpen={(v) => navigate(visitPath(v.id))}
        loading={query.isFetching && !query.isFetchingNextPage}
        columns={[
          { key: 'number', header: 'Booking', render: (v) => <Text size="sm" ff="monospace">{v.appointmentNumber}</Text> },
          { key: 'date', header: 'Date', render: (v) => dayLabel(v.localDate) },
          { key: 'times', header: 'On site', render: (v) => (v.checkIn ? `${clock(v.checkIn.at, timeZone)}–${v.checkOut ? clock(v.checkOut.at, timeZone) : '…'}` : '—') },
          { key: 'customer', header: 'Customer', render: (v) => v.customerName },
          { key: 'service', header: 'Service', render: (v) => v.serviceName },
          { key: 'technician', header: 'Technician', render: (v) => v.technicianName ?? '—' },
          { key: 'status', header: 'Status', render: (v) => <Text size="sm" c={v.status === 'missed' ? 'red' : undefined}>{VISIT_STATUS_LABELS[v.status]}</Text> },
          { key: 'verification', header: 'Verification', render: (v) => <Group gap={4}><GeofenceBadge level={v.verification} />{v.corrected ? <Text size="xs" c="dimmed">corrected</Text> : null}</Group> },
        ]}
        empty={<EmptyState title={active > 0 ? 'No visits match these filters' : 'No visits yet'} description={active > 0 ? 'Widen the dates or clear a filter.' : 'Visits appear as technicians check in at their jobs.'} />}
        totalLabel={
          total > 0 && first
            ? `${showingOf(rows.length, total, 'visit')} · ${first.totals.verified} verified · ${first.totals.warnings} warnings · ${first.totals.exceptions} exceptions · ${first.totals.missed} missed`
            : null
        }
        footer={
          <LoadMore query={query} />
        }
      />
      <ExportDialog
        opened={exporting}
        onClose={() => setExporting(false)}
        title="Export visits"
        contract={exportReport}
        scope={{
          period: 'day',
          groupBy: 'period',
          from: filters.from ?? `${today.slice(0, 8)}01`,
          to: filters.to ?? today,
          ...(filters.technicianId ? { technicianId: filters.technicianId } : {}),
          ...(filters.serviceId ? { serviceId: filters.serviceId } : {}),
        }}
        description={{ xlsx: 'One workbook: the visits report and every visit with its six EVV elements.', csv: 'Every visit in the range with its EVV elements.' }}
      />
    </Stack>
  );
}
