import { Badge, type BadgeProps } from '@mantine/core';

/**
 * One colour language for every state name in the app, so a supervisor reads a list by colour:
 * green done, red needs attention, yellow waiting, blue in progress, grey closed or inactive.
 */
const COLOR_BY_STATE: Record<string, string> = {
  posted: 'green',
  approved: 'green',
  executed: 'green',
  succeeded: 'green',
  completed: 'green',
  closed: 'gray',
  active: 'green',
  verified: 'green',
  operational: 'green',
  paid: 'green',
  exception: 'red',
  rejected: 'red',
  failed: 'red',
  broken: 'red',
  locked: 'red',
  overdue: 'red',
  down: 'red',
  pending: 'yellow',
  reread: 'yellow',
  running: 'yellow',
  queued: 'yellow',
  submitted: 'yellow',
  draft: 'gray',
  cancelled: 'gray',
  inactive: 'gray',
  standby: 'gray',
  estimated: 'grape',
  open: 'blue',
  scheduled: 'blue',
  assigned: 'blue',
};

export const statusColor = (status: string): string => COLOR_BY_STATE[status.toLowerCase()] ?? 'blue';

/** `reread` → `Reread`, `in_progress` → `In progress`. */
export const statusLabel = (status: string): string => {
  const words = status.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export interface StatusBadgeProps extends Omit<BadgeProps, 'children' | 'color'> {
  status: string;
  /** Text to show instead of the state name. */
  label?: string;
}

export function StatusBadge({ status, label, ...badgeProps }: StatusBadgeProps) {
  return (
    <Badge color={statusColor(status)} variant="light" size="sm" radius="sm" {...badgeProps}>
      {label ?? statusLabel(status)}
    </Badge>
  );
}
