import { BarChart } from '@mantine/charts';
import { Button, Group, Paper, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconFileSpreadsheet, IconFileTypeCsv } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import type { z } from 'zod';
import type { FunctionKey } from '../../../../src-shared/permissions';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import { useRpcQuery, useSession } from '../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, PageHeader, type DataColumn } from '../../../components';
import { ExportDialog } from './ExportDialog';
import { useToday } from './time';
import { useUrlFilters } from './useUrlFilters';

type Row = { key: string; label: string } & Record<string, unknown>;
export const TOTAL_KEY = '__total__';

export interface ReportInputBase {
  period: 'day' | 'week' | 'month';
  from: string;
  to: string;
  groupBy: string;
}

export interface ReportScreenProps<R extends Row, I extends ReportInputBase> {
  fn: FunctionKey;
  title: string;
  subtitle: string;
  tabs: ReactNode;
  contract: ProcedureContract<z.ZodObject, z.ZodType>;
  exportContract: ProcedureContract;
  groups: readonly { value: string; label: string }[];
  columns(input: I): DataColumn<R>[];
  /** Bars to draw; every chart is also the table below it. */
  series: { name: keyof R & string; label: string; color: string }[];
  /** Extra filters (technician, service…) drawn from and written to the URL like the rest. */
  filters?(input: I, change: (patch: Partial<Record<string, string | null>>) => void): ReactNode;
  /** Where a row leads: the list of the records behind it. */
  drilldown?(row: R, input: I): string;
  exportDescription: { xlsx: string; csv: string };
}

/**
 * The daily / weekly / monthly report every field function shows: period and range, group by a
 * drilldown dimension, a chart and the same figures as a table with totals; Enter or a click on a
 * row opens what is behind it; Excel and CSV come from the export job.
 */
export function ReportScreen<R extends Row, I extends ReportInputBase>(props: ReportScreenProps<R, I>) {
  const { can } = useSession();
  const today = useToday();
  const navigate = useNavigate();
  const shape = props.contract.input.shape as Record<string, z.ZodType>;
  const { filters, setFilters } = useUrlFilters(shape);
  const input = useMemo(
    () => ({ period: 'day', groupBy: 'period', from: `${today.slice(0, 8)}01`, to: today, ...filters }) as unknown as I,
    [filters, today],
  );
  const report = useRpcQuery(props.contract, input as never, { keepPrevious: true });
  const [exportFormat, setExportFormat] = useState<'xlsx' | 'csv' | null>(null);
  const change = (patch: Partial<Record<string, string | null>>) => setFilters(Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v ?? undefined])));

  const data = report.data as { rows: R[]; totals: R } | undefined;
  const rows = data?.rows ?? [];
  const tableRows = data && rows.length > 0 ? [...rows, { ...data.totals, key: TOTAL_KEY, label: 'Total' } as R] : rows;
  const groupLabel = props.groups.find((g) => g.value === input.groupBy)?.label ?? 'Period';
  const columns: DataColumn<R>[] = [
    {
      key: 'label',
      header: groupLabel,
      render: (row) => (
        <Text size="sm" fw={row.key === TOTAL_KEY ? 700 : undefined}>
          {row.label}
        </Text>
      ),
    },
    ...props.columns(input),
  ];

  return (
    <Stack gap={0}>
      <PageHeader
        title={props.title}
        subtitle={props.subtitle}
        actions={
          can(props.fn, 'export') ? (
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
      {props.tabs}
      <Paper withBorder p="sm" mb="md">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <div>
            <Text size="sm" fw={500} mb={2} id={`${props.fn}-period`}>
              Period
            </Text>
            <SegmentedControl
              aria-labelledby={`${props.fn}-period`}
              value={input.period}
              onChange={(value) => change({ period: value })}
              data={[
                { value: 'day', label: 'Daily' },
                { value: 'week', label: 'Weekly' },
                { value: 'month', label: 'Monthly' },
              ]}
            />
          </div>
          <TextInput type="date" label="From" value={input.from} max={input.to} onChange={(e) => change({ from: e.currentTarget.value })} w={150} />
          <TextInput type="date" label="To" value={input.to} min={input.from} onChange={(e) => change({ to: e.currentTarget.value })} w={150} />
          <Select label="Group by" data={[...props.groups]} value={input.groupBy} onChange={(value) => change({ groupBy: value })} allowDeselect={false} w={170} />
          {props.filters?.(input, change)}
        </Group>
      </Paper>
      {report.isError ? <ErrorAlert error={report.error} onRetry={() => void report.refetch()} /> : null}
      {rows.length > 0 ? (
        <Paper withBorder p="md" mb="md">
          <BarChart
            h={240}
            data={rows as unknown as Record<string, unknown>[]}
            dataKey="label"
            series={props.series}
            withLegend
            maxBarWidth={40}
            aria-label={`${props.title} chart; the same figures are in the table below`}
          />
        </Paper>
      ) : null}
      <DataTable
        label={props.title}
        rows={tableRows}
        columns={columns}
        rowKey="key"
        onOpen={props.drilldown ? (row) => navigate(props.drilldown!(row, input)) : undefined}
        loading={report.isFetching}
        empty={<EmptyState title="Nothing in this range" description="Pick a wider date range or clear a filter." />}
        totalLabel={data && props.drilldown ? 'Enter or a click on a row opens the records behind it.' : null}
      />
      <ExportDialog
        opened={exportFormat !== null}
        onClose={() => setExportFormat(null)}
        title={`Export: ${props.title}`}
        contract={props.exportContract}
        initialFormat={exportFormat ?? 'xlsx'}
        scope={input as unknown as { from: string; to: string } & Record<string, unknown>}
        description={props.exportDescription}
      />
    </Stack>
  );
}

/** A right-aligned count cell, bold on the totals row. */
export function countCell<R extends Row>(key: keyof R & string, header: string, color?: (row: R) => string | undefined): DataColumn<R> {
  return {
    key,
    header,
    align: 'right',
    render: (row) => (
      <Text size="sm" fw={row.key === TOTAL_KEY ? 700 : undefined} c={color?.(row)} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {Number(row[key] ?? 0).toLocaleString()}
      </Text>
    ),
  };
}
