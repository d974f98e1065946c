import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCircleCheck } from '@tabler/icons-react';
import { readingEntry, readingsPreview, type RouteSheetRow } from '../../../../../src-shared/contracts/energy/meter-readings';
import { useRpcQuery } from '../../../../api/hooks';
import { ErrorAlert } from '../../../../components';
import { entryInput, type Draft } from '../entryDraft';
import { EXCEPTION_COLORS, EXCEPTION_SHORT_LABELS, formatRegister, formatUnits } from '../labels';

/** Long enough not to call the server on every keystroke of a fast typist, short enough to feel live. */
const PREVIEW_DEBOUNCE_MS = 150;

/**
 * VEE on the value being typed: consumption and every exception, named and coloured, before the
 * reader presses Enter. Keyed per meter by the parent, so one meter's result never shows on another.
 */
export function LiveVeeCheck({ row, readDate, draft }: { row: RouteSheetRow; readDate: string; draft: Draft }) {
  const [debounced] = useDebouncedValue(draft, PREVIEW_DEBOUNCE_MS);
  const input = entryInput(row.meterId, readDate, debounced);
  const ready = readingEntry.safeParse(input).success;
  const preview = useRpcQuery(readingsPreview, input, { enabled: ready, keepPrevious: true });
  const stale = preview.isPlaceholderData || debounced !== draft;

  if (!ready || (!preview.data && !preview.isError)) {
    return (
      <Paper bg="var(--mantine-color-default-hover)" p="md" h="100%">
        <Text size="sm" c="dimmed">
          {preview.isFetching ? 'Checking…' : 'Type the value to see the consumption and any exception before you save.'}
        </Text>
      </Paper>
    );
  }
  if (preview.isError) return <ErrorAlert error={preview.error} title="Could not check this value" />;
  const result = preview.data;
  if (!result) return null;
  const clean = result.exceptions.length === 0;

  return (
    <Paper
      p="md"
      h="100%"
      withBorder
      aria-live="polite"
      aria-label="Validation of the value typed"
      style={{
        opacity: stale ? 0.6 : 1,
        borderColor: clean ? 'var(--mantine-color-green-5)' : `var(--mantine-color-${EXCEPTION_COLORS[result.exceptions[0]!.code]}-5)`,
        borderWidth: 2,
      }}
    >
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {result.estimated ? 'Estimated consumption' : 'Consumption'}
      </Text>
      <Text fz={30} fw={700} lh={1.2} style={{ fontVariantNumeric: 'tabular-nums' }} c={result.consumption < 0 ? 'red' : undefined}>
        {formatUnits(result.consumption)} <Text span size="sm" c="dimmed" fw={400}>units</Text>
      </Text>
      {result.estimated ? (
        <Text size="sm" c="dimmed">
          Estimated reading {formatRegister(result.value)}
        </Text>
      ) : null}
      {clean ? (
        <Group gap={6} mt="sm">
          <IconCircleCheck size={18} color="var(--mantine-color-green-6)" />
          <Text size="sm" c="green.7" fw={500}>
            Within the expected range
          </Text>
        </Group>
      ) : (
        <Stack gap={6} mt="sm">
          {result.exceptions.map((exception) => (
            <div key={exception.code}>
              <Badge color={EXCEPTION_COLORS[exception.code]} variant="filled" radius="sm" size="sm">
                {EXCEPTION_SHORT_LABELS[exception.code]}
              </Badge>
              <Text size="sm" c={`${EXCEPTION_COLORS[exception.code]}.8`}>
                {exception.message}
              </Text>
            </div>
          ))}
          <Text size="xs" c="dimmed">
            You can still save: the reading goes to the supervisor&apos;s review queue. Check the dials first.
          </Text>
        </Stack>
      )}
    </Paper>
  );
}

