import { BarChart } from '@mantine/charts';
import { Anchor, Button, Group, Paper, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconFileSpreadsheet, IconFileTypeCsv } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { REPORT_GROUPS, REPORT_PERIODS, readingsReport, type ReportRow } from '../../../../../src-shared/contracts/energy/meter-readings';
import { useRpcQuery, useSession } from '../../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, PageHeader, type DataColumn } from '../../../../components';
import { ExportDialog } from '../components/ExportDialog';
import { FunctionTabs } from '../components/FunctionTabs';
import { readingsListPath } from '../filters';
import { REPORT_GROUP_LABELS, REPORT_PERIOD_LABELS, formatUnits } from '../labels';
import { useReportDimensionOptions, useRouteOptions, useToday } from '../options';
import { TOTAL_KEY, reportDrilldown, reportInputFromParams, reportRowLabel, type ReportInput } from '../report';

type Metric = 'consumption' | 'readings' | 'exceptions';

const numeric = { fontVariantNumeric: 'tabular-nums' } as const;
const count = (value: number) => <Text size="sm" style={numeric}>{value.toLocaleString()}</Text>;

/**
 * Daily / weekly / monthly reading figures, or the same period split by route, reader, customer
 * category or read type. Every row opens the readings behind it; Excel and CSV come from the export job.
 */
export function ReportPage() {
  const { can } = useSession();
  const today = useToday();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const input = useMemo(() => reportInputFromParams(params, today), [params, today]);
  const report = useRpcQuery(readingsReport, input, { keepPrevious: true });
  const { options: routeOptions } = useRouteOptions();
  const readerOptions = useReportDimensionOptions('reader');
  const [metric, setMetric] = useState<Metric>('consumption');
  const [exportFormat, setExportFormat] = useState<'xlsx' | 'csv' | null>(null);

  const change = (patch: Partial<Record<keyof ReportInput, string | null>>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(patch)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      return next;
    });

  const rows = report.data?.rows ?? [];
  const tableRows = report.data && rows.length > 0 ? [...rows, { ...report.data.totals, key: TOTAL_KEY, label: 'Total' }] : rows;
  const bold = (row: ReportRow) => (row.key === TOTAL_KEY ? 700 : undefined);

  const columns: DataColumn<ReportRow>[] = [
    {
      key: 'label',
      header: REPORT_GROUP_LABELS[input.groupBy],
      render: (row) => (
        <Text size="sm" fw={bold(row)}>
          {reportRowLabel(input, row)}
        </Text>
      ),
    },
    { key: 'readings', header: 'Readings', align: 'right', render: (row) => count(row.readings) },
    { key: 'actual', header: 'Actual', align: 'right', render: (row) => count(row.actual) },
    { key: 'estimated', header: 'Estimated', align: 'right', render: (row) => count(row.estimated) },
    { key: 'skipped', header: 'Skipped', align: 'right', render: (row) => count(row.skipped) },
    {
      key: 'exceptions',
      header: 'Exceptions',
      align: 'right',
      // The count links straight to those exceptions; the rest of the row opens all its readings.
      render: (row) =>
        row.exceptions > 0 ? (
          <Anchor
            component={Link}
            to={readingsListPath({ ...reportDrilldown(input, row), status: 'exception' })}
            onClick={(event) => event.stopPropagation()}
            size="sm"
            c="red"
            fw={bold(row)}
            style={numeric}
            aria-label={`${row.exceptions} exceptions in ${reportRowLabel(input, row)}`}
          >
            {row.exceptions.toLocaleString()}
          </Anchor>
        ) : (
          count(0)
        ),
    },
    {
      key: 'consumption',
      header: 'Consumption',
      align: 'right',
      render: (row) => (
        <Text size="sm" style={numeric} fw={bold(row)}>
          {formatUnits(row.consumption)}
        </Text>
      ),
    },
  ];

  const chartData = rows.map((row) => ({ ...row, label: reportRowLabel(input, row) }));
  const series =
    metric === 'consumption'
      ? [{ name: 'consumption', label: 'Consumption (units)', color: 'blue.6' }]
      : metric === 'readings'
        ? [
            { name: 'actual', label: 'Actual', color: 'blue.6' },
            { name: 'estimated', label: 'Estimated', color: 'grape.4' },
          ]
        : [{ name: 'exceptions', label: 'Exceptions', color: 'red.6' }];

  return (
    <Stack gap={0}>
      <PageHeader
        title="Readings report"
        subtitle="Click a row to see the readings behind it, or an exception count to see just those. Days, weeks and months follow the branch's calendar."
        actions={
          can('energy.meterReadings', 'export') ? (
            <>
              <Button variant="default" leftSection={<IconFileTypeCsv size={16} />} onClick={() => setExportFormat('csv')}>
                Export CSV
              </Button>
              <Button leftSection={<IconFileSpreadsheet size={16} />} onClick={() => setExportFormat('xlsx')}>
                Export to Excel
              </Button>
            </>
          ) : null
        }
      />
      <FunctionTabs />
      <Paper withBorder p="sm" mb="md">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <div>
            <Text size="sm" fw={500} mb={2} id="report-period-label">
              Period
            </Text>
            <SegmentedControl
              aria-labelledby="report-period-label"
              value={input.period}
              onChange={(value) => change({ period: value })}
              data={REPORT_PERIODS.map((value) => ({ value, label: REPORT_PERIOD_LABELS[value] }))}
            />
          </div>
          <TextInput type="date" label="From" value={input.from} max={input.to} onChange={(e) => change({ from: e.currentTarget.value })} w={150} />
          <TextInput type="date" label="To" value={input.to} min={input.from} onChange={(e) => change({ to: e.currentTarget.value })} w={150} />
          <Select
            label="Group by"
            data={REPORT_GROUPS.map((value) => ({ value, label: REPORT_GROUP_LABELS[value] }))}
            value={input.groupBy}
            onChange={(value) => change({ groupBy: value })}
            allowDeselect={false}
            w={180}
          />
          <Select label="Route" placeholder="All routes" data={routeOptions} value={input.routeId ?? null} onChange={(value) => change({ routeId: value })} clearable searchable w={200} />
          <Select label="Reader" placeholder="Anyone" data={readerOptions} value={input.readerId ?? null} onChange={(value) => change({ readerId: value })} clearable searchable w={180} />
          {input.category ? (
            <Button variant="light" size="sm" onClick={() => change({ category: null })} rightSection="×">
              Category: {input.category}
            </Button>
          ) : null}
        </Group>
      </Paper>

      {report.isError ? <ErrorAlert error={report.error} onRetry={() => void report.refetch()} /> : null}

      {rows.length > 0 ? (
        <Paper withBorder p="md" mb="md">
          <Group justify="space-between" mb="sm">
            <Text fw={600} size="sm">
              {metric === 'consumption' ? 'Consumption' : metric === 'readings' ? 'Readings by type' : 'Exceptions'} by {REPORT_GROUP_LABELS[input.groupBy].toLowerCase()}
            </Text>
            <SegmentedControl
              size="xs"
              aria-label="Chart shows"
              value={metric}
              onChange={(value) => setMetric(value as Metric)}
              data={[
                { value: 'consumption', label: 'Consumption' },
                { value: 'readings', label: 'Readings' },
                { value: 'exceptions', label: 'Exceptions' },
              ]}
            />
          </Group>
          <BarChart
            h={260}
            data={chartData}
            dataKey="label"
            series={series}
            type={metric === 'readings' ? 'stacked' : 'default'}
            withLegend={series.length > 1}
            valueFormatter={metric === 'consumption' ? formatUnits : (value) => value.toLocaleString()}
            maxBarWidth={48}
            aria-label="Report chart; the same figures are in the table below"
          />
        </Paper>
      ) : null}

      <DataTable
        label="Report"
        rows={tableRows}
        columns={columns}
        rowKey="key"
        onOpen={(row) => navigate(readingsListPath(reportDrilldown(input, row)))}
        loading={report.isFetching}
        empty={<EmptyState title="No readings in this range" description="Pick a wider date range or clear the route and reader." />}
        totalLabel={report.data ? 'Enter or a click on a row opens its readings; the Total row opens all of them.' : null}
      />

      <ExportDialog
        opened={exportFormat !== null}
        onClose={() => setExportFormat(null)}
        initialFormat={exportFormat ?? 'xlsx'}
        scope={{
          period: input.period,
          groupBy: input.groupBy,
          from: input.from,
          to: input.to,
          ...(input.routeId ? { routeId: input.routeId } : {}),
          ...(input.readerId ? { readerId: input.readerId } : {}),
          ...(input.category ? { category: input.category } : {}),
        }}
      />
    </Stack>
  );
}
