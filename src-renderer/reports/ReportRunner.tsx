import { BarChart } from '@mantine/charts';
import { Anchor, Button, Group, Menu, Paper, Pill, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconCalendar, IconFileSpreadsheet, IconFileTypeCsv, IconListDetails } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { PERIOD_GROUP, REPORT_PERIODS, RANGE_PRESETS, STANDARD_DIMENSIONS, reportsRun, type ReportInfo, type ReportRow } from '../../src-shared/contracts/reports';
import { useRpcQuery } from '../api/hooks';
import { DataTable, EmptyState, ErrorAlert, PageHeader, type DataColumn } from '../components';
import { functionLabel } from '../components/labels';
import { PRESET_LABELS, presetRange } from './dates';
import { DimensionFilter } from './DimensionFilter';
import { DrillDialog, TOTAL_KEY, rowScope } from './DrillDialog';
import { ExportReportDialog } from './ExportReportDialog';
import { axisProps, formatMeasure } from './format';
import { paramsFromSearch, recordsPath, searchFromParams, type ReportParams } from './params';
import { SavedViews } from './SavedViews';
import { useReportingCatalogue, type Calendar } from './useReporting';

const PERIOD_LABELS = { day: 'Daily', week: 'Weekly', month: 'Monthly' } as const;
const numeric = { fontVariantNumeric: 'tabular-nums' } as const;

/** `/reports/:reportKey`: any function's report, run with the filters of the URL. */
export function ReportRunner() {
  const { reportKey } = useParams();
  const catalogue = useReportingCatalogue();
  const report = catalogue.report(reportKey);
  if (catalogue.query.isError) return <ErrorAlert error={catalogue.query.error} onRetry={() => void catalogue.query.refetch()} />;
  if (!catalogue.calendar) return null;
  if (!report) {
    return (
      <Paper withBorder>
        <EmptyState
          title="This report is not available to you"
          description="It does not exist, or your role may not view its function. The reports you can run are listed under Reports."
          action={
            <Button component={Link} to="/reports" variant="light">
              All reports
            </Button>
          }
        />
      </Paper>
    );
  }
  return <Runner report={report} calendar={catalogue.calendar} />;
}

function Runner({ report, calendar }: { report: ReportInfo; calendar: Calendar }) {
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => paramsFromSearch(search, presetRange('thisMonth', calendar.today, calendar.weekStart)), [search, calendar]);
  const measure = report.measures.find((m) => m.key === params.measure) ?? report.measures.find((m) => m.key === report.defaultMeasure)!;
  const result = useRpcQuery(
    reportsRun,
    { report: report.key, from: params.from, to: params.to, period: params.period, groupBy: params.groupBy, filters: params.filters },
    { keepPrevious: true },
  );
  const [drillRow, setDrillRow] = useState<ReportRow | null>(null);
  const [exportFormat, setExportFormat] = useState<'xlsx' | 'csv' | null>(null);

  const change = (patch: Partial<ReportParams>) => setSearch(searchFromParams({ ...params, ...patch }));
  const setFilter = (dim: string, value: string | null) => {
    const filters = { ...params.filters };
    if (value === null) delete filters[dim];
    else filters[dim] = value;
    change({ filters });
  };

  const data = result.data;
  const rows = data?.rows ?? [];
  const tableRows = data && rows.length > 0 ? [...rows, { key: TOTAL_KEY, label: 'Total', from: null, to: null, values: data.totals }] : rows;
  const isTotal = (row: ReportRow) => row.key === TOTAL_KEY;
  const groupLabel = params.groupBy === PERIOD_GROUP ? { day: 'Day', week: 'Week', month: 'Month' }[params.period] : (data?.groupLabel ?? params.groupBy);
  const filterLabel = (dim: string) => data?.filterLabels.find((f) => f.dimension === dim);
  const standardDims = report.dimensions.filter((d) => (STANDARD_DIMENSIONS as readonly string[]).includes(d.key));
  const otherFilters = Object.keys(params.filters).filter((dim) => !standardDims.some((d) => d.key === dim));

  const columns: DataColumn<ReportRow>[] = [
    {
      key: 'label',
      header: groupLabel,
      render: (row) => (
        <Text size="sm" fw={isTotal(row) ? 700 : undefined}>
          {row.label}
        </Text>
      ),
    },
    ...report.measures.map<DataColumn<ReportRow>>((m) => ({
      key: m.key,
      header: m.label,
      align: 'right',
      render: (row) => (
        <Text size="sm" style={numeric} fw={isTotal(row) ? 700 : m.key === measure.key ? 600 : undefined}>
          {formatMeasure(row.values[m.key], m.unit, m.decimals)}
        </Text>
      ),
    })),
  ];

  return (
    <Stack gap={0}>
      <PageHeader
        title={report.label}
        subtitle={`${report.functionLabel} · ${report.description}`}
        actions={
          <>
            <SavedViews report={report.key} params={params} calendar={calendar} />
            {report.canExport ? (
              <>
                <Button variant="default" leftSection={<IconFileTypeCsv size={16} />} onClick={() => setExportFormat('csv')}>
                  Export CSV
                </Button>
                <Button leftSection={<IconFileSpreadsheet size={16} />} onClick={() => setExportFormat('xlsx')}>
                  Export to Excel
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <Paper withBorder p="sm" mb="md">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput type="date" label="From" value={params.from} max={params.to} onChange={(e) => e.currentTarget.value && change({ from: e.currentTarget.value })} w={150} />
          <TextInput type="date" label="To" value={params.to} min={params.from} onChange={(e) => e.currentTarget.value && change({ to: e.currentTarget.value })} w={150} />
          <Menu position="bottom-start">
            <Menu.Target>
              <Button variant="default" leftSection={<IconCalendar size={16} />} aria-label="Date range presets">
                Range
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {RANGE_PRESETS.map((preset) => (
                <Menu.Item key={preset} onClick={() => change(presetRange(preset, calendar.today, calendar.weekStart))}>
                  {PRESET_LABELS[preset]}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <div>
            <Text size="sm" fw={500} mb={2} id="report-period-label">
              Period
            </Text>
            <SegmentedControl
              aria-labelledby="report-period-label"
              value={params.period}
              onChange={(value) => change({ period: value as ReportParams['period'] })}
              data={REPORT_PERIODS.map((value) => ({ value, label: PERIOD_LABELS[value] }))}
            />
          </div>
          <Select
            label="Group by"
            data={[{ value: PERIOD_GROUP, label: 'Period' }, ...report.dimensions.map((d) => ({ value: d.key, label: d.label }))]}
            value={params.groupBy}
            onChange={(value) => change({ groupBy: value ?? PERIOD_GROUP })}
            allowDeselect={false}
            w={200}
          />
          {standardDims.map((dim) => (
            <DimensionFilter
              key={dim.key}
              report={report.key}
              dimension={dim}
              from={params.from}
              to={params.to}
              filters={params.filters}
              value={params.filters[dim.key]}
              valueLabel={filterLabel(dim.key)?.value}
              onChange={(value) => setFilter(dim.key, value)}
            />
          ))}
        </Group>
        {otherFilters.length > 0 ? (
          <Group gap="xs" mt="sm">
            {otherFilters.map((dim) => (
              <Pill key={dim} withRemoveButton onRemove={() => setFilter(dim, null)} removeButtonProps={{ 'aria-label': `Remove filter ${dim}` }}>
                {filterLabel(dim)?.label ?? dim}: {filterLabel(dim)?.value ?? params.filters[dim]}
              </Pill>
            ))}
          </Group>
        ) : null}
      </Paper>

      {result.isError ? <ErrorAlert error={result.error} onRetry={() => void result.refetch()} /> : null}

      {rows.length > 0 ? (
        <Paper withBorder p="md" mb="md">
          <Group justify="space-between" mb="sm">
            <Text fw={600} size="sm">
              {measure.label} by {groupLabel.toLowerCase()}
            </Text>
            <Select
              aria-label="Chart shows"
              size="xs"
              data={report.measures.map((m) => ({ value: m.key, label: m.label }))}
              value={measure.key}
              onChange={(value) => value && change({ measure: value })}
              allowDeselect={false}
              w={200}
            />
          </Group>
          <BarChart
            h={240}
            data={rows.map((r) => ({ label: r.label, [measure.key]: r.values[measure.key] ?? 0 }))}
            dataKey="label"
            series={[{ name: measure.key, label: measure.label, color: 'blue.6' }]}
            valueFormatter={(v) => formatMeasure(v, measure.unit, measure.decimals)}
            yAxisProps={axisProps(measure.unit)}
            maxBarWidth={48}
            aria-label={`${measure.label} chart; the same figures are in the table below`}
          />
        </Paper>
      ) : null}

      <DataTable
        label="Report"
        rows={tableRows}
        columns={columns}
        rowKey="key"
        onOpen={(row) => setDrillRow(row)}
        loading={result.isFetching}
        empty={
          <EmptyState
            title={`No ${report.recordLabel}s in this range`}
            description="Pick a wider date range or clear a filter."
          />
        }
        totalLabel={data ? `Enter or a click on a row drills into it: by another drilldown, or down to its ${report.recordLabel}s.` : null}
        footer={
          data ? (
            <Group gap="xs">
              {data.listLink ? (
                <Anchor component={Link} to={data.listLink} size="sm">
                  Open in {functionLabel(report.functionKey)}
                </Anchor>
              ) : null}
              <Button
                size="xs"
                variant="subtle"
                leftSection={<IconListDetails size={14} />}
                onClick={() => void navigate(recordsPath(report.key, { from: params.from, to: params.to, filters: params.filters }))}
              >
                All {report.recordLabel}s
              </Button>
            </Group>
          ) : null
        }
      />

      {data ? <DrillDialog report={report} result={data} params={params} row={drillRow} onClose={() => setDrillRow(null)} /> : null}
      {data ? (
        <ExportReportDialog
          opened={exportFormat !== null}
          onClose={() => setExportFormat(null)}
          initialFormat={exportFormat ?? 'xlsx'}
          scope={{
            report: report.key,
            reportLabel: report.label,
            recordLabel: report.recordLabel,
            ...rowScope(params, { key: TOTAL_KEY, label: '', from: null, to: null, values: {} }),
            period: params.period,
            groupBy: params.groupBy,
            filterLabels: data.filterLabels,
          }}
        />
      ) : null}
    </Stack>
  );
}
