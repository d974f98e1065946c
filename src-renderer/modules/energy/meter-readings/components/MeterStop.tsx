import { Anchor, Badge, Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EXCEPTION_CODES, SKIP_CODES, type Reading, type RouteSheetRow } from '../../../../../src-shared/contracts/energy/meter-readings';
import { Field, KeyboardHint, StatusBadge } from '../../../../components';
import { FUNCTION_PATH, STATUS_LABELS, formatLocalDate, formatRegister, formatUnits } from '../labels';
import { ExceptionBadges } from './ExceptionBadges';

/** The head of a route entry card: who and where, the meter, what it read last and what to expect now. */
export function MeterHeading({ row, position, total, onMove }: { row: RouteSheetRow; position: number; total: number; onMove(step: 1 | -1): void }) {
  return (
    <Stack gap="sm" mb="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Group gap="xs">
            <Title order={3} fz="lg">
              {row.accountName}
            </Title>
            {!row.accountActive ? (
              <Badge color="gray" variant="light" size="sm">
                Inactive account
              </Badge>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed">
            {row.accountNo} · {row.address}
          </Text>
        </div>
        <Group gap={4} wrap="nowrap">
          <Text size="sm" c="dimmed" mr={4} style={{ whiteSpace: 'nowrap' }}>
            Stop {position} of {total}
          </Text>
          <Button variant="default" size="compact-sm" aria-label="Previous meter" onClick={() => onMove(-1)} disabled={position <= 1} tabIndex={-1}>
            <IconArrowUp size={14} />
          </Button>
          <Button variant="default" size="compact-sm" aria-label="Next meter" onClick={() => onMove(1)} disabled={position >= total} tabIndex={-1}>
            <IconArrowDown size={14} />
          </Button>
        </Group>
      </Group>
      <SimpleGrid cols={3} spacing="sm">
        <Field label="Meter">
          <Text span ff="monospace" fw={600}>
            {row.serial}
          </Text>
        </Field>
        <Field label="Previous read">
          <Text span fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {formatRegister(row.previousValue)}
          </Text>
          {row.previousReadDate ? (
            <Text span size="xs" c="dimmed">
              {' '}
              on {formatLocalDate(row.previousReadDate)}
              {row.previousReadType === 'estimated' ? ' (estimated)' : ''}
            </Text>
          ) : null}
        </Field>
        <Field label="Expected reading">
          {row.expected ? (
            <>
              <Text span fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatRegister(row.expected.lowRead)} – {formatRegister(row.expected.highRead)}
              </Text>
              <Text span size="xs" c="dimmed">
                {' '}
                ≈ {formatUnits(row.expected.units)} units in {row.expected.days} days
              </Text>
            </>
          ) : (
            <Text span c="dimmed">
              No history yet
            </Text>
          )}
        </Field>
      </SimpleGrid>
    </Stack>
  );
}

/** A meter already read on this walk: what was saved and whether it waits for a supervisor. */
export function AlreadyRead({ reading, unsavedValue }: { reading: Reading; unsavedValue: string | null }) {
  return (
    <Stack gap="xs">
      {unsavedValue ? (
        <Text size="sm" c="orange.8">
          You typed {unsavedValue} for this meter; it was not saved because the meter already has a reading for this date. If yours is
          the right one, tell a supervisor so they can correct it.
        </Text>
      ) : null}
      <Group gap="sm">
        <Text fw={600}>Already read on this walk: {formatRegister(reading.value)}</Text>
        <StatusBadge status={reading.status} label={STATUS_LABELS[reading.status]} />
        <ExceptionBadges exceptions={reading.exceptions} size="sm" />
      </Group>
      <Text size="sm" c="dimmed">
        {reading.readType === 'estimated' && reading.skipCode ? `Estimated (${SKIP_CODES[reading.skipCode]}). ` : ''}
        {formatUnits(reading.consumption)} units by {reading.readerName}.{' '}
        {reading.status === 'exception'
          ? `Waiting for a supervisor: ${reading.exceptions.map((e) => EXCEPTION_CODES[e.code]).join('; ')}.`
          : ''}
      </Text>
      <Group gap="md">
        <Anchor component={Link} to={`${FUNCTION_PATH}/${reading.id}`} size="sm">
          Open the reading
        </Anchor>
        <KeyboardHint keys="Enter" label="next meter to read" />
      </Group>
    </Stack>
  );
}

