import { Group, Kbd, Text } from '@mantine/core';
import { Fragment } from 'react';

/** On macOS the modifier is ⌘; everywhere else (the branch PCs) it is Ctrl. */
export const MOD_KEY = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

export interface KeyboardHintProps {
  /** Keys pressed together, e.g. `['mod', 'K']`; `mod` becomes Ctrl or ⌘. A string is one key or a sequence like `g a`. */
  keys: string | readonly string[];
  label?: string;
  size?: 'xs' | 'sm';
}

/** A small "Ctrl + K  Search" hint, so shortcuts are discovered where they apply. */
export function KeyboardHint({ keys, label, size = 'xs' }: KeyboardHintProps) {
  const isSequence = typeof keys === 'string';
  const parts = (isSequence ? keys.split(' ') : keys).map((key) => (key === 'mod' ? MOD_KEY : key));
  return (
    <Group gap={4} wrap="nowrap" component="span">
      {parts.map((key, index) => (
        <Fragment key={`${key}-${index}`}>
          {index > 0 ? (
            <Text span size="xs" c="dimmed">
              {isSequence ? 'then' : '+'}
            </Text>
          ) : null}
          <Kbd size={size}>{key}</Kbd>
        </Fragment>
      ))}
      {label ? (
        <Text span size="xs" c="dimmed" ml={4}>
          {label}
        </Text>
      ) : null}
    </Group>
  );
}
