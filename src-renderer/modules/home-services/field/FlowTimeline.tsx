import { Skeleton, Text, Timeline } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { auditTrail } from '../../../../src-shared/contracts/kernel';
import type { AuditEvent } from '../../../../src-shared/rpc';
import { call } from '../../../api/client';
import { DateText, ErrorAlert, humanizeKey } from '../../../components';

const WHAT: Record<string, string> = { hsAppointment: 'Booking', hsJob: 'Job', hsVisit: 'Visit' };

/**
 * One booking's whole story in order: the booking, its dispatch job and its visit, read from the
 * journal, so what the timeline says is exactly what was recorded (who, when, why).
 */
export function FlowTimeline({ records }: { records: { entity: string; entityId: string | null | undefined }[] }) {
  const present = records.filter((r): r is { entity: string; entityId: string } => Boolean(r.entityId));
  const trails = useQueries({
    queries: present.map((r) => ({ queryKey: [auditTrail.name, r], queryFn: () => call(auditTrail, r) })),
  });
  if (trails.some((t) => t.isPending)) return <Skeleton h={160} />;
  const failed = trails.find((t) => t.isError);
  if (failed) return <ErrorAlert error={failed.error} />;
  const events = trails.flatMap((t) => (t.data ?? []) as AuditEvent[]).sort((a, b) => a.seq - b.seq);
  if (events.length === 0) return <Text c="dimmed">Nothing recorded yet.</Text>;
  return (
    <Timeline active={events.length - 1} bulletSize={14} lineWidth={2}>
      {events.map((event) => (
        <Timeline.Item key={event.id} title={`${WHAT[event.entity] ?? event.entity}: ${humanizeKey(event.action)}`}>
          <Text size="xs" c="dimmed">
            <DateText value={event.at} /> · {event.actorName ?? 'the system'}
          </Text>
          {event.reason ? <Text size="sm">{event.reason}</Text> : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
