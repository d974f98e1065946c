import { Stack, Text, ThemeIcon } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export interface EmptyStateProps {
  title: ReactNode;
  /** Say why it is empty and what to do next. */
  description: ReactNode;
  /** The next step as a button, when there is one. */
  action?: ReactNode;
  icon?: ReactNode;
}

export function EmptyState({ title, description, action, icon }: EmptyStateProps) {
  return (
    <Stack align="center" gap="xs" py="xl" px="md" ta="center">
      <ThemeIcon variant="light" color="gray" size={44} radius="xl">
        {icon ?? <IconInbox size={24} stroke={1.5} />}
      </ThemeIcon>
      <Text fw={600}>{title}</Text>
      <Text size="sm" c="dimmed" maw={460}>
        {description}
      </Text>
      {action ? <div style={{ marginTop: 4 }}>{action}</div> : null}
    </Stack>
  );
}
