import { Anchor, Badge, Button, Group, Paper, Select, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { IconCar, IconLogin2, IconLogout2, IconMapPin } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { startTravel, type Job } from '../../../../../src-shared/contracts/home-services/dispatch';
import { myDay, type Visit } from '../../../../../src-shared/contracts/home-services/visits';
import { useRpcMutation, useRpcQuery, useSession } from '../../../../api/hooks';
import { EmptyState, ErrorAlert, PageHeader } from '../../../../components';
import { appointmentPath, visitPath } from '../../field/labels';
import { useTechnicians } from '../../field/options';
import { clock, dayLabel, useBranchZone, useToday } from '../../field/time';
import { GeofenceBadge, JobStateBadge, PriorityBadge } from '../../field/ui';
import { CheckInDialog, CheckOutDialog } from '../components/VisitDialogs';
import { VisitTabs } from '../components/VisitTabs';

/**
 * A technician's day, stop by stop: set off, check in at the door (GPS and accuracy), check out
 * with the outcome and the customer's signature. A technician sees their own day; a supervisor
 * picks whose day to work on (recording for a technician without a phone).
 */
export function MyDayPage() {
  const { can } = useSession();
  const timeZone = useBranchZone();
  const today = useToday();
  const [params, setParams] = useSearchParams();
  const date = params.get('date') ?? today;
  const technicianId = params.get('technician') ?? undefined;
  const day = useRpcQuery(myDay, { date, ...(technicianId ? { technicianId } : {}) }, { refetchInterval: 60_000 });
  const { options: technicians } = useTechnicians();
  const [checkingIn, setCheckingIn] = useState<Job | null>(null);
  const [checkingOut, setCheckingOut] = useState<Visit | null>(null);
  const travel = useRpcMutation(startTravel, { invalidate: ['homeServices.'] });
  const mayAct = can('homeServices.visits', 'submit');
  const set = (patch: Record<string, string | null>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [k, v] of Object.entries(patch)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      return next;
    });
  const stops = day.data?.stops ?? [];
  const linked = day.data?.technician && !technicianId;

  return (
    <Stack gap={0}>
      <PageHeader
        title={day.data?.technician ? `${day.data.technician.name} · ${dayLabel(date)}` : 'A technician’s day'}
        subtitle="Set off, check in at the door, check out with the customer’s signature. Locations are checked against the customer’s map pin."
      />
      <VisitTabs />
      <Group mb="md" align="flex-end">
        <TextInput type="date" label="Day" value={date} onChange={(e) => set({ date: e.currentTarget.value || null })} w={160} />
        {!linked ? (
          <Select label="Technician" placeholder="Whose day" data={technicians} value={technicianId ?? day.data?.technician?.id ?? null} onChange={(v) => set({ technician: v })} searchable w={240} />
        ) : null}
      </Group>
      {day.isError ? <ErrorAlert error={day.error} onRetry={() => void day.refetch()} /> : null}
      {day.isPending ? (
        <Skeleton h={240} />
      ) : !day.data?.technician ? (
        <Paper withBorder>
          <EmptyState title="Pick a technician" description="Your user is not a technician; choose whose day to record visits for." />
        </Paper>
      ) : stops.length === 0 ? (
        <Paper withBorder>
          <EmptyState title="No jobs this day" description="Nothing is assigned to this technician for the day. The dispatcher assigns work on the board." />
        </Paper>
      ) : (
        <Stack gap="sm">
          {stops.map(({ job, visit }, i) => (
            <Paper key={job.id} withBorder p="md" aria-label={`Stop ${i + 1}: ${job.customerName}`}>
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <Stack gap={2}>
                  <Group gap="xs">
                    <Text fw={700}>
                      {clock(job.startsAt, timeZone)}–{clock(job.endsAt, timeZone)}
                    </Text>
                    <JobStateBadge state={job.state} />
                    <PriorityBadge priority={job.priority} />
                    {visit ? <GeofenceBadge level={visit.verification} /> : null}
                    {visit?.status === 'missed' ? <Badge color="red">Missed</Badge> : null}
                  </Group>
                  <Text size="sm">
                    {job.customerName} · {job.serviceName}
                  </Text>
                  <Group gap={4}>
                    <IconMapPin size={14} />
                    <Text size="xs" c="dimmed">
                      {job.customerAddress}
                      {job.lat === null ? ' (no map pin)' : ''}
                    </Text>
                  </Group>
                  <Group gap="sm">
                    <Anchor component={Link} to={appointmentPath(job.appointmentId)} size="xs">
                      {job.appointmentNumber}
                    </Anchor>
                    {visit ? (
                      <Anchor component={Link} to={visitPath(visit.id)} size="xs">
                        Visit record
                      </Anchor>
                    ) : null}
                  </Group>
                </Stack>
                {mayAct ? (
                  <Group gap="xs" wrap="nowrap">
                    {job.state === 'assigned' ? (
                      <Button variant="light" color="cyan" leftSection={<IconCar size={16} />} loading={travel.isPending} onClick={() => travel.mutate({ input: { jobId: job.id, version: job.version } })}>
                        Set off
                      </Button>
                    ) : null}
                    {job.state === 'assigned' || job.state === 'en_route' ? (
                      <Button leftSection={<IconLogin2 size={16} />} onClick={() => setCheckingIn(job)}>
                        Check in
                      </Button>
                    ) : null}
                    {job.state === 'on_site' && visit ? (
                      <Button color="green" leftSection={<IconLogout2 size={16} />} onClick={() => setCheckingOut(visit)}>
                        Check out
                      </Button>
                    ) : null}
                  </Group>
                ) : null}
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      {checkingIn ? <CheckInDialog job={checkingIn} opened onClose={() => setCheckingIn(null)} /> : null}
      {checkingOut ? <CheckOutDialog visit={checkingOut} opened onClose={() => setCheckingOut(null)} /> : null}
    </Stack>
  );
}
