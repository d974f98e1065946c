import { BarChart } from '@mantine/charts';
import { Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconFileSpreadsheet } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import {
  REPORT_GROUPS,
  REPORT_PERIODS,
  maintenanceExport,
  maintenanceReport,
  reportInput,
  sitesList,
  type MaintenanceReportRow,
} from '../../../../../src-shared/contracts/energy/maintenance';
import { useRpcQuery, useSession } from '../../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, Field, MoneyText, PageHeader, type DataColumn } from '../../../../components';
import { ExportDialog } from '../../installations/shared/ExportDialog';
import { formatHours, formatNumber, useToday } from '../../installations/shared/ui';
import { FunctionTabs } from '../components/FunctionTabs';
import { WORK_ORDERS, classOptions } from '../labels';

const GROUP_LABELS = { period: 'Period', type: 'Work type', assetClass: 'Asset class', site: 'Site' } as const;
const PERIOD_LABELS = { day: 'Day', week: 'Week', month: 'Month' } as const;
const TOTAL = '__total__';

/**
 * Work orders opened (corrective / preventive) and closed, downtime and failures, labour and parts
 * per day, week or month — or by type, asset class or site — with backlog, overdue preventive
 * work, stock value and MTBF/MTTR as of now.
 */
export function ReportPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const today = useToday();
  const [params, setParams] = useSearchParams();
  const input = useMemo(() => {
    const fallback = { from: `${today.slice(0, 7)}-01`, to: today };
    const parsed = reportInput.safeParse({ ...fallback, ...Object.fromEntries(params.entries()) });
    return parsed.success ? parsed.data : reportInput.parse(fallback);
  }, [params, today]);
  const report = useRpcQuery(maintenanceReport, input, { keepPrevious: true });
  const sites = useRpcQuery(sitesList, {});
  const [exporting, setExporting] = useState(false);
  const change = (patch: Record<string, string | null>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(patch)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      return next;
    });

  const rows = report.data?.rows ?? [];
  const tableRows = report.data && rows.length ? [...rows, { ...report.data.totals, key: TOTAL, label: 'Total' }] : rows;
  const n = (v: number) => v.toLocaleString();
  const columns: DataColumn<MaintenanceReportRow>[] = [
    { key: 'label', header: GROUP_LABELS[input.groupBy], render: (r) => <Text size="sm" fw={r.key === TOTAL ? 700 : undefined}>{r.label}</Text> },
    { key: 'opened', header: 'Opened', align: 'right', render: (r) => n(r.opened) },
    { key: 'corrective', header: 'Corrective', align: 'right', render: (r) => n(r.openedCorrective) },
    { key: 'preventive', header: 'Preventive', align: 'right', render: (r) => n(r.openedPreventive) },
    { key: 'closed', header: 'Closed', align: 'right', render: (r) => n(r.closed) },
    { key: 'downtime', header: 'Downtime', align: 'right', render: (r) => formatHours(r.downtimeHours) },
    { key: 'failures', header: 'Failures', align: 'right', render: (r) => n(r.failures) },
    { key: 'labour', header: 'Labour', align: 'right', render: (r) => formatHours(r.labourHours) },
    { key: 'parts', header: 'Parts used', align: 'right', render: (r) => <MoneyText value={r.partsUsedValue} size="sm" /> },
  ];

  /**
   * A row's work orders: those raised in its period, or of its type, class or site within the range
   * (the list filters by the day raised, which is what "Opened" counts).
   */
  const drill = (row: MaintenanceReportRow) => {
    const filters: Record<string, string | undefined> = { siteId: input.siteId, assetClass: input.assetClass, from: input.from, to: input.to };
    if (row.key !== TOTAL && input.groupBy === 'period') {
      const next = rows[rows.indexOf(row) + 1]?.key;
      filters.from = row.key > input.from ? row.key : input.from;
      filters.to = next ? shiftDay(next, -1) : input.to;
    } else if (row.key !== TOTAL) {
      filters[input.groupBy === 'site' ? 'siteId' : input.groupBy] = row.key;
    }
    const query = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => Boolean(e[1])));
    navigate(`${WORK_ORDERS}?${query.toString()}`);
  };

  return (
    <Stack gap={0}>
      <PageHeader
        title="Maintenance report"
        subtitle="Each figure counts on its own day in the branch's calendar: raised, closed, stopped, worked, issued."
        actions={
          can('energy.maintenance', 'export') ? (
            <Button leftSection={<IconFileSpreadsheet size={16} />} onClick={() => setExporting(true)}>
              Export to Excel
            </Button>
          ) : null
        }
      />
      <FunctionTabs />
      <Paper withBorder p="sm" mb="md">
        <Group gap="sm" align="flex-end">
          <div>
            <Text size="sm" fw={500} mb={2} id="mnt-period">
              Period
            </Text>
            <SegmentedControl aria-labelledby="mnt-period" value={input.period} onChange={(v) => change({ period: v })} data={REPORT_PERIODS.map((v) => ({ value: v, label: PERIOD_LABELS[v] }))} />
          </div>
          <TextInput type="date" label="From" value={input.from} max={input.to} onChange={(e) => change({ from: e.currentTarget.value })} w={150} />
          <TextInput type="date" label="To" value={input.to} min={input.from} onChange={(e) => change({ to: e.currentTarget.value })} w={150} />
          <Select label="Group by" data={REPORT_GROUPS.map((v) => ({ value: v, label: GROUP_LABELS[v] }))} value={input.groupBy} onChange={(v) => change({ groupBy: v })} allowDeselect={false} w={160} />
          <Select
            label="Site"
            placeholder="All sites"
            data={(sites.data ?? []).map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }))}
            value={input.siteId ?? null}
            onChange={(v) => change({ siteId: v })}
            clearable
            w={200}
          />
          <Select label="Asset class" placeholder="Any" data={classOptions} value={input.assetClass ?? null} onChange={(v) => change({ assetClass: v })} clearable w={160} />
        </Group>
      </Paper>
      {report.isError ? <ErrorAlert error={report.error} onRetry={() => void report.refetch()} /> : null}
      {report.data ? (
        <SimpleGrid cols={{ base: 2, md: 4 }} mb="md">
          <Paper withBorder p="sm">
            <Field label="Backlog now">{report.data.backlog}</Field>
          </Paper>
          <Paper withBorder p="sm">
            <Field label="Overdue preventive work">{report.data.overduePm}</Field>
          </Paper>
          <Paper withBorder p="sm">
            <Field label="Stock value">
              <MoneyText value={report.data.stockValue} />
            </Field>
          </Paper>
          <Paper withBorder p="sm">
            <Field label="Labour in range">{formatHours(report.data.totals.labourHours)}</Field>
          </Paper>
        </SimpleGrid>
      ) : null}
      {rows.length > 0 ? (
        <Paper withBorder p="md" mb="md">
          <BarChart
            h={220}
            data={rows}
            dataKey="label"
            type="stacked"
            series={[
              { name: 'openedCorrective', label: 'Corrective opened', color: 'orange.6' },
              { name: 'openedPreventive', label: 'Preventive opened', color: 'teal.6' },
            ]}
            withLegend
            maxBarWidth={40}
            aria-label="Work orders opened; the same figures are in the table below"
          />
        </Paper>
      ) : null}
      <DataTable
        label="Maintenance report"
        rows={tableRows}
        columns={columns}
        rowKey="key"
        onOpen={drill}
        loading={report.isFetching}
        empty={<EmptyState title="Nothing in this range" description="Widen the dates or clear the site and class." />}
      />
      {rows.length > 0 ? (
        <Text size="xs" c="dimmed" mt={4}>
          Open a row (click, or Enter) for the work orders raised in it.
        </Text>
      ) : null}
      {report.data ? (
        <Paper withBorder p="md" mt="md">
          <Title order={4} fz="sm" mb="xs">
            MTBF and MTTR by asset class
          </Title>
          <Table aria-label="MTBF and MTTR by asset class">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Class</Table.Th>
                <Table.Th ta="right">Assets</Table.Th>
                <Table.Th ta="right">Failures</Table.Th>
                <Table.Th ta="right">MTBF (days)</Table.Th>
                <Table.Th ta="right">Repairs</Table.Th>
                <Table.Th ta="right">MTTR (hours)</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.data.reliability.map((r) => (
                <Table.Tr key={r.key}>
                  <Table.Td>{r.label}</Table.Td>
                  <Table.Td ta="right">{r.assets}</Table.Td>
                  <Table.Td ta="right">{r.failures}</Table.Td>
                  <Table.Td ta="right">{formatNumber(r.mtbfDays, 1)}</Table.Td>
                  <Table.Td ta="right">{r.repairs}</Table.Td>
                  <Table.Td ta="right">{formatNumber(r.mttrHours, 1)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ) : null}
      <ExportDialog
        opened={exporting}
        onClose={() => setExporting(false)}
        title="Export the maintenance report"
        contract={maintenanceExport}
        scope={{ ...input }}
        description={{
          xlsx: 'A summary sheet with these figures, MTBF/MTTR by class, and every work order raised in the range.',
          csv: 'Every work order raised in the range, one row each.',
        }}
      />
    </Stack>
  );
}

function shiftDay(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
