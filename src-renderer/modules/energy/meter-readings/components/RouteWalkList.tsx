import { Badge, Group, Paper, Progress, ScrollArea, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleDashed, IconPencil } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import type { RouteSheetRow } from '../../../../../src-shared/contracts/energy/meter-readings';
import { formatRegister } from '../labels';

/** A meter still to be read on this walk: never read, or sent back by a supervisor for a re-read. */
export const isOpenOnWalk = (row: RouteSheetRow): boolean => row.current === null || row.current.status === 'reread';

export interface WalkProgress {
  total: number;
  read: number;
  exceptions: number;
  remaining: number;
}

export function walkProgress(rows: readonly RouteSheetRow[]): WalkProgress {
  const read = rows.filter((row) => !isOpenOnWalk(row)).length;
  const exceptions = rows.filter((row) => row.current?.status === 'exception').length;
  return { total: rows.length, read, exceptions, remaining: rows.length - read };
}

interface RouteWalkListProps {
  rows: readonly RouteSheetRow[];
  selectedId: string | null;
  /** Meters with a value typed but not saved yet. */
  drafted: ReadonlySet<string>;
  onSelect(meterId: string): void;
}

/** The route at a glance beside the entry card: how far the walk has come and where each meter stands. */
export function RouteWalkList({ rows, selectedId, drafted, onSelect }: RouteWalkListProps) {
  const progress = walkProgress(rows);
  const selectedRef = useRef<HTMLButtonElement>(null);
  const percent = (count: number) => (progress.total === 0 ? 0 : (count / progress.total) * 100);

  useEffect(() => {
    selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  return (
    <Paper withBorder p="sm">
      <SimpleGrid cols={3} spacing="xs" mb="xs">
        <Count label="Read" value={progress.read} color="green" />
        <Count label="Exceptions" value={progress.exceptions} color="red" />
        <Count label="Remaining" value={progress.remaining} />
      </SimpleGrid>
      <Progress.Root size="md" mb="sm" aria-label={`${progress.read} of ${progress.total} meters read`}>
        <Progress.Section value={percent(progress.read - progress.exceptions)} color="green" />
        <Progress.Section value={percent(progress.exceptions)} color="red" />
      </Progress.Root>
      <ScrollArea.Autosize mah="calc(100vh - 330px)" type="auto" offsetScrollbars>
        <Stack gap={2} role="list" aria-label="Meters on this route">
          {rows.map((row) => {
            const selected = row.meterId === selectedId;
            return (
              <UnstyledButton
                key={row.meterId}
                ref={selected ? selectedRef : undefined}
                role="listitem"
                aria-current={selected ? 'true' : undefined}
                onClick={() => onSelect(row.meterId)}
                // The walk is driven from the value field; the list is for pointing, not tabbing through 500 stops.
                tabIndex={-1}
                px="xs"
                py={4}
                style={{
                  borderRadius: 'var(--mantine-radius-sm)',
                  background: selected ? 'var(--mantine-primary-color-light)' : undefined,
                  boxShadow: selected ? 'inset 3px 0 0 var(--mantine-primary-color-filled)' : undefined,
                }}
              >
                <Group gap="xs" wrap="nowrap">
                  <StateIcon row={row} drafted={drafted.has(row.meterId)} />
                  <Text size="xs" c="dimmed" w={28} ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {row.sequence}
                  </Text>
                  <Stack gap={0} miw={0} style={{ flex: 1 }}>
                    <Text size="sm" truncate>
                      {row.accountName}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace" truncate>
                      {row.serial}
                    </Text>
                  </Stack>
                  {row.current && !isOpenOnWalk(row) ? (
                    <Text size="xs" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {formatRegister(row.current.value)}
                    </Text>
                  ) : null}
                </Group>
              </UnstyledButton>
            );
          })}
        </Stack>
      </ScrollArea.Autosize>
    </Paper>
  );
}

function Count({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="lg" c={value > 0 ? color : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </div>
  );
}

function StateIcon({ row, drafted }: { row: RouteSheetRow; drafted: boolean }) {
  if (row.current?.status === 'exception') {
    return <IconAlertTriangle size={16} color="var(--mantine-color-red-6)" aria-label="Saved with exceptions" />;
  }
  if (row.current?.status === 'reread') {
    return (
      <Badge size="xs" color="yellow" variant="light" px={4}>
        re-read
      </Badge>
    );
  }
  if (row.current) return <IconCircleCheck size={16} color="var(--mantine-color-green-6)" aria-label="Read" />;
  if (drafted) return <IconPencil size={16} color="var(--mantine-color-blue-6)" aria-label="Typed, not saved" />;
  return <IconCircleDashed size={16} color="var(--mantine-color-gray-5)" aria-label="Not read yet" />;
}
