import { BarChart } from '@mantine/charts';
import { Badge, Group, NumberInput, Paper, SegmentedControl, Skeleton, Text } from '@mantine/core';
import { useState } from 'react';
import { analyticsVariance } from '../../src-shared/contracts/analytics';
import { REPORT_PERIODS, type KpiInfo, type ReportPeriod } from '../../src-shared/contracts/reports';
import { useRpcQuery } from '../api/hooks';
import { ErrorAlert } from '../components';
import { TONE_COLOR, axisProps, formatChange, formatDelta, formatMeasure } from '../reports/format';
import { ChartOrTable } from './ChartOrTable';

const PERIODS: Record<ReportPeriod, { label: string; count: number; baseline: string }> = {
  day: { label: 'Days', count: 14, baseline: 'same weekday of the previous weeks' },
  week: { label: 'Weeks', count: 12, baseline: 'previous weeks' },
  month: { label: 'Months', count: 12, baseline: 'previous months' },
};

/** A variance in value and in percent ("+3 · +50%"), coloured by whether it went the good way. */
function VarianceBadge({ v, tone, kpi }: { v: { value: number; percent: number | null } | null; tone: 'good' | 'bad' | 'neutral'; kpi: KpiInfo }) {
  if (!v) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      <Text size="sm" c={tone === 'neutral' ? 'dimmed' : TONE_COLOR[tone]} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatDelta({ value: v.value, percent: null }, kpi.unit, kpi.decimals)}
      </Text>
      <Badge color={TONE_COLOR[tone]} variant={tone === 'neutral' ? 'light' : 'filled'} tt="none" miw={64}>
        {formatChange(v.percent)}
      </Badge>
    </Group>
  );
}

/** Each period against its baseline and its target, coloured by whether more is better. */
export function VariancePanel({ kpi }: { kpi: KpiInfo }) {
  const [period, setPeriod] = useState<ReportPeriod>('day');
  const [baselineWindow, setBaselineWindow] = useState(4);
  const result = useRpcQuery(analyticsVariance, { kpi: kpi.key, period, periods: PERIODS[period].count, baselineWindow }, { keepPrevious: true });
  const fmt = (v: number | null | undefined) => formatMeasure(v, kpi.unit, kpi.decimals);
  const data = result.data;
  return (
    <Paper withBorder p="md">
      {result.isError ? <ErrorAlert error={result.error} onRetry={() => void result.refetch()} /> : null}
      <Group mb="md" gap="md" align="flex-end" wrap="wrap">
        <SegmentedControl aria-label="Variance period" value={period} onChange={(v) => setPeriod(v as ReportPeriod)} data={REPORT_PERIODS.map((p) => ({ value: p, label: PERIODS[p].label }))} />
        <NumberInput
          label="Baseline over"
          suffix={period === 'day' ? ' weeks' : period === 'week' ? ' weeks' : ' months'}
          min={1}
          max={12}
          value={baselineWindow}
          onChange={(v) => typeof v === 'number' && v >= 1 && v <= 12 && setBaselineWindow(v)}
          w={150}
        />
        <Text size="xs" c="dimmed" maw={420}>
          Baseline: the average of the {PERIODS[period].baseline}.{period === 'day' ? '' : ` The current ${period} so far is compared with the same number of days of each.`}{' '}
          {kpi.goodDirection === 'up' ? 'More is better' : 'Less is better'}; within ±{data?.tolerancePercent ?? 5}% is grey.
        </Text>
      </Group>
      {!data ? (
        <Skeleton h={280} />
      ) : (
        <ChartOrTable
          title={`${kpi.label}: actual, baseline and target`}
          rows={data.rows}
          rowKey={(r) => r.key}
          columns={[
            { key: 'label', header: PERIODS[period].label.slice(0, -1), render: (r) => `${r.label}${r.partial ? ' (so far)' : ''}` },
            { key: 'value', header: 'Actual', align: 'right', render: (r) => fmt(r.value) },
            { key: 'baseline', header: 'Baseline', align: 'right', render: (r) => fmt(r.baseline) },
            { key: 'vsBaseline', header: 'vs baseline', align: 'right', render: (r) => <VarianceBadge v={r.vsBaseline} tone={r.baselineTone} kpi={kpi} /> },
            { key: 'target', header: 'Target', align: 'right', render: (r) => fmt(r.target) },
            { key: 'vsTarget', header: 'vs target', align: 'right', render: (r) => <VarianceBadge v={r.vsTarget} tone={r.targetTone} kpi={kpi} /> },
          ]}
          chart={
            <BarChart
              h={300}
              // The actual bar takes the colour of its variance, as the table's badges do: against the
              // target where one is set, else against the baseline. One series per tone, stacked, and
              // each period fills only its own (nulls stay out of the tooltip).
              data={data.rows.map((r) => {
                const tone = r.target !== null ? r.targetTone : r.baselineTone;
                const actual = r.value ?? 0;
                return {
                  label: r.label,
                  better: tone === 'good' ? actual : null,
                  worse: tone === 'bad' ? actual : null,
                  within: tone === 'neutral' ? actual : null,
                  baseline: r.baseline ?? 0,
                  target: r.target ?? 0,
                };
              })}
              dataKey="label"
              series={[
                { name: 'better', label: 'Actual, better', color: `${TONE_COLOR.good}.6`, stackId: 'actual' },
                { name: 'worse', label: 'Actual, worse', color: `${TONE_COLOR.bad}.6`, stackId: 'actual' },
                { name: 'within', label: `Actual, within ±${data.tolerancePercent}%`, color: 'blue.6', stackId: 'actual' },
                { name: 'baseline', label: 'Baseline', color: 'gray.5' },
                ...(data.rows.some((r) => r.target !== null) ? [{ name: 'target', label: 'Target', color: 'violet.4' }] : []),
              ]}
              withLegend
              valueFormatter={(v) => fmt(v)}
              yAxisProps={axisProps(kpi.unit)}
              aria-label={`${kpi.label} against baseline and target, the actual bars coloured by variance; switch to Table for the figures`}
            />
          }
        />
      )}
    </Paper>
  );
}
