import { ActionIcon, Badge, Box, Button, Group, Paper, SegmentedControl, Select, Skeleton, Stack, Table, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { calendar, STATUS_LABELS, type Appointment } from '../../../../../src-shared/contracts/home-services/scheduling';
import { useRpcQuery } from '../../../../api/hooks';
import { EmptyState, ErrorAlert, KeyboardHint, PageHeader } from '../../../../components';
import { DayTimeline, blockStyle } from '../../field/DayTimeline';
import { appointmentPath } from '../../field/labels';
import { useTechnicians } from '../../field/options';
import { addDays, clock, dayLabel, hours, instantAt, useBranchZone, useToday, weekStart } from '../../field/time';
import { SchedulingTabs } from '../components/SchedulingTabs';

const STATUS_COLOR: Record<string, string> = {
  requested: 'yellow',
  confirmed: 'blue',
  rescheduled: 'indigo',
  completed: 'green',
  no_show: 'red',
  cancelled: 'gray',
};

function Block({ appointment: a, timeZone, style }: { appointment: Appointment; timeZone: string; style: ReturnType<typeof blockStyle> }) {
  const color = STATUS_COLOR[a.status] ?? 'blue';
  return (
    <Tooltip label={`${a.number} · ${a.customerName} · ${a.serviceName} · ${clock(a.startsAt, timeZone)}–${clock(a.endsAt, timeZone)} · ${STATUS_LABELS[a.status]}`} withArrow>
      <UnstyledButton
        component={Link}
        to={appointmentPath(a.id)}
        aria-label={`${a.number} ${a.customerName} at ${clock(a.startsAt, timeZone)}`}
        style={{
          ...style,
          background: `var(--mantine-color-${color}-filled)`,
          color: 'white',
          borderRadius: 4,
          padding: '0 6px',
          overflow: 'hidden',
          display: 'flex',
          alignItems: 'center',
        }}
      >
        <Text size="xs" c="white" lineClamp={1}>
          {clock(a.startsAt, timeZone)} {a.customerName}
        </Text>
      </UnstyledButton>
    </Tooltip>
  );
}

/**
 * Technicians' days: one day as a timeline per technician (working time, lunch, time off and every
 * booking at its time), or a week as a grid of booked against available hours. ← / → move by a
 * day or a week, T goes to today.
 */
export function CalendarPage() {
  const timeZone = useBranchZone();
  const today = useToday();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'week' ? 'week' : 'day';
  const date = params.get('date') ?? today;
  const technicianId = params.get('technician');
  const from = view === 'week' ? weekStart(date) : date;
  const { options: technicians } = useTechnicians();
  const data = useRpcQuery(calendar, { from, days: view === 'week' ? 7 : 1, ...(technicianId ? { technicianId } : {}) }, { keepPrevious: true });
  const set = (patch: Record<string, string | null>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [k, v] of Object.entries(patch)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      return next;
    });
  const step = view === 'week' ? 7 : 1;
  useHotkeys([
    ['ArrowLeft', () => set({ date: addDays(date, -step) })],
    ['ArrowRight', () => set({ date: addDays(date, step) })],
    ['t', () => set({ date: today })],
  ]);

  const dayStart = Date.parse(instantAt(from, '00:00', timeZone));
  const dayEnd = Date.parse(instantAt(addDays(from, 1), '00:00', timeZone));
  const techs = data.data?.technicians ?? [];

  return (
    <Stack gap={0}>
      <PageHeader title="Calendar" subtitle="Each technician’s working time, breaks, time off and bookings. Click a booking to open it." />
      <SchedulingTabs />
      <Paper withBorder p="sm" mb="md">
        <Group justify="space-between" align="flex-end">
          <Group gap="sm" align="flex-end">
            <Group gap={4}>
              <ActionIcon variant="default" size="lg" aria-label="Previous" onClick={() => set({ date: addDays(date, -step) })}>
                <IconChevronLeft size={16} />
              </ActionIcon>
              <Button variant="default" onClick={() => set({ date: today })}>
                Today
              </Button>
              <ActionIcon variant="default" size="lg" aria-label="Next" onClick={() => set({ date: addDays(date, step) })}>
                <IconChevronRight size={16} />
              </ActionIcon>
            </Group>
            <TextInput type="date" label="Date" value={date} onChange={(e) => set({ date: e.currentTarget.value || today })} w={160} />
            <SegmentedControl
              aria-label="View"
              value={view}
              onChange={(v) => set({ view: v === 'week' ? 'week' : null })}
              data={[
                { value: 'day', label: 'Day' },
                { value: 'week', label: 'Week' },
              ]}
            />
            <Select label="Technician" placeholder="All technicians" data={technicians} value={technicianId} onChange={(v) => set({ technician: v })} clearable searchable w={220} />
          </Group>
          <Group gap="md">
            <KeyboardHint keys="←" label="earlier" />
            <KeyboardHint keys="→" label="later" />
            <KeyboardHint keys="T" label="today" />
          </Group>
        </Group>
      </Paper>
      {data.isError ? <ErrorAlert error={data.error} onRetry={() => void data.refetch()} /> : null}
      {data.isPending ? (
        <Skeleton h={300} />
      ) : techs.length === 0 ? (
        <Paper withBorder>
          <EmptyState title="No technicians yet" description="Add technicians with their skills and working hours under Technicians & catalogue." />
        </Paper>
      ) : view === 'day' ? (
        <DayTimeline
          timeZone={timeZone}
          dayStart={dayStart}
          dayEnd={dayEnd}
          rows={techs.map((t) => {
            const day = t.days[0]!;
            return {
              id: t.id,
              label: t.name,
              sublabel: `${hours(day.bookedMinutes)} booked of ${hours(day.availableMinutes)}`,
              ariaLabel: `${t.name}'s day`,
              working: day.working,
              breaks: day.breaks,
              timeOff: day.timeOff,
              items: day.appointments.map((a) => (
                <Block key={a.id} appointment={a} timeZone={timeZone} style={blockStyle(a.startsAt, a.endsAt, techs.map((x) => x.days[0]!), dayStart, dayEnd)} />
              )),
            };
          })}
        />
      ) : (
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table withColumnBorders aria-label="Week per technician">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Technician</Table.Th>
                {techs[0]!.days.map((d) => (
                  <Table.Th key={d.date} ta="center">
                    <UnstyledButton onClick={() => set({ view: null, date: d.date })}>
                      <Text size="sm" fw={d.date === today ? 700 : 500}>
                        {dayLabel(d.date)}
                      </Text>
                    </UnstyledButton>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {techs.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {t.name}
                    </Text>
                  </Table.Td>
                  {t.days.map((d) => {
                    const load = d.availableMinutes ? d.bookedMinutes / d.availableMinutes : 0;
                    return (
                      <Table.Td key={d.date} valign="top" style={{ minWidth: 130 }}>
                        {d.availableMinutes === 0 && d.timeOff.length === 0 ? (
                          <Text size="xs" c="dimmed">
                            Off
                          </Text>
                        ) : (
                          <Stack gap={2}>
                            <Badge size="sm" variant="light" color={load > 0.9 ? 'red' : load > 0.6 ? 'orange' : 'green'}>
                              {hours(d.bookedMinutes)} / {hours(d.availableMinutes)}
                            </Badge>
                            {d.timeOff.map((o) => (
                              <Text key={o.startsAt} size="xs" c="dimmed">
                                Off: {o.reason}
                              </Text>
                            ))}
                            {d.appointments.map((a) => (
                              <Box key={a.id}>
                                <Text size="xs" component={Link} to={appointmentPath(a.id)} td={a.status === 'cancelled' ? 'line-through' : undefined}>
                                  {clock(a.startsAt, timeZone)} {a.customerName}
                                </Text>
                              </Box>
                            ))}
                          </Stack>
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {(data.data?.unassigned.length ?? 0) > 0 ? (
        <Paper withBorder p="sm" mt="md">
          <Text fw={600} size="sm" mb="xs">
            Booked but not yet assigned ({data.data!.unassigned.length})
          </Text>
          <Group gap="xs">
            {data.data!.unassigned.map((a) => (
              <Button key={a.id} size="xs" variant="default" onClick={() => navigate(appointmentPath(a.id))}>
                {dayLabel(a.localDate)} {clock(a.startsAt, timeZone)} · {a.customerName}
              </Button>
            ))}
          </Group>
        </Paper>
      ) : null}
    </Stack>
  );
}
