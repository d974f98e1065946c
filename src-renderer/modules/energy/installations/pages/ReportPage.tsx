import { BarChart } from '@mantine/charts';
import { Button, Grid, Group, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconFileSpreadsheet } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import {
  REPORT_GROUPS,
  REPORT_PERIODS,
  STAGE_LABELS,
  ordersExport,
  ordersReport,
  reportInput,
  type InstallationsReportRow,
} from '../../../../../src-shared/contracts/energy/installations';
import { useRpcQuery, useSession } from '../../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, PageHeader, type DataColumn } from '../../../../components';
import { FunctionTabs } from '../components/FunctionTabs';
import { ordersListPath, type OrderFilters } from '../filters';
import { priorityOptions, typeOptions } from '../labels';
import { ExportDialog } from '../shared/ExportDialog';
import { formatHours, useToday } from '../shared/ui';

const GROUP_LABELS = { period: 'Period', type: 'Order type', priority: 'Priority', stage: 'Current stage' } as const;
const PERIOD_LABELS = { day: 'Day', week: 'Week', month: 'Month' } as const;
const TOTAL = '__total__';

/**
 * Orders opened, commissioned and cancelled per day, week or month (or by type, priority, stage),
 * deadlines met and breached, and where the time goes stage by stage. A row opens its orders.
 */
export function ReportPage() {
  const { can } = useSession();
  const today = useToday();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const input = useMemo(() => {
    const raw = Object.fromEntries(params.entries());
    const parsed = reportInput.safeParse({ from: `${today.slice(0, 7)}-01`, to: today, ...raw });
    return parsed.success ? parsed.data : reportInput.parse({ from: `${today.slice(0, 7)}-01`, to: today });
  }, [params, today]);
  const report = useRpcQuery(ordersReport, input, { keepPrevious: true });
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
  const tableRows = report.data && rows.length > 0 ? [...rows, { ...report.data.totals, key: TOTAL, label: 'Total' }] : rows;
  const n = (value: number) => <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>{value.toLocaleString()}</Text>;
  const columns: DataColumn<InstallationsReportRow>[] = [
    { key: 'label', header: GROUP_LABELS[input.groupBy], render: (r) => <Text size="sm" fw={r.key === TOTAL ? 700 : undefined}>{r.label}</Text> },
    { key: 'opened', header: 'Opened', align: 'right', render: (r) => n(r.opened) },
    { key: 'commissioned', header: 'Commissioned', align: 'right', render: (r) => n(r.commissioned) },
    { key: 'cancelled', header: 'Cancelled', align: 'right', render: (r) => n(r.cancelled) },
    { key: 'slaMet', header: 'Deadline met', align: 'right', render: (r) => n(r.slaMet) },
    { key: 'slaBreached', header: 'Breached', align: 'right', render: (r) => <Text size="sm" c={r.slaBreached > 0 ? 'red' : undefined}>{r.slaBreached.toLocaleString()}</Text> },
    { key: 'avg', header: 'Avg time to commission', align: 'right', render: (r) => formatHours(r.avgHoursToCommission) },
  ];

  /** A row's orders: the period's received range, or the dimension as a filter. */
  const drill = (row: InstallationsReportRow) => {
    if (row.key === TOTAL) return navigate(ordersListPath({ from: input.from, to: input.to, type: input.type, priority: input.priority }));
    const filters: OrderFilters = { type: input.type, priority: input.priority };
    if (input.groupBy === 'period') {
      const end = rows[rows.indexOf(row) + 1]?.key;
      Object.assign(filters, { from: row.key, to: end ? shiftDay(end, -1) : input.to });
    } else Object.assign(filters, { [input.groupBy]: row.key, from: input.from, to: input.to });
    navigate(ordersListPath(filters));
  };

  return (
    <Stack gap={0}>
      <PageHeader
        title="Installations report"
        subtitle="Opened counts by the day an order was received; commissioned, deadlines and time to commission by the day it was commissioned. Days follow the branch's calendar."
        actions={
          can('energy.installations', 'export') ? (
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
            <Text size="sm" fw={500} mb={2} id="inst-period">
              Period
            </Text>
            <SegmentedControl aria-labelledby="inst-period" value={input.period} onChange={(v) => change({ period: v })} data={REPORT_PERIODS.map((v) => ({ value: v, label: PERIOD_LABELS[v] }))} />
          </div>
          <TextInput type="date" label="From" value={input.from} max={input.to} onChange={(e) => change({ from: e.currentTarget.value })} w={150} />
          <TextInput type="date" label="To" value={input.to} min={input.from} onChange={(e) => change({ to: e.currentTarget.value })} w={150} />
          <Select label="Group by" data={REPORT_GROUPS.map((v) => ({ value: v, label: GROUP_LABELS[v] }))} value={input.groupBy} onChange={(v) => change({ groupBy: v })} allowDeselect={false} w={170} />
          <Select label="Type" placeholder="Any type" data={typeOptions} value={input.type ?? null} onChange={(v) => change({ type: v })} clearable w={170} />
          <Select label="Priority" placeholder="Any" data={priorityOptions} value={input.priority ?? null} onChange={(v) => change({ priority: v })} clearable w={130} />
        </Group>
      </Paper>
      {report.isError ? <ErrorAlert error={report.error} onRetry={() => void report.refetch()} /> : null}
      {rows.length > 0 ? (
        <Paper withBorder p="md" mb="md">
          <Text fw={600} size="sm" mb="sm">
            Opened and commissioned by {GROUP_LABELS[input.groupBy].toLowerCase()}
          </Text>
          <BarChart
            h={240}
            data={rows}
            dataKey="label"
            series={[
              { name: 'opened', label: 'Opened', color: 'blue.6' },
              { name: 'commissioned', label: 'Commissioned', color: 'green.6' },
              { name: 'slaBreached', label: 'Deadline breached', color: 'red.6' },
            ]}
            withLegend
            maxBarWidth={40}
            aria-label="Report chart; the same figures are in the table below"
          />
        </Paper>
      ) : null}
      <DataTable
        label="Installations report"
        rows={tableRows}
        columns={columns}
        rowKey="key"
        onOpen={drill}
        loading={report.isFetching}
        empty={<EmptyState title="Nothing in this range" description="Widen the dates, or clear the type and priority filters." />}
      />
      {report.data ? (
        <Grid mt="md">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Paper withBorder p="md">
              <Title order={4} fz="sm" mb="xs">
                Average working time per stage (orders commissioned in the range)
              </Title>
              {report.data.stageDurations.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No order was commissioned in this range.
                </Text>
              ) : (
                <>
                  <BarChart
                    h={180}
                    data={report.data.stageDurations.map((s) => ({ stage: STAGE_LABELS[s.stage], hours: s.avgHours }))}
                    dataKey="stage"
                    series={[{ name: 'hours', label: 'Average hours', color: 'indigo.6' }]}
                    valueFormatter={(v) => formatHours(v)}
                    aria-label="Average hours per stage; the same figures are in the table below"
                  />
                  <Table mt="xs" aria-label="Average time per stage">
                    <Table.Tbody>
                      {report.data.stageDurations.map((s) => (
                        <Table.Tr key={s.stage}>
                          <Table.Td>{STAGE_LABELS[s.stage]}</Table.Td>
                          <Table.Td ta="right">{formatHours(s.avgHours)}</Table.Td>
                          <Table.Td ta="right" c="dimmed">
                            {s.orders} orders
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </>
              )}
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Paper withBorder p="md">
              <Title order={4} fz="sm" mb="xs">
                Open now, by stage
              </Title>
              <Table aria-label="Open orders by stage">
                <Table.Tbody>
                  {report.data.openByStage.map((s) => (
                    <Table.Tr key={s.stage} style={{ cursor: 'pointer' }} onClick={() => navigate(ordersListPath({ stage: s.stage, type: input.type, priority: input.priority }))}>
                      <Table.Td>{STAGE_LABELS[s.stage]}</Table.Td>
                      <Table.Td ta="right">{s.count}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          </Grid.Col>
        </Grid>
      ) : null}
      <ExportDialog
        opened={exporting}
        onClose={() => setExporting(false)}
        title="Export the installations report"
        contract={ordersExport}
        scope={{ ...input }}
        description={{
          xlsx: 'A summary sheet with these figures, the time per stage, and every order received in the range.',
          csv: 'Every order received in the range, one row each.',
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
