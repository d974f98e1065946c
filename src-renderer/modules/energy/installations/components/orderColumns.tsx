import { Group, Stack, Text } from '@mantine/core';
import { IconClockPause } from '@tabler/icons-react';
import { ORDER_TYPES, type ServiceOrder } from '../../../../../src-shared/contracts/energy/installations';
import { DateText, type DataColumn } from '../../../../components';
import { PriorityBadge, SlaBadge, StageBadge } from './Badges';

/** The columns order lists pick from, so the queue board, the list and the dashboard agree. */
export const orderColumns = (timeZone?: string): Record<string, DataColumn<ServiceOrder>> => ({
  orderNo: {
    key: 'orderNo',
    header: 'Order',
    render: (o) => (
      <Text size="sm" ff="monospace">
        {o.orderNo}
      </Text>
    ),
  },
  customer: {
    key: 'customer',
    header: 'Customer',
    render: (o) => (
      <Stack gap={0}>
        <Text size="sm" fw={500}>
          {o.customerName}
        </Text>
        <Text size="xs" c="dimmed">
          {o.address}
        </Text>
      </Stack>
    ),
  },
  type: { key: 'type', header: 'Type', render: (o) => ORDER_TYPES[o.type] },
  priority: { key: 'priority', header: 'Priority', render: (o) => <PriorityBadge priority={o.priority} /> },
  stage: {
    key: 'stage',
    header: 'Stage',
    render: (o) => (
      <Group gap={4} wrap="nowrap">
        <StageBadge stage={o.stage} />
        {o.onHold ? <IconClockPause size={16} color="var(--mantine-color-yellow-7)" aria-label="On hold" /> : null}
      </Group>
    ),
  },
  sla: { key: 'sla', header: 'Deadline', render: (o) => <SlaBadge sla={o.sla} timeZone={timeZone} /> },
  received: { key: 'received', header: 'Received', render: (o) => <DateText value={o.receivedAt} size="sm" /> },
  account: { key: 'account', header: 'Account', render: (o) => o.accountNo ?? '—' },
});
