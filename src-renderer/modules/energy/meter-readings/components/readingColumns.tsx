import { Group, Stack, Text, Tooltip } from '@mantine/core';
import { SKIP_CODES, type Reading } from '../../../../../src-shared/contracts/energy/meter-readings';
import { DateText, StatusBadge, type DataColumn } from '../../../../components';
import { READ_TYPE_LABELS, STATUS_LABELS, formatRegister, formatUnits } from '../labels';
import { ExceptionBadges } from './ExceptionBadges';

const numeric = { fontVariantNumeric: 'tabular-nums' } as const;

/** The columns of every readings table (list, review queue, a meter's history). */
export const readingColumns = {
  readDate: { key: 'readDate', header: 'Read date', width: 115, render: (r) => <DateText value={r.readDate} /> },
  meter: {
    key: 'meter',
    header: 'Meter · account',
    render: (r) => (
      <Stack gap={0} miw={0} maw={260}>
        <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
          {r.meterSerial}
        </Text>
        <Text size="xs" c="dimmed" truncate>
          {r.accountNo} · {r.accountName}
        </Text>
      </Stack>
    ),
  },
  route: { key: 'route', header: 'Route', width: 80, render: (r) => r.routeCode ?? '—' },
  value: {
    key: 'value',
    header: 'Reading',
    align: 'right',
    width: 110,
    render: (r) =>
      r.originalValue !== null && r.originalValue !== r.value ? (
        <Tooltip label={`Corrected from ${formatRegister(r.originalValue)}`}>
          <Text size="sm" style={numeric} td="underline dotted">
            {formatRegister(r.value)}
          </Text>
        </Tooltip>
      ) : (
        <Text size="sm" style={numeric}>
          {formatRegister(r.value)}
        </Text>
      ),
  },
  consumption: {
    key: 'consumption',
    header: 'Consumption',
    align: 'right',
    width: 120,
    render: (r) => (
      <Text size="sm" style={numeric} c={r.consumption < 0 ? 'red' : undefined}>
        {formatUnits(r.consumption)}
      </Text>
    ),
  },
  readType: {
    key: 'readType',
    header: 'Type',
    width: 130,
    render: (r) => (
      <Stack gap={0}>
        <Text size="sm">{READ_TYPE_LABELS[r.readType]}</Text>
        {r.skipCode ? (
          <Text size="xs" c="dimmed">
            {SKIP_CODES[r.skipCode]}
          </Text>
        ) : null}
      </Stack>
    ),
  },
  /** The state, how a review settled it, and any exceptions, in one cell: they are read together. */
  status: {
    key: 'status',
    header: 'Status',
    render: (r) => (
      <Group gap={4} wrap="wrap" miw={100}>
        <StatusBadge status={r.status} label={STATUS_LABELS[r.status]} />
        {r.status === 'posted' && r.resolution ? (
          <Text size="xs" c="dimmed">
            {r.resolution}
          </Text>
        ) : null}
        <ExceptionBadges exceptions={r.exceptions} />
      </Group>
    ),
  },
  exceptions: { key: 'exceptions', header: 'Exceptions', render: (r) => <ExceptionBadges exceptions={r.exceptions} /> },
  reader: {
    key: 'reader',
    header: 'Reader',
    render: (r) => (
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {r.readerName}
      </Text>
    ),
  },
} satisfies Record<string, DataColumn<Reading>>;
