import { ActionIcon, Alert, Badge, Button, Grid, Group, Paper, ScrollArea, Skeleton, Stack, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconChevronLeft, IconChevronRight, IconInbox } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type DragEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { assign, board, suggest, type Candidate, type Job } from '../../../../../src-shared/contracts/home-services/dispatch';
import { call } from '../../../../api/client';
import { useRpcMutation, useRpcQuery, useSession } from '../../../../api/hooks';
import { EmptyState, ErrorAlert, KeyboardHint, PageHeader, pluralize } from '../../../../components';
import { DayTimeline, blockStyle } from '../../field/DayTimeline';
import { JOB_STATE_COLORS, jobPath } from '../../field/labels';
import { addDays, clock, dayLabel, hours, useBranchZone, useToday } from '../../field/time';
import { JobStateBadge, PriorityBadge, SlaBadge } from '../../field/ui';
import { DispatchTabs } from '../components/DispatchTabs';
import { ReassignDialog } from '../components/DispatchDialogs';
import { SuggestionsPanel } from '../components/SuggestionsPanel';

const DRAG_TYPE = 'application/x-plug1-job';

/**
 * The dispatch board for a day: each technician's timeline (working time, breaks, time off, jobs)
 * with capacity in hours, the unassigned tray, and the selected job's suggestions. Drag a job onto
 * a technician, or from the keyboard: ↑/↓ pick a job in the tray, 1–9 assign the suggestion with
 * that number, R reassigns, O opens the job.
 */
export function BoardPage() {
  const { can } = useSession();
  const timeZone = useBranchZone();
  const today = useToday();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const date = params.get('date') ?? today;
  const data = useRpcQuery(board, { date }, { keepPrevious: true, refetchInterval: 30_000 });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [reassigning, setReassigning] = useState<{ job: Job; to: string | null } | null>(null);
  const mayAssign = can('homeServices.dispatch', 'edit');

  const tray = useMemo(() => data.data?.unassigned ?? [], [data.data]);
  const technicians = useMemo(() => data.data?.technicians ?? [], [data.data]);
  const allJobs = useMemo(() => [...tray, ...technicians.flatMap((t) => t.jobs)], [tray, technicians]);
  const selected = allJobs.find((j) => j.id === selectedId) ?? null;

  const assigning = useRpcMutation(assign, {
    invalidate: ['homeServices.'],
    onSuccess: (job) => notifications.show({ color: 'green', message: `${job.appointmentNumber} assigned to ${job.technicianName}` }),
  });
  const assignTo = (job: Job, technicianId: string) => {
    if (job.state === 'unassigned') assigning.mutate({ input: { jobId: job.id, version: job.version, technicianId } });
    else if (job.technicianId !== technicianId) setReassigning({ job, to: technicianId });
  };

  const setDate = (next: string) => {
    setSelectedId(null);
    setParams(next === today ? {} : { date: next });
  };
  const moveSelection = (delta: number) => {
    const list = tray.length > 0 ? tray : allJobs;
    if (list.length === 0) return;
    const at = list.findIndex((j) => j.id === selectedId);
    const next = at < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, at + delta));
    setSelectedId(list[next]!.id);
  };
  const assignRank = async (rank: number) => {
    if (!selected || !mayAssign) return;
    // The same query the panel shows, so a number picks exactly the line the dispatcher is reading.
    const answer = await queryClient.fetchQuery({ queryKey: [suggest.name, { jobId: selected.id }], queryFn: () => call(suggest, { jobId: selected.id }) });
    const candidate = answer.candidates.find((c) => c.rank === rank);
    if (candidate) assignTo(selected, candidate.technicianId);
  };
  useHotkeys([
    ['ArrowDown', () => moveSelection(1)],
    ['ArrowUp', () => moveSelection(-1)],
    ['ArrowLeft', () => setDate(addDays(date, -1))],
    ['ArrowRight', () => setDate(addDays(date, 1))],
    ['Escape', () => setSelectedId(null)],
    ['o', () => selected && navigate(jobPath(selected.id))],
    ['r', () => selected && selected.technicianId && mayAssign && setReassigning({ job: selected, to: null })],
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => [String(n), () => void assignRank(n)] as [string, () => void]),
  ]);

  const onDrop = (technicianId: string) => (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    const job = allJobs.find((j) => j.id === event.dataTransfer.getData(DRAG_TYPE));
    if (job && mayAssign) assignTo(job, technicianId);
  };
  const dragStart = (job: Job) => (event: DragEvent<HTMLElement>) => {
    event.dataTransfer.setData(DRAG_TYPE, job.id);
    event.dataTransfer.effectAllowed = 'move';
    setSelectedId(job.id);
  };

  const dayStart = data.data ? Date.parse(data.data.dayStartsAt) : 0;
  const dayEnd = data.data ? Date.parse(data.data.dayEndsAt) : 0;
  const exceptions = data.data?.exceptions ?? [];

  return (
    <Stack gap={0}>
      <PageHeader
        title="Dispatch board"
        subtitle="Drag a job onto a technician, or pick it with ↑/↓ and press the number of a suggestion. Capacity is counted in hours."
        badge={tray.length > 0 ? <Badge color="yellow">{pluralize(tray.length, 'job')} to assign</Badge> : null}
      />
      <DispatchTabs />
      <Paper withBorder p="sm" mb="md">
        <Group justify="space-between" align="flex-end">
          <Group gap="sm" align="flex-end">
            <Group gap={4}>
              <ActionIcon variant="default" size="lg" aria-label="Previous day" onClick={() => setDate(addDays(date, -1))}>
                <IconChevronLeft size={16} />
              </ActionIcon>
              <Button variant="default" onClick={() => setDate(today)}>
                Today
              </Button>
              <ActionIcon variant="default" size="lg" aria-label="Next day" onClick={() => setDate(addDays(date, 1))}>
                <IconChevronRight size={16} />
              </ActionIcon>
            </Group>
            <TextInput type="date" label="Day" value={date} onChange={(e) => setDate(e.currentTarget.value || today)} w={160} />
            <Text fw={600}>{dayLabel(date)}</Text>
          </Group>
          <Group gap="md">
            <KeyboardHint keys="↑/↓" label="pick a job" />
            <KeyboardHint keys="1" label="assign suggestion 1" />
            <KeyboardHint keys="R" label="reassign" />
            <KeyboardHint keys="O" label="open" />
          </Group>
        </Group>
      </Paper>
      {data.isError ? <ErrorAlert error={data.error} onRetry={() => void data.refetch()} /> : null}
      {exceptions.length > 0 ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={pluralize(exceptions.length, 'exception')} mb="md">
          <Stack gap={2}>
            {exceptions.slice(0, 6).map((e) => (
              <UnstyledButton key={`${e.jobId}${e.kind}`} onClick={() => setSelectedId(e.jobId)}>
                <Text size="sm">{e.message}</Text>
              </UnstyledButton>
            ))}
            {exceptions.length > 6 ? <Text size="xs">…and {exceptions.length - 6} more</Text> : null}
          </Stack>
        </Alert>
      ) : null}
      {data.isPending ? (
        <Skeleton h={400} />
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Stack gap="md">
              <Paper withBorder p="sm" aria-label="Unassigned tray">
                <Group gap="xs" mb="xs">
                  <IconInbox size={18} />
                  <Text fw={600} size="sm">
                    Unassigned ({tray.length})
                  </Text>
                </Group>
                {tray.length === 0 ? (
                  <EmptyState title="Nothing waiting" description="Every job of the day has a technician. New bookings without one land here." />
                ) : (
                  <ScrollArea.Autosize mah={360}>
                    <Stack gap={6} role="listbox" aria-label="Jobs to assign">
                      {tray.map((job) => (
                        <Paper
                          key={job.id}
                          withBorder
                          p="xs"
                          role="option"
                          aria-selected={job.id === selectedId}
                          aria-label={`${job.appointmentNumber} ${job.customerName}`}
                          draggable={mayAssign}
                          onDragStart={dragStart(job)}
                          onClick={() => setSelectedId(job.id)}
                          style={{
                            cursor: mayAssign ? 'grab' : 'pointer',
                            borderColor: job.id === selectedId ? 'var(--mantine-primary-color-filled)' : undefined,
                            background: job.id === selectedId ? 'var(--mantine-primary-color-light)' : undefined,
                          }}
                        >
                          <Group justify="space-between" wrap="nowrap">
                            <Text size="sm" fw={600}>
                              {job.localDate === date ? '' : `${dayLabel(job.localDate)} `}
                              {clock(job.startsAt, timeZone)} · {job.appointmentNumber}
                            </Text>
                            <Group gap={4}>
                              <PriorityBadge priority={job.priority} />
                              {job.slaStatus !== 'open' ? <SlaBadge status={job.slaStatus} /> : null}
                            </Group>
                          </Group>
                          <Text size="xs">
                            {job.customerName} · {job.serviceName} ({job.durationMinutes} min)
                          </Text>
                          <Text size="xs" c="dimmed" lineClamp={1}>
                            {job.customerAddress}
                            {job.zoneCode ? ` · ${job.zoneCode}` : ''}
                          </Text>
                        </Paper>
                      ))}
                    </Stack>
                  </ScrollArea.Autosize>
                )}
              </Paper>
              {selected ? (
                <SuggestionsPanel job={selected} busy={assigning.isPending} onAssign={(c: Candidate) => assignTo(selected, c.technicianId)} />
              ) : (
                <Text size="sm" c="dimmed">
                  Pick a job (click, or ↑/↓) to see who could take it and why.
                </Text>
              )}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 8 }}>
            {technicians.length === 0 ? (
              <Paper withBorder>
                <EmptyState title="Nobody is working this day" description="No active technician has working hours on this day. Pick another day, or set hours under Technicians & catalogue." />
              </Paper>
            ) : (
              <DayTimeline
                timeZone={timeZone}
                dayStart={dayStart}
                dayEnd={dayEnd}
                rows={technicians.map((t) => {
                  const load = t.capacityMinutes ? t.bookedMinutes / t.capacityMinutes : 0;
                  return {
                    id: t.id,
                    ariaLabel: `${t.name}'s timeline`,
                    highlighted: selected !== null && selected.technicianId === t.id,
                    label: t.name,
                    sublabel: (
                      <Tooltip label={`${t.zoneCodes.join(', ') || 'no zone'} · ${t.skills.map((s) => `${s.skill} ${s.level}`).join(', ')}`}>
                        <Text span size="xs" c={load > 1 ? 'red' : load > 0.85 ? 'orange' : 'dimmed'}>
                          {t.capacityMinutes === 0 ? (t.timeOff.length > 0 ? 'Time off' : 'Not working') : `${hours(t.bookedMinutes)} of ${hours(t.capacityMinutes)}`}
                        </Text>
                      </Tooltip>
                    ),
                    working: t.working,
                    breaks: t.breaks,
                    timeOff: t.timeOff,
                    onDrop: mayAssign ? onDrop(t.id) : undefined,
                    items: t.jobs.map((job) => (
                      <Tooltip
                        key={job.id}
                        label={`${job.appointmentNumber} · ${job.customerName} · ${job.serviceName} · ${clock(job.startsAt, timeZone)}–${clock(job.endsAt, timeZone)}`}
                        withArrow
                      >
                        <UnstyledButton
                          draggable={mayAssign && (job.state === 'assigned' || job.state === 'en_route')}
                          onDragStart={dragStart(job)}
                          onClick={() => setSelectedId(job.id)}
                          onDoubleClick={() => navigate(jobPath(job.id))}
                          aria-label={`${job.appointmentNumber} on ${t.name} at ${clock(job.startsAt, timeZone)}`}
                          style={{
                            ...blockStyle(job.startsAt, job.endsAt, technicians, dayStart, dayEnd),
                            background: `var(--mantine-color-${JOB_STATE_COLORS[job.state]}-filled)`,
                            outline: job.id === selectedId ? '2px solid var(--mantine-color-dark-filled)' : job.slaStatus === 'breached' ? '2px solid var(--mantine-color-red-filled)' : undefined,
                            borderRadius: 4,
                            padding: '0 6px',
                            overflow: 'hidden',
                            display: 'flex',
                            alignItems: 'center',
                          }}
                        >
                          <Text size="xs" c="white" lineClamp={1}>
                            {clock(job.startsAt, timeZone)} {job.customerName}
                          </Text>
                        </UnstyledButton>
                      </Tooltip>
                    )),
                  };
                })}
              />
            )}
            {selected && selected.state !== 'unassigned' ? (
              <Group mt="sm" gap="xs">
                <JobStateBadge state={selected.state} />
                <Text size="sm">
                  {selected.appointmentNumber} · {selected.customerName} · {selected.technicianName}
                </Text>
                {mayAssign && (selected.state === 'assigned' || selected.state === 'en_route') ? (
                  <Button size="compact-sm" variant="light" onClick={() => setReassigning({ job: selected, to: null })}>
                    Reassign…
                  </Button>
                ) : null}
                <Button size="compact-sm" variant="subtle" onClick={() => navigate(jobPath(selected.id))}>
                  Open job
                </Button>
              </Group>
            ) : null}
          </Grid.Col>
        </Grid>
      )}
      {reassigning ? <ReassignDialog job={reassigning.job} to={reassigning.to} opened onClose={() => setReassigning(null)} /> : null}
    </Stack>
  );
}
