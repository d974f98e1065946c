import { LineChart } from '@mantine/charts';
import { Badge, Group, Paper, SegmentedControl, Skeleton, Text } from '@mantine/core';
import { useState } from 'react';
import { TREND_WINDOWS, analyticsTrend } from '../../src-shared/contracts/analytics';
import type { KpiInfo } from '../../src-shared/contracts/reports';
import { useRpcQuery } from '../api/hooks';
import { ErrorAlert } from '../components';
import { formatShortDay } from '../reports/dates';
import { TONE_COLOR, axisProps, formatChange, formatMeasure } from '../reports/format';
import { ChartOrTable } from './ChartOrTable';

type Window = (typeof TREND_WINDOWS)[number];

/** The KPI per day over a window, its moving average and the daily target. */
export function TrendPanel({ kpi }: { kpi: KpiInfo }) {
  const [window, setWindow] = useState<Window>(30);
  const trend = useRpcQuery(analyticsTrend, { kpi: kpi.key, window }, { keepPrevious: true });
  const fmt = (v: number | null | undefined) => formatMeasure(v, kpi.unit, kpi.decimals);
  const data = trend.data;
  const hasTarget = data?.points.some((p) => p.target !== null) ?? false;
  return (
    <Paper withBorder p="md">
      {trend.isError ? <ErrorAlert error={trend.error} onRetry={() => void trend.refetch()} /> : null}
      <Group justify="space-between" mb="md" wrap="wrap">
        <SegmentedControl
          aria-label="Trend window"
          value={String(window)}
          onChange={(v) => setWindow(Number(v) as Window)}
          data={TREND_WINDOWS.map((w) => ({ value: String(w), label: `${w} days` }))}
        />
        {data ? (
          <Group gap="xs">
            <Text size="sm">
              {fmt(data.total)} in {window} days, against {fmt(data.previousTotal)} the {window} days before
            </Text>
            <Badge color={TONE_COLOR[data.tone]} variant="light" tt="none">
              {formatChange(data.change?.percent)}
            </Badge>
          </Group>
        ) : null}
      </Group>
      {!data ? (
        <Skeleton h={280} />
      ) : (
        <ChartOrTable
          title={`${kpi.label} per day, ${data.movingAverageDays}-day moving average`}
          rows={data.points}
          rowKey={(p) => p.date}
          columns={[
            { key: 'date', header: 'Day', render: (p) => p.date },
            { key: 'value', header: kpi.label, align: 'right', render: (p) => fmt(p.value) },
            { key: 'ma', header: `${data.movingAverageDays}-day average`, align: 'right', render: (p) => fmt(p.movingAverage) },
            ...(hasTarget ? [{ key: 'target', header: 'Target', align: 'right' as const, render: (p: (typeof data.points)[number]) => fmt(p.target) }] : []),
          ]}
          chart={
            <LineChart
              h={300}
              data={data.points.map((p) => ({ ...p, day: formatShortDay(p.date) }))}
              dataKey="day"
              series={[
                { name: 'value', label: kpi.label, color: 'blue.3' },
                { name: 'movingAverage', label: `${data.movingAverageDays}-day average`, color: 'blue.8' },
                ...(hasTarget ? [{ name: 'target', label: 'Target', color: 'teal.6', strokeDasharray: '5 5' }] : []),
              ]}
              curveType="monotone"
              withDots={window <= 30}
              withLegend
              connectNulls
              valueFormatter={(v) => fmt(v)}
              yAxisProps={axisProps(kpi.unit)}
              aria-label={`${kpi.label} trend chart; switch to Table for the figures`}
            />
          }
        />
      )}
    </Paper>
  );
}
