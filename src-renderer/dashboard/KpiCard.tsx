import { Sparkline } from '@mantine/charts';
import { Badge, Card, Group, Progress, Stack, Text } from '@mantine/core';
import { IconArrowDownRight, IconArrowUpRight, IconMinus } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { KpiCard as Kpi } from '../../src-shared/contracts/dashboard';
import { functionLabel } from '../components/labels';
import { formatShortDay } from '../reports/dates';
import { TONE_COLOR, formatDelta, formatMeasure } from '../reports/format';
import { reportPath } from '../reports/params';

interface Props {
  kpi: Kpi;
  range: { from: string; to: string };
  previousRange: { from: string; to: string };
}

const span = (r: { from: string; to: string }) => (r.from === r.to ? formatShortDay(r.from) : `${formatShortDay(r.from)}–${formatShortDay(r.to)}`);

/**
 * One throughput figure: this period so far, the same days of the period before, the target, and
 * the last two weeks as a sparkline. The whole card opens its report for the same days, by day.
 */
export function KpiCard({ kpi, range, previousRange }: Props) {
  const value = formatMeasure(kpi.value, kpi.unit, kpi.decimals);
  const change = kpi.change?.value ?? 0;
  const Arrow = change > 0 ? IconArrowUpRight : change < 0 ? IconArrowDownRight : IconMinus;
  const sparkData = kpi.spark.map((p) => p.value ?? 0);
  return (
    <Card
      withBorder
      padding="md"
      component={Link}
      to={reportPath(kpi.reportKey, { ...range, period: 'day', measure: kpi.measure })}
      aria-label={`${kpi.label}: ${value}. Open its report`}
      className="plug1-kpi-card"
      style={{ textDecoration: 'none', color: 'inherit' }}
    >
      <Stack gap={6}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600} lineClamp={1}>
          {functionLabel(kpi.functionKey)}
        </Text>
        <Text fw={600} size="sm" lineClamp={1} title={kpi.description}>
          {kpi.label}
        </Text>
        <Group justify="space-between" align="flex-end" wrap="nowrap">
          <Text fz={26} fw={700} lh={1.1} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {value}
          </Text>
          <Sparkline
            w={110}
            h={36}
            data={sparkData}
            curveType="monotone"
            color={TONE_COLOR[kpi.tone] === 'gray' ? 'blue' : TONE_COLOR[kpi.tone]}
            fillOpacity={0.2}
            strokeWidth={1.5}
            aria-label={`Last 14 days: ${sparkData.join(', ')}`}
          />
        </Group>
        <Group gap={6} wrap="nowrap" title={`${span(range)} against ${span(previousRange)}`}>
          <Badge variant="light" color={TONE_COLOR[kpi.tone]} leftSection={<Arrow size={12} />} tt="none" style={{ flexShrink: 0 }}>
            {formatDelta(kpi.change, kpi.unit, kpi.decimals)}
          </Badge>
          <Text size="xs" c="dimmed" truncate>
            vs {formatMeasure(kpi.previous, kpi.unit, kpi.decimals)} in {span(previousRange)}
          </Text>
        </Group>
        {kpi.target !== null ? (
          <Stack gap={2}>
            <Progress
              value={Math.min(100, kpi.targetPercent ?? 0)}
              color={kpi.goodDirection === 'up' ? ((kpi.targetPercent ?? 0) >= 100 ? 'teal' : 'blue') : (kpi.targetPercent ?? 0) > 100 ? 'red' : 'teal'}
              size="sm"
              aria-label={`${kpi.targetPercent ?? 0}% of target`}
            />
            <Text size="xs" c="dimmed">
              {kpi.targetPercent ?? 0}% of the target {formatMeasure(kpi.target, kpi.unit, kpi.decimals)}
            </Text>
          </Stack>
        ) : (
          <Text size="xs" c="dimmed">
            No target set for this period
          </Text>
        )}
      </Stack>
    </Card>
  );
}
