import { Badge, Group, Tooltip } from '@mantine/core';
import type { VeeException } from '../../../../../src-shared/contracts/energy/meter-readings';
import { EXCEPTION_COLORS, EXCEPTION_SHORT_LABELS } from '../labels';

/** Small coloured badges naming each VEE exception; the server's own message is the tooltip. */
export function ExceptionBadges({ exceptions, size = 'xs' }: { exceptions: VeeException[]; size?: 'xs' | 'sm' | 'md' }) {
  if (exceptions.length === 0) return null;
  return (
    <Group gap={4} wrap="wrap">
      {exceptions.map((exception) => (
        <Tooltip key={exception.code} label={exception.message} withinPortal multiline maw={320}>
          <Badge size={size} variant="light" color={EXCEPTION_COLORS[exception.code]} radius="sm">
            {EXCEPTION_SHORT_LABELS[exception.code]}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}
