import { Badge, Button, Group, Kbd, List, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { suggest, type Candidate, type Job } from '../../../../../src-shared/contracts/home-services/dispatch';
import { useRpcQuery } from '../../../../api/hooks';
import { ErrorAlert } from '../../../../components';
import { clock, hours, useBranchZone } from '../../field/time';
import { PriorityBadge, SlaBadge } from '../../field/ui';

/**
 * Who could take the selected job, best first, each with the reasons behind its place (on time,
 * skills, zone, hours left, travel) or what stops them. The dispatcher decides: a number key or
 * the button assigns.
 */
export function SuggestionsPanel({ job, onAssign, busy }: { job: Job; onAssign(candidate: Candidate): void; busy: boolean }) {
  const timeZone = useBranchZone();
  const suggestions = useRpcQuery(suggest, { jobId: job.id });
  const candidates = suggestions.data?.candidates ?? [];
  const mayAssign = job.state === 'unassigned' || job.state === 'assigned' || job.state === 'en_route';
  return (
    <Paper withBorder p="sm" aria-label={`Suggestions for ${job.appointmentNumber}`}>
      <Stack gap={4} mb="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} fz="sm">
            {job.appointmentNumber} · {clock(job.startsAt, timeZone)}–{clock(job.endsAt, timeZone)}
          </Title>
          <Group gap={4}>
            <PriorityBadge priority={job.priority} />
            <SlaBadge status={job.slaStatus} />
          </Group>
        </Group>
        <Text size="sm">
          {job.customerName} · {job.serviceName}
        </Text>
        <Text size="xs" c="dimmed">
          {job.customerAddress}
          {job.zoneCode ? ` · zone ${job.zoneCode}` : ''}
        </Text>
      </Stack>
      {suggestions.isPending ? (
        <Skeleton h={120} />
      ) : suggestions.isError ? (
        <ErrorAlert error={suggestions.error} />
      ) : (
        <Stack gap="xs">
          {candidates.map((c) => (
            <Paper key={c.technicianId} withBorder p="xs" style={{ opacity: c.eligible ? 1 : 0.6 }} aria-label={`Candidate ${c.technicianName}`}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  {c.eligible ? <IconCircleCheck size={18} color="var(--mantine-color-green-6)" /> : <IconCircleX size={18} color="var(--mantine-color-gray-6)" />}
                  <div>
                    <Group gap={6}>
                      {c.rank ? <Kbd size="xs">{c.rank}</Kbd> : null}
                      <Text size="sm" fw={600}>
                        {c.technicianName}
                      </Text>
                      {c.rank === 1 ? (
                        <Badge size="xs" color="green" variant="light">
                          Suggested
                        </Badge>
                      ) : null}
                      {c.technicianId === job.technicianId ? (
                        <Badge size="xs" variant="outline">
                          Assigned
                        </Badge>
                      ) : null}
                    </Group>
                    <List size="xs" spacing={0} mt={2}>
                      {(c.eligible ? c.reasons : c.blockers).map((line) => (
                        <List.Item key={line}>
                          <Text size="xs" c={c.eligible ? undefined : 'red'}>
                            {line}
                          </Text>
                        </List.Item>
                      ))}
                    </List>
                    {c.eligible ? null : (
                      <Text size="xs" c="dimmed">
                        {hours(c.bookedMinutes)} booked of {hours(c.capacityMinutes)}
                      </Text>
                    )}
                  </div>
                </Group>
                {c.eligible && mayAssign && c.technicianId !== job.technicianId ? (
                  <Button size="compact-sm" loading={busy} onClick={() => onAssign(c)} aria-label={`Assign to ${c.technicianName}`} style={{ flexShrink: 0 }}>
                    Assign
                  </Button>
                ) : null}
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
