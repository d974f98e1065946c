import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A labelled value on a detail page: the label small and dimmed above, the value below, "—" when there is none. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children ?? '—'}
      </Text>
    </div>
  );
}
