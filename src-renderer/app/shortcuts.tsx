import { Divider, Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useEffectEvent, useRef } from 'react';
import { KeyboardHint } from '../components/KeyboardHint';

export interface KeySequence {
  /** Two keys pressed one after the other, e.g. `g a`. */
  sequence: string;
  label: string;
  run(): void;
}

const SEQUENCE_TIMEOUT_MS = 1200;

/** Typing into a field must never trigger navigation. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Linear-style two-key shortcuts (`g` then a letter) plus `?` for the help. Mantine's
 * useHotkeys handles chords (Ctrl+K) but not sequences, hence this small listener.
 */
export function useKeySequences(sequences: readonly KeySequence[], onHelp: () => void): void {
  const pending = useRef<{ key: string; at: number } | null>(null);

  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    // Keys typed while a dialog is open belong to the dialog.
    if (document.querySelector('[role="dialog"][aria-modal="true"]')) return;
    const key = event.key.toLowerCase();
    const first = pending.current;
    pending.current = null;
    if (event.key === '?') {
      event.preventDefault();
      onHelp();
      return;
    }
    if (first && event.timeStamp - first.at < SEQUENCE_TIMEOUT_MS) {
      const match = sequences.find((s) => s.sequence === `${first.key} ${key}`);
      if (match) {
        event.preventDefault();
        match.run();
        return;
      }
    }
    if (sequences.some((s) => s.sequence.startsWith(`${key} `))) pending.current = { key, at: event.timeStamp };
  });

  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}

export interface ShortcutLine {
  keys: string | readonly string[];
  label: string;
}

const EVERYWHERE: ShortcutLine[] = [
  { keys: ['mod', 'K'], label: 'Search screens and actions' },
  { keys: '?', label: 'This help' },
];

const IN_LISTS: ShortcutLine[] = [
  { keys: '↑', label: 'Previous row' },
  { keys: '↓', label: 'Next row' },
  { keys: 'Home', label: 'First row' },
  { keys: 'End', label: 'Last row' },
  { keys: 'Enter', label: 'Open the row' },
];

const IN_FORMS: ShortcutLine[] = [
  { keys: 'Enter', label: 'Save / submit the form' },
  { keys: 'Esc', label: 'Close the dialog or drawer' },
  { keys: 'Tab', label: 'Next field' },
];

function Section({ title, lines }: { title: string; lines: readonly ShortcutLine[] }) {
  return (
    <Stack gap={6}>
      <Text size="xs" fw={600} tt="uppercase" c="dimmed">
        {title}
      </Text>
      {lines.map((line) => (
        <Group key={`${String(line.keys)}-${line.label}`} justify="space-between" wrap="nowrap" gap="md">
          <Text size="sm">{line.label}</Text>
          <KeyboardHint keys={line.keys} />
        </Group>
      ))}
    </Stack>
  );
}

export function ShortcutsHelp({ opened, onClose, goTo }: { opened: boolean; onClose(): void; goTo: readonly ShortcutLine[] }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="lg">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xl">
        <Stack gap="lg">
          <Section title="Everywhere" lines={EVERYWHERE} />
          <Section title="Go to (press g, then the letter)" lines={goTo} />
        </Stack>
        <Stack gap="lg">
          <Section title="In lists" lines={IN_LISTS} />
          <Section title="In forms" lines={IN_FORMS} />
        </Stack>
      </SimpleGrid>
      <Divider my="md" />
      <Text size="xs" c="dimmed">
        Shortcuts are ignored while you type in a field, so they never change what you enter.
      </Text>
    </Modal>
  );
}
