import { Anchor, Badge, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { reminders, type Reminder } from '../../../../../src-shared/contracts/home-services/scheduling';
import { useRpcQuery } from '../../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, PageHeader, pluralize } from '../../../../components';
import { appointmentPath } from '../../field/labels';
import { dayAndTime, useBranchZone } from '../../field/time';
import { SchedulingTabs } from '../components/SchedulingTabs';
import { useState } from 'react';

/**
 * The reminder queue: what would be sent to whom and when for the coming appointments. No
 * messaging service is connected yet, so this is the list a clerk works through by phone, and
 * the list a service would send from once connected.
 */
export function RemindersPage() {
  const timeZone = useBranchZone();
  const [hours, setHours] = useState('48');
  const queue = useRpcQuery(reminders, { hours: Number(hours) }, { refetchInterval: 60_000 });
  const rows = queue.data?.reminders ?? [];
  const due = rows.filter((r) => r.state === 'due').length;
  return (
    <Stack gap={0}>
      <PageHeader title="Reminders" subtitle="What would go to whom, and when, for the appointments ahead. Due ones would be sent now." badge={due > 0 ? <Badge color="orange">{due} due</Badge> : null} />
      <SchedulingTabs />
      <Group mb="md">
        <SegmentedControl
          aria-label="Look ahead"
          value={hours}
          onChange={setHours}
          data={[
            { value: '24', label: 'Next 24 h' },
            { value: '48', label: 'Next 2 days' },
            { value: '168', label: 'Next week' },
          ]}
        />
      </Group>
      {queue.isError ? <ErrorAlert error={queue.error} onRetry={() => void queue.refetch()} /> : null}
      <DataTable<Reminder>
        label="Reminder queue"
        rows={rows}
        rowKey={(r) => `${r.appointmentId}:${r.kind}`}
        loading={queue.isPending}
        columns={[
          { key: 'sendAt', header: 'Send at', render: (r) => dayAndTime(r.sendAt, timeZone) },
          { key: 'state', header: 'State', render: (r) => <Badge size="sm" variant="light" color={r.state === 'due' ? 'orange' : 'gray'}>{r.state === 'due' ? 'Due' : 'Scheduled'}</Badge> },
          { key: 'to', header: 'To', render: (r) => `${r.customerName} · ${r.channel === 'sms' ? 'SMS' : 'E-mail'} ${r.to}` },
          { key: 'kind', header: 'Reminder', render: (r) => r.kind },
          { key: 'appointment', header: 'Appointment', render: (r) => <Anchor component={Link} to={appointmentPath(r.appointmentId)} size="sm">{r.appointmentNumber} · {dayAndTime(r.startsAt, timeZone)}</Anchor> },
          { key: 'message', header: 'Message', render: (r) => <Text size="xs" lineClamp={2}>{r.message}</Text> },
        ]}
        empty={<EmptyState title="Nothing to remind" description="No confirmed appointment starts in this window. Reminders appear here as bookings come in." />}
        totalLabel={rows.length ? pluralize(rows.length, 'reminder') : null}
      />
      {(queue.data?.unreachable.length ?? 0) > 0 ? (
        <Paper withBorder p="sm" mt="md">
          <Text fw={600} size="sm" mb={4}>
            No phone or e-mail: call or visit ({queue.data!.unreachable.length})
          </Text>
          {queue.data!.unreachable.map((a) => (
            <Anchor key={a.id} component={Link} to={appointmentPath(a.id)} size="sm" display="block">
              {a.number} · {a.customerName} · {dayAndTime(a.startsAt, timeZone)}
            </Anchor>
          ))}
        </Paper>
      ) : null}
    </Stack>
  );
}
