import { Badge, Group, Stack, Text } from '@mantine/core';
import type { Asset, Downtime, WorkOrder } from '../../../../../src-shared/contracts/energy/maintenance';
import { DateText, MoneyText, StatusBadge, type DataColumn } from '../../../../components';
import { formatHours } from '../../installations/shared/ui';
import { ASSET_CLASSES, ASSET_STATUS_LABELS, DOWNTIME_REASONS, PRIORITY_COLORS, PRIORITY_LABELS, TYPE_LABELS, WORK_ORDER_STATUS_LABELS } from '../labels';

export const workOrderColumns: DataColumn<WorkOrder>[] = [
  { key: 'woNo', header: 'Work order', render: (w) => <Text size="sm" ff="monospace">{w.woNo}</Text> },
  {
    key: 'title',
    header: 'Work',
    render: (w) => (
      <Stack gap={0}>
        <Text size="sm" fw={500}>
          {w.title}
        </Text>
        <Text size="xs" c="dimmed">
          {w.assetCode} · {w.assetName}
        </Text>
      </Stack>
    ),
  },
  { key: 'type', header: 'Type', render: (w) => TYPE_LABELS[w.type] },
  {
    key: 'priority',
    header: 'Priority',
    render: (w) => (
      <Badge variant="dot" color={PRIORITY_COLORS[w.priority]} size="sm" radius="sm">
        {PRIORITY_LABELS[w.priority]}
      </Badge>
    ),
  },
  { key: 'status', header: 'Status', render: (w) => <StatusBadge status={w.status} label={WORK_ORDER_STATUS_LABELS[w.status]} /> },
  {
    key: 'due',
    header: 'Due',
    render: (w) => (
      <Group gap={4} wrap="nowrap">
        <DateText value={w.dueOn} size="sm" />
        {w.overdue ? (
          <Badge color="red" size="xs" miw="max-content">
            overdue
          </Badge>
        ) : null}
      </Group>
    ),
  },
  { key: 'assigned', header: 'Assigned to', render: (w) => w.assignedToName ?? '—' },
  { key: 'cost', header: 'Cost', align: 'right', render: (w) => <MoneyText value={w.totalCost} size="sm" /> },
];

export const assetColumns: DataColumn<Asset>[] = [
  { key: 'code', header: 'Asset', render: (a) => <Text size="sm" ff="monospace">{a.code}</Text> },
  {
    key: 'name',
    header: 'Name',
    render: (a) => (
      <Stack gap={0}>
        <Text size="sm" fw={500}>
          {a.name}
        </Text>
        {a.parentCode ? (
          <Text size="xs" c="dimmed">
            under {a.parentCode}
          </Text>
        ) : null}
      </Stack>
    ),
  },
  { key: 'class', header: 'Class', render: (a) => ASSET_CLASSES[a.assetClass] },
  { key: 'site', header: 'Site', render: (a) => `${a.siteCode} · ${a.siteName}` },
  { key: 'status', header: 'Status', render: (a) => <StatusBadge status={a.status} label={ASSET_STATUS_LABELS[a.status]} /> },
  { key: 'usage', header: 'Usage meter', align: 'right', render: (a) => (a.usageUnit ? `${a.usageReading?.toLocaleString() ?? '—'} ${a.usageUnit}` : '—') },
];

export const downtimeColumns: DataColumn<Downtime>[] = [
  { key: 'started', header: 'Stopped', render: (d) => <DateText value={d.startedAt} size="sm" /> },
  { key: 'ended', header: 'Back', render: (d) => (d.endedAt ? <DateText value={d.endedAt} size="sm" /> : <Badge color="red" size="sm" miw="max-content">
          still down
        </Badge>) },
  {
    key: 'reason',
    header: 'Reason',
    render: (d) => (
      <Group gap={4} wrap="nowrap">
        <Text size="sm">{DOWNTIME_REASONS[d.reason].label}</Text>
        {d.failure ? (
          <Badge size="xs" color="red" variant="light" miw="max-content">
            failure
          </Badge>
        ) : null}
      </Group>
    ),
  },
  { key: 'hours', header: 'Hours', align: 'right', render: (d) => formatHours(d.hours) },
  { key: 'wo', header: 'Work order', render: (d) => d.workOrderNo ?? '—' },
  { key: 'notes', header: 'Notes', render: (d) => <Text size="sm" lineClamp={2}>{d.notes ?? ''}</Text> },
];
