import { Badge, Tooltip } from '@mantine/core';
import { PRIORITY_LABELS, STAGE_LABELS, type Priority, type Sla, type Stage } from '../../../../../src-shared/contracts/energy/installations';
import { formatDate } from '../../../../components';
import { formatHours } from '../shared/ui';
import { PRIORITY_COLORS, SLA_COLORS, SLA_LABELS, STAGE_COLORS } from '../labels';

export function StageBadge({ stage, size = 'sm' }: { stage: Stage; size?: 'sm' | 'md' }) {
  return (
    <Badge color={STAGE_COLORS[stage]} variant="light" radius="sm" size={size}>
      {STAGE_LABELS[stage]}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  return (
    <Badge color={PRIORITY_COLORS[priority]} variant="dot" radius="sm" size="sm">
      {PRIORITY_LABELS[priority]}
    </Badge>
  );
}

/** The deadline in one badge: state, and the hours left (or over) while the clock runs. */
export function SlaBadge({ sla, timeZone }: { sla: Sla; timeZone?: string }) {
  const left =
    sla.remainingHours === null ? null : sla.remainingHours < 0 ? `${formatHours(-sla.remainingHours)} over` : `${formatHours(sla.remainingHours)} left`;
  const tip = [
    `${sla.hours} h allowance`,
    sla.dueAt ? `due ${formatDate(sla.dueAt, 'datetime', timeZone)}` : sla.state === 'paused' ? 'clock stopped while on hold' : null,
    sla.pausedHours > 0 ? `${formatHours(sla.pausedHours)} on hold` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Tooltip label={tip} withArrow>
      <Badge color={SLA_COLORS[sla.state]} variant="light" radius="sm" size="sm" aria-label={`Deadline ${SLA_LABELS[sla.state]}${left ? `, ${left}` : ''}`}>
        {SLA_LABELS[sla.state]}
        {left ? ` · ${left}` : ''}
      </Badge>
    </Tooltip>
  );
}
