import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Grid,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCalendarPlus, IconUserPlus } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { Priority } from '../../../../../src-shared/contracts/home-services/common';
import type { Customer } from '../../../../../src-shared/contracts/home-services/master-data';
import { availability, book, seriesPreview, type Channel, type Slot } from '../../../../../src-shared/contracts/home-services/scheduling';
import { RpcError } from '../../../../api/client';
import { useRpcMutation, useRpcQuery } from '../../../../api/hooks';
import { ErrorAlert, KeyboardHint, PageHeader } from '../../../../components';
import { CustomerPicker } from '../../field/CustomerPicker';
import { appointmentPath, channelOptions, priorityOptions } from '../../field/labels';
import { useServices, useTechnicians } from '../../field/options';
import { clock, dayAndTime, dayLabel, instantAt, localDate, useBranchZone, useToday } from '../../field/time';
import { SchedulingTabs } from '../components/SchedulingTabs';
import { NewCustomerDialog } from '../components/NewCustomerDialog';

const SLOTS_SHOWN = 24;
const newKey = () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

/**
 * The booking form, built to find the first free slot fast: pick the customer and the service and
 * the earliest free starts appear at once (the first one chosen), Enter books it. A slot someone
 * else took meanwhile is answered with the next free ones, already on screen.
 */
export function BookingPage() {
  const navigate = useNavigate();
  const timeZone = useBranchZone();
  const today = useToday();
  const [params] = useSearchParams();
  const { options: serviceOptions, byId: services } = useServices();
  const { options: technicianOptions, byId: technicians } = useTechnicians();

  const [customer, setCustomer] = useState<Customer | null>(null);
  const [customerId, setCustomerId] = useState<string | null>(params.get('customer'));
  const [serviceId, setServiceId] = useState<string | null>(params.get('service'));
  const [technicianId, setTechnicianId] = useState<string | null>(null);
  const [fromDate, setFromDate] = useState(params.get('from') ?? today);
  const [channel, setChannel] = useState<Channel>('phone');
  const [priority, setPriority] = useState<Priority>('normal');
  const [notes, setNotes] = useState('');
  const [confirmed, setConfirmed] = useState(true);
  const [repeat, setRepeat] = useState<'none' | 'weekly' | 'monthly'>('none');
  const [interval, setInterval] = useState<number | string>(1);
  const [count, setCount] = useState<number | string>(4);
  const [picked, setPicked] = useState<string | null>(null);
  const [newCustomer, setNewCustomer] = useState(false);
  const [takenMessage, setTakenMessage] = useState<string | null>(null);
  const idempotencyKey = useRef(newKey());

  const ready = customerId !== null && serviceId !== null;
  const searchInput = useMemo(
    () => ({
      customerId: customerId ?? '',
      serviceId: serviceId ?? '',
      ...(technicianId ? { technicianId } : {}),
      from: instantAt(fromDate || today, '00:00', timeZone),
      days: 14,
      limit: SLOTS_SHOWN,
    }),
    [customerId, serviceId, technicianId, fromDate, today, timeZone],
  );
  const [debouncedSearch] = useDebouncedValue(searchInput, 150);
  const slots = useRpcQuery(availability, debouncedSearch, { enabled: ready && debouncedSearch.customerId !== '' && debouncedSearch.serviceId !== '' });
  const found = useMemo(() => slots.data?.slots ?? [], [slots.data]);
  // The first free slot is chosen as soon as it is known; a pick that is no longer offered falls back to it.
  const chosen = picked && found.some((s) => s.startsAt === picked) ? picked : (found[0]?.startsAt ?? null);

  // Anything that changes the booking is a new attempt: a retried click of the same one keeps its key.
  useEffect(() => {
    idempotencyKey.current = newKey();
  }, [customerId, serviceId, technicianId, chosen, repeat, interval, count, priority, channel, confirmed, notes]);

  const recurrence = repeat === 'none' ? undefined : { frequency: repeat, interval: Number(interval) || 1, count: Number(count) || 2 };
  const preview = useRpcQuery(
    seriesPreview,
    { customerId: customerId ?? '', serviceId: serviceId ?? '', startsAt: chosen ?? '', ...(technicianId ? { technicianId } : {}), recurrence: recurrence ?? { frequency: 'weekly', interval: 1, count: 2 } },
    { enabled: ready && chosen !== null && recurrence !== undefined },
  );

  const booking = useRpcMutation(book, { invalidate: ['homeServices.'], notifyErrors: false });
  const submit = () => {
    if (!customerId || !serviceId || !chosen) return;
    setTakenMessage(null);
    booking.mutate(
      {
        input: {
          customerId,
          serviceId,
          startsAt: chosen,
          channel,
          priority,
          confirmed,
          ...(technicianId ? { technicianId } : {}),
          ...(notes.trim() ? { notes: notes.trim() } : {}),
          ...(recurrence ? { recurrence } : {}),
        },
        meta: { idempotencyKey: idempotencyKey.current },
      },
      {
        onSuccess: ({ appointment, series }) => {
          notifications.show({
            color: 'green',
            title: `Booked ${appointment.number}`,
            message: `${appointment.customerName}: ${appointment.serviceName} on ${dayAndTime(appointment.startsAt, timeZone)}${series.length > 1 ? ` and ${series.length - 1} more` : ''}`,
          });
          navigate(appointmentPath(appointment.id));
        },
        onError: (error) => {
          if (error instanceof RpcError && error.code === 'CONFLICT') {
            // Someone took it first: show what is free now and offer the next slot.
            const next = (error.details?.nextSlots as Slot[] | undefined) ?? [];
            setTakenMessage(error.message);
            void slots.refetch();
            if (next[0]) setPicked(next[0].startsAt);
          }
        },
      },
    );
  };

  const service = serviceId ? services.get(serviceId) : undefined;
  const byDay = useMemo(() => {
    const groups = new Map<string, Slot[]>();
    for (const slot of found) {
      const day = localDate(slot.startsAt, timeZone);
      groups.set(day, [...(groups.get(day) ?? []), slot]);
    }
    return [...groups];
  }, [found, timeZone]);
  const first = found[0];

  return (
    <Stack gap={0}>
      <PageHeader
        title="Book an appointment"
        subtitle="Pick the customer and the service: the first free slots appear at once and the earliest is chosen. Enter books it."
      />
      <SchedulingTabs />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Paper withBorder p="md">
              <Stack gap="sm">
                <Group align="flex-end" gap="xs" wrap="nowrap">
                  <CustomerPicker
                    label="Customer"
                    placeholder="Name, number or phone"
                    value={customerId}
                    onChange={(c) => {
                      setCustomer(c);
                      setCustomerId(c?.id ?? null);
                    }}
                    style={{ flex: 1 }}
                    data-autofocus
                    required
                  />
                  <Button variant="default" leftSection={<IconUserPlus size={16} />} onClick={() => setNewCustomer(true)}>
                    New customer
                  </Button>
                </Group>
                {customer ? (
                  <Text size="xs" c="dimmed">
                    {customer.address}
                    {customer.zoneCode ? ` · zone ${customer.zoneCode}` : ' · no zone'}
                    {customer.lat === null ? ' · no map pin (visits cannot be geofenced)' : ''}
                  </Text>
                ) : null}
                <Select label="Service" placeholder="What needs doing" searchable data={serviceOptions} value={serviceId} onChange={setServiceId} required />
                {service ? (
                  <Text size="xs" c="dimmed">
                    {service.durationMinutes} min{service.bufferMinutes ? ` + ${service.bufferMinutes} min clean-up` : ''} ·{' '}
                    {service.requiredSkills.map((s) => `${s.skill} ≥ ${s.minLevel}`).join(', ') || 'no special skill'}
                  </Text>
                ) : null}
                <Select
                  label="Technician"
                  placeholder="Any technician (the dispatcher assigns)"
                  data={technicianOptions}
                  value={technicianId}
                  onChange={setTechnicianId}
                  clearable
                  searchable
                />
                <Group grow>
                  <TextInput type="date" label="Earliest date" value={fromDate} min={today} onChange={(e) => setFromDate(e.currentTarget.value)} />
                  <Select label="Channel" data={channelOptions} value={channel} onChange={(v) => v && setChannel(v as Channel)} allowDeselect={false} />
                  <Select label="Priority" data={priorityOptions} value={priority} onChange={(v) => v && setPriority(v as Priority)} allowDeselect={false} />
                </Group>
                <Textarea label="Notes for the technician" autosize minRows={2} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} maxLength={500} />
                <Checkbox label="The customer confirmed this time" checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} />
                <div>
                  <Text size="sm" fw={500} mb={4} id="repeat-label">
                    Repeat
                  </Text>
                  <SegmentedControl
                    aria-labelledby="repeat-label"
                    value={repeat}
                    onChange={(v) => setRepeat(v as typeof repeat)}
                    data={[
                      { value: 'none', label: 'Once' },
                      { value: 'weekly', label: 'Weekly' },
                      { value: 'monthly', label: 'Monthly' },
                    ]}
                  />
                </div>
                {repeat !== 'none' ? (
                  <Group grow>
                    <NumberInput label={`Every … ${repeat === 'weekly' ? 'weeks' : 'months'}`} min={1} max={12} value={interval} onChange={setInterval} />
                    <NumberInput label="Occurrences" min={2} max={52} value={count} onChange={setCount} />
                  </Group>
                ) : null}
              </Stack>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Paper withBorder p="md">
              <Group justify="space-between" mb="sm">
                <Title order={3} fz="md">
                  Free slots
                </Title>
                {first ? (
                  <Badge variant="light" color="green" size="lg" aria-label="First free slot">
                    First free: {dayAndTime(first.startsAt, timeZone)}
                  </Badge>
                ) : null}
              </Group>
              {!ready ? (
                <Text size="sm" c="dimmed">
                  Choose a customer and a service; the free slots of the next two weeks appear here.
                </Text>
              ) : slots.isPending || (slots.isFetching && found.length === 0) ? (
                <Skeleton h={160} />
              ) : slots.isError ? (
                <ErrorAlert error={slots.error} onRetry={() => void slots.refetch()} />
              ) : found.length === 0 ? (
                <Alert color="yellow" title="No free slot">
                  {slots.data?.explanation ?? 'Nothing free in the next two weeks.'} Try a later date, another technician or the dispatcher.
                </Alert>
              ) : (
                <Stack gap="sm" role="radiogroup" aria-label="Free slots">
                  {byDay.map(([day, daySlots]) => (
                    <div key={day}>
                      <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={4}>
                        {dayLabel(day)}
                      </Text>
                      <Group gap={6}>
                        {daySlots.map((slot) => {
                          const selected = slot.startsAt === chosen;
                          const names = slot.technicianIds.slice(0, 3).map((id) => technicians.get(id)?.name ?? '?');
                          return (
                            <Button
                              key={slot.startsAt}
                              size="xs"
                              role="radio"
                              aria-checked={selected}
                              aria-label={`${dayLabel(day)} ${clock(slot.startsAt, timeZone)}`}
                              variant={selected ? 'filled' : 'default'}
                              onClick={() => setPicked(slot.startsAt)}
                              title={`${slot.capacityLeft} more booking${slot.capacityLeft === 1 ? '' : 's'} possible · free: ${names.join(', ')}${slot.technicianIds.length > 3 ? '…' : ''}`}
                            >
                              {clock(slot.startsAt, timeZone)}
                            </Button>
                          );
                        })}
                      </Group>
                    </div>
                  ))}
                </Stack>
              )}
              {recurrence && preview.data ? (
                <Stack gap={4} mt="md">
                  <Text size="sm" fw={600}>
                    The series
                  </Text>
                  {preview.data.map((o, i) => (
                    <Text key={o.startsAt} size="sm" c={o.free ? undefined : 'red'}>
                      {i + 1}. {dayAndTime(o.startsAt, timeZone)} {o.free ? '— free' : `— ${o.problem ?? 'not free'}`}
                    </Text>
                  ))}
                </Stack>
              ) : null}
              {takenMessage ? (
                <Alert color="orange" mt="md" title="Someone else took that slot">
                  {takenMessage}. The next free slot is selected; press Enter to book it.
                </Alert>
              ) : null}
              {booking.error && !(booking.error instanceof RpcError && booking.error.code === 'CONFLICT') ? <ErrorAlert error={booking.error} /> : null}
              <Group justify="space-between" mt="md">
                <KeyboardHint keys="Enter" label="books the chosen slot" />
                <Button type="submit" leftSection={<IconCalendarPlus size={16} />} loading={booking.isPending} disabled={!ready || !chosen}>
                  Book appointment
                </Button>
              </Group>
            </Paper>
          </Grid.Col>
        </Grid>
      </form>
      <NewCustomerDialog
        opened={newCustomer}
        onClose={() => setNewCustomer(false)}
        onCreated={(c) => {
          setCustomer(c);
          setCustomerId(c.id);
        }}
      />
    </Stack>
  );
}
