import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export interface PageHeaderProps {
  title: ReactNode;
  subtitle?: ReactNode;
  /** A state or count beside the title (a StatusBadge, "12 waiting"). */
  badge?: ReactNode;
  /** Buttons on the right: only the actions that make sense right now. */
  actions?: ReactNode;
}

export function PageHeader({ title, subtitle, badge, actions }: PageHeaderProps) {
  return (
    <Group justify="space-between" align="flex-start" wrap="nowrap" mb="md" gap="md">
      <Stack gap={2} miw={0}>
        <Group gap="sm" wrap="nowrap">
          <Title order={2} fz="h3" lh={1.2} lineClamp={1}>
            {title}
          </Title>
          {badge}
        </Group>
        {subtitle ? (
          <Text size="sm" c="dimmed">
            {subtitle}
          </Text>
        ) : null}
      </Stack>
      {actions ? (
        <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
          {actions}
        </Group>
      ) : null}
    </Group>
  );
}
