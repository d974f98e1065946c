import { ActionIcon, Alert, Badge, Button, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconBuildingSkyscraper, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { targetsList, targetsSet } from '../../src-shared/contracts/analytics';
import { REPORT_PERIODS, type KpiInfo, type ReportPeriod } from '../../src-shared/contracts/reports';
import { useRpcMutation, useRpcQuery } from '../api/hooks';
import { useHqOwnership } from '../api/ownership';
import { fieldErrors } from '../api/forms';
import { DateText, ErrorAlert } from '../components';
import { weekStartOf } from '../reports/dates';
import { formatMeasure } from '../reports/format';
import type { Calendar } from '../reports/useReporting';

const PERIOD_WORD: Record<ReportPeriod, string> = { day: 'Every day', week: 'Every week', month: 'Every month' };

/**
 * A KPI's targets: standing ones per day/week/month and targets for one particular period.
 * Targets HQ publishes are marked "Set by HQ" and cannot be changed or cleared here, nor overridden
 * for one period when HQ sets the standing one; the server refuses those anyway, so the form says
 * so before anyone types a value.
 */
export function TargetsPanel({ kpi, calendar }: { kpi: KpiInfo; calendar: Calendar }) {
  const targets = useRpcQuery(targetsList, { kpi: kpi.key });
  const set = useRpcMutation(targetsSet, { invalidate: ['targets.', 'analytics.', 'dashboard.'], notifyErrors: false });
  const [period, setPeriod] = useState<ReportPeriod>('month');
  const [scope, setScope] = useState<'standing' | 'one'>('standing');
  const [start, setStart] = useState(calendar.today);
  const [value, setValue] = useState<number | ''>('');
  const [note, setNote] = useState('');
  const money = kpi.unit === 'money';
  const errors = fieldErrors(set.error);

  // Snap a chosen day to the first day of its period, as the server expects.
  const periodStart = period === 'day' ? start : period === 'week' ? weekStartOf(start, calendar.weekStart) : `${start.slice(0, 7)}-01`;
  const existing = targets.data?.find((t) => t.period === period && t.periodStart === (scope === 'standing' ? null : periodStart));
  const hq = useHqOwnership('kpiTarget');
  const hqStanding = targets.data?.find((t) => t.period === period && t.periodStart === null && hq.isOwned(t.id));
  const lockedBecause =
    existing && hq.isOwned(existing.id)
      ? 'This target is set by HQ: change it at HQ, and the change reaches this branch with the next sync.'
      : scope === 'one' && hqStanding
        ? `HQ sets the target for ${PERIOD_WORD[period].toLowerCase()}; a target for one ${period} here would override it. Ask HQ to change it.`
        : null;
  const toStored = (v: number) => (money ? Math.round(v * 100) : v);

  return (
    <Paper withBorder p="md">
      <Stack>
        <Text fw={600} size="sm">
          Targets for {kpi.label.toLowerCase()}
        </Text>
        {targets.data && targets.data.length > 0 ? (
          <Table fz="sm" aria-label="Targets">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>For</Table.Th>
                <Table.Th ta="right">Target</Table.Th>
                <Table.Th>Set by</Table.Th>
                <Table.Th>Note</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {targets.data.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>{t.periodStart ? `The ${t.period} of ${t.periodStart}` : PERIOD_WORD[t.period]}</Table.Td>
                  <Table.Td ta="right">{formatMeasure(t.value, kpi.unit, kpi.decimals)}</Table.Td>
                  <Table.Td>
                    {t.setByName} · <DateText value={t.updatedAt} format="date" />
                  </Table.Td>
                  <Table.Td>{t.note ?? ''}</Table.Td>
                  <Table.Td>
                    {hq.isOwned(t.id) ? (
                      <Badge variant="light" size="sm" leftSection={<IconBuildingSkyscraper size={12} />}>
                        Set by HQ
                      </Badge>
                    ) : kpi.canSetTarget ? (
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label={`Clear target ${t.periodStart ?? PERIOD_WORD[t.period]}`}
                        onClick={() => set.mutate({ input: { kpi: kpi.key, period: t.period, periodStart: t.periodStart, value: null, version: t.version } })}
                      >
                        <IconTrash size={14} />
                      </ActionIcon>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm" c="dimmed">
            No targets yet.{kpi.canSetTarget ? ' Set one below; dashboards and variance reports compare against it.' : ' A supervisor of this function sets them.'}
          </Text>
        )}
        {kpi.canSetTarget ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (value === '' || lockedBecause) return;
              set.mutate(
                {
                  input: {
                    kpi: kpi.key,
                    period,
                    periodStart: scope === 'standing' ? null : periodStart,
                    value: toStored(value),
                    version: existing?.version ?? 0,
                    ...(note.trim() ? { note: note.trim() } : {}),
                  },
                },
                {
                  onSuccess: () => {
                    setValue('');
                    setNote('');
                  },
                },
              );
            }}
          >
            <Group align="flex-end" gap="sm" wrap="wrap">
              <Select
                label="Period"
                data={REPORT_PERIODS.map((p) => ({ value: p, label: p === 'day' ? 'Day' : p === 'week' ? 'Week' : 'Month' }))}
                value={period}
                onChange={(v) => v && setPeriod(v as ReportPeriod)}
                allowDeselect={false}
                w={110}
              />
              <SegmentedControl
                aria-label="Target applies to"
                value={scope}
                onChange={(v) => setScope(v as 'standing' | 'one')}
                data={[
                  { value: 'standing', label: 'Every period' },
                  { value: 'one', label: 'One period' },
                ]}
              />
              {scope === 'one' ? (
                <TextInput type="date" label={`The ${period} of`} value={start} onChange={(e) => e.currentTarget.value && setStart(e.currentTarget.value)} error={errors.periodStart} w={160} />
              ) : null}
              <NumberInput
                label={money ? 'Target amount' : 'Target'}
                value={value}
                onChange={(v) => setValue(typeof v === 'number' ? v : '')}
                min={0}
                decimalScale={money ? 2 : kpi.unit === 'count' ? 0 : 3}
                thousandSeparator=","
                error={errors.value}
                w={160}
                required
                disabled={lockedBecause !== null}
              />
              <TextInput label="Note" placeholder="Why this target" value={note} onChange={(e) => setNote(e.currentTarget.value)} w={220} disabled={lockedBecause !== null} />
              <Button type="submit" loading={set.isPending} disabled={lockedBecause !== null}>
                {existing ? 'Change target' : 'Set target'}
              </Button>
            </Group>
            {lockedBecause ? (
              <Alert color="blue" variant="light" mt="sm" icon={<IconBuildingSkyscraper size={16} />} title="Set by HQ">
                {lockedBecause}
              </Alert>
            ) : null}
            <ErrorAlert error={Object.keys(errors).length ? null : set.error} />
          </form>
        ) : null}
      </Stack>
    </Paper>
  );
}
