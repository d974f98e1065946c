import { Badge, Code, Collapse, Group, Skeleton, Stack, Text, Timeline, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { auditTrail } from '../../src-shared/contracts/kernel';
import type { AuditEvent } from '../../src-shared/rpc';
import { useRpcQuery } from '../api/hooks';
import { DateText } from './DateText';
import { EmptyState } from './EmptyState';
import { ErrorAlert } from './ErrorAlert';
import { humanizeKey, ChangeList } from './ValueView';

export interface AuditTrailProps {
  entity: string;
  entityId: string;
}

function TrailItem({ event }: { event: AuditEvent }) {
  const [open, setOpen] = useState(false);
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <Text size="sm" fw={600}>
          {humanizeKey(event.action)}
        </Text>
        <Text size="sm" c="dimmed">
          by {event.actorName ?? 'the system'}
        </Text>
        {event.approvalId ? (
          <Badge size="xs" variant="light" color="green">
            approved request
          </Badge>
        ) : null}
      </Group>
      <Text size="xs" c="dimmed">
        <DateText value={event.at} /> · <Code fz="xs">{event.procedure}</Code> · #{event.seq}
      </Text>
      {event.reason ? <Text size="sm">Reason: {event.reason}</Text> : null}
      <UnstyledButton onClick={() => setOpen((o) => !o)} aria-expanded={open} fz="xs" c="dimmed">
        <Group gap={2}>
          {open ? <IconChevronDown size={12} /> : <IconChevronRight size={12} />}
          {open ? 'Hide changes' : 'Show changes'}
        </Group>
      </UnstyledButton>
      <Collapse expanded={open}>
        <ChangeList before={event.before} after={event.after} />
        <Text size="xs" c="dimmed" mt={4}>
          Hash <Code fz="xs">{event.hash.slice(0, 16)}…</Code>
        </Text>
      </Collapse>
    </Stack>
  );
}

/** Every journal event of one record, oldest first: who did what, when, why, and what changed. */
export function AuditTrail({ entity, entityId }: AuditTrailProps) {
  const trail = useRpcQuery(auditTrail, { entity, entityId });
  if (trail.isPending) return <Skeleton height={120} />;
  if (trail.isError) return <ErrorAlert error={trail.error} onRetry={() => void trail.refetch()} />;
  if (trail.data.length === 0) {
    return (
      <EmptyState
        icon={<IconShieldCheck size={24} stroke={1.5} />}
        title="No journal events yet"
        description="Every change to this record will be listed here with who made it and why."
      />
    );
  }
  return (
    <Timeline active={trail.data.length - 1} bulletSize={14} lineWidth={2}>
      {trail.data.map((event) => (
        <Timeline.Item key={event.id}>
          <TrailItem event={event} />
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
