import { Badge, Group, Text } from '@mantine/core';
import type { Appointment } from '../../../../../src-shared/contracts/home-services/scheduling';
import { MoneyText, StatusBadge, type DataColumn } from '../../../../components';
import { CHANNEL_LABELS, STATUS_LABELS } from '../../field/labels';
import { clock, dayLabel } from '../../field/time';
import { JobStateBadge, PriorityBadge } from '../../field/ui';
import type { JobState } from '../../../../../src-shared/contracts/home-services/dispatch';

/** The appointment columns every scheduling list picks from. */
export function appointmentColumns(timeZone: string): Record<string, DataColumn<Appointment>> {
  return {
    number: { key: 'number', header: 'Booking', render: (a) => <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>{a.number}</Text> },
    when: {
      key: 'when',
      header: 'When',
      render: (a) => (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {dayLabel(a.localDate)} · {clock(a.startsAt, timeZone)}–{clock(a.endsAt, timeZone)}
        </Text>
      ),
    },
    customer: {
      key: 'customer',
      header: 'Customer',
      render: (a) => (
        <div>
          <Text size="sm">{a.customerName}</Text>
          <Text size="xs" c="dimmed" lineClamp={1}>
            {a.customerAddress}
          </Text>
        </div>
      ),
    },
    service: {
      key: 'service',
      header: 'Service',
      render: (a) => (
        <div>
          <Text size="sm">{a.serviceName}</Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {a.serviceSku}
          </Text>
        </div>
      ),
    },
    technician: { key: 'technician', header: 'Technician', render: (a) => a.technicianName ?? <Text size="sm" c="dimmed">Unassigned</Text> },
    status: {
      key: 'status',
      header: 'Status',
      render: (a) => (
        <Group gap={4} wrap="nowrap">
          <StatusBadge status={a.status === 'no_show' ? 'exception' : a.status === 'requested' ? 'pending' : a.status} label={STATUS_LABELS[a.status]} />
          {a.lateCancel ? (
            <Badge size="sm" color="red" variant="outline" radius="sm">
              Late
            </Badge>
          ) : null}
          {a.seriesIndex ? (
            <Badge size="sm" color="gray" variant="outline" radius="sm">
              #{a.seriesIndex}
            </Badge>
          ) : null}
        </Group>
      ),
    },
    job: { key: 'job', header: 'Job', render: (a) => <JobStateBadge state={a.jobState as JobState} /> },
    priority: { key: 'priority', header: 'Priority', render: (a) => <PriorityBadge priority={a.priority} /> },
    channel: { key: 'channel', header: 'Channel', render: (a) => CHANNEL_LABELS[a.channel] },
    price: { key: 'price', header: 'Price', align: 'right', render: (a) => <MoneyText value={a.priceMinor} /> },
  };
}
