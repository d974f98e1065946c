import {
  Alert,
  Anchor,
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { IconCircleCheck, IconConfetti } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  SKIP_CODES,
  readingEntry,
  readingsCreate,
  routeSheet,
  type Reading,
  type SkipCode,
} from '../../../../../src-shared/contracts/energy/meter-readings';
import type { OutputOf } from '../../../../../src-shared/rpc';
import type { RpcError } from '../../../../api/client';
import { fieldErrors } from '../../../../api/forms';
import { useRpcMutation, useRpcQuery, useSession } from '../../../../api/hooks';
import { ErrorAlert, KeyboardHint, PageHeader } from '../../../../components';
import { ExceptionBadges } from '../components/ExceptionBadges';
import { FunctionTabs } from '../components/FunctionTabs';
import { LiveVeeCheck } from '../components/LiveVeeCheck';
import { AlreadyRead, MeterHeading } from '../components/MeterStop';
import { RouteWalkList, isOpenOnWalk, walkProgress } from '../components/RouteWalkList';
import { EMPTY_DRAFT, entryInput, type Draft } from '../entryDraft';
import { readingsListPath } from '../filters';
import { FUNCTION_PATH, READ_TYPE_LABELS, formatRegister, formatUnits, skipCodeOptions } from '../labels';
import { useRouteOptions, useToday } from '../options';

type Sheet = OutputOf<typeof routeSheet>;

/**
 * Route entry, built for a reader with a stack of meter cards: pick the route and date once, then
 * type a value and press Enter, meter after meter. VEE runs as the value is typed; a reading with
 * exceptions is saved as such and the walk goes on — a supervisor deals with it in the review queue.
 */
export function RouteEntryPage() {
  const today = useToday();
  const [params, setParams] = useSearchParams();
  const readDate = params.get('date') || today;
  const { routes, options: routeOptions } = useRouteOptions(readDate);
  // Default to the first route with meters still to read this period, so the walk starts where work is.
  const defaultRoute = routes.data?.find((r) => r.readCount < r.meterCount) ?? routes.data?.[0];
  const routeId = params.get('route') ?? defaultRoute?.id ?? null;
  const sheetInput = { routeId: routeId ?? '', readDate };
  const sheet = useRpcQuery(routeSheet, sheetInput, { enabled: routeId !== null, keepPrevious: true });
  const rows = useMemo(() => sheet.data?.rows ?? [], [sheet.data]);

  const setParam = useCallback(
    (changes: Record<string, string | null>) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value === null) next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  // The meter on the card: the one in the URL, else the first one still to read.
  const requestedMeter = params.get('meter');
  const selectedIndex = useMemo(() => {
    const requested = rows.findIndex((row) => row.meterId === requestedMeter);
    if (requested >= 0) return requested;
    const firstOpen = rows.findIndex(isOpenOnWalk);
    return firstOpen >= 0 ? firstOpen : rows.length > 0 ? 0 : -1;
  }, [rows, requestedMeter]);
  const row = selectedIndex >= 0 ? rows[selectedIndex] : undefined;

  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const draftKey = (meterId: string) => `${readDate}:${meterId}`;
  const draft = (row && drafts[draftKey(row.meterId)]) ?? EMPTY_DRAFT;
  const drafted = useMemo(
    () =>
      new Set(
        Object.entries(drafts)
          .filter(([key, d]) => key.startsWith(`${readDate}:`) && (d.value !== '' || d.skipCode !== null))
          .map(([key]) => key.slice(readDate.length + 1)),
      ),
    [drafts, readDate],
  );

  const updateDraft = (patch: Partial<Draft>) => {
    if (!row) return;
    const key = draftKey(row.meterId);
    setDrafts((current) => ({ ...current, [key]: { ...(current[key] ?? EMPTY_DRAFT), ...patch } }));
    setErrors({});
    setSaveError(null);
  };

  const [errors, setErrors] = useState<Record<string, string>>({});
  // A refused save stays with the meter it happened on, even when the refreshed sheet shows that meter as read.
  const [saveError, setSaveError] = useState<{ meterId: string; error: RpcError } | null>(null);
  const [lastSaved, setLastSaved] = useState<Reading | null>(null);
  const valueRef = useRef<HTMLInputElement>(null);
  const skipRef = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();

  const select = useCallback((meterId: string) => setParam({ meter: meterId }), [setParam]);
  /** The next meter still to read after the current one, wrapping round to the start of the route. */
  const nextOpen = () => [...rows.slice(selectedIndex + 1), ...rows.slice(0, selectedIndex)].find(isOpenOnWalk);
  const move = (step: 1 | -1) => {
    const next = rows[selectedIndex + step];
    if (next) select(next.meterId);
  };

  // A fresh card puts the cursor in the value field, so the reader can type straight away.
  useEffect(() => {
    setErrors({});
    valueRef.current?.focus();
  }, [row?.meterId]);

  /**
   * Runs before the mutation's invalidation refetches the sheet (a few hundred ms on a long
   * route), so the next card is up at once and the reader can keep typing.
   */
  const afterSave = (reading: Reading) => {
    setLastSaved(reading);
    setSaveError(null);
    setDrafts(({ [draftKey(reading.meterId)]: _saved, ...rest }) => rest);
    queryClient.setQueryData<Sheet>([routeSheet.name, sheetInput], (current) =>
      current ? { ...current, rows: current.rows.map((r) => (r.meterId === reading.meterId ? { ...r, current: reading } : r)) } : current,
    );
    const after = nextOpen();
    if (after) select(after.meterId);
    else valueRef.current?.focus();
  };

  const create = useRpcMutation(readingsCreate, {
    notifyErrors: false,
    invalidate: ['energy.meterReadings.', 'energy.routes.'],
    onSuccess: afterSave,
  });

  const save = () => {
    if (!row || create.isPending) return;
    const input = entryInput(row.meterId, readDate, draft);
    // The contract's own schema first: the same messages the server would answer, without the round trip.
    const parsed = readingEntry.safeParse(input);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message])));
      valueRef.current?.focus();
      return;
    }
    // Pin the card to this meter: if the answer refreshes the sheet, the walk must not jump away from the problem.
    if (requestedMeter !== row.meterId) select(row.meterId);
    const meterId = row.meterId;
    create.mutate(
      { input },
      {
        onError: (error) => {
          // Whatever the answer, the draft stays: the reader fixes the value rather than retyping it.
          setErrors(fieldErrors(error));
          setSaveError({ meterId, error });
          // Someone else may have read this meter meanwhile; show the route as it is now.
          if (error.code === 'RULE_VIOLATION') void sheet.refetch();
          valueRef.current?.focus();
        },
      },
    );
  };

  const onValueKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      save();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key.toLowerCase() === 's' && !event.ctrlKey && !event.metaKey && !event.altKey) {
      // The value field takes digits only, so S is free to mean "skip code".
      event.preventDefault();
      skipRef.current?.focus();
    }
  };

  // The same keys when the focus is elsewhere on the page (an already-read card has no value field).
  useHotkeys([
    ['s', () => skipRef.current?.focus()],
    ['ArrowDown', () => move(1)],
    ['ArrowUp', () => move(-1)],
    [
      'Enter',
      () => {
        const next = row && !isOpenOnWalk(row) ? nextOpen() : undefined;
        if (next) select(next.meterId);
      },
    ],
  ]);

  const progress = walkProgress(rows);
  const serverError = saveError && saveError.meterId === row?.meterId && Object.keys(errors).length === 0 ? saveError.error : null;

  return (
    <Stack gap={0}>
      <PageHeader
        title="Route entry"
        subtitle="Type the value and press Enter; the next meter comes up. VEE checks each value as you type."
        actions={
          <Group gap="md" visibleFrom="md">
            <KeyboardHint keys="Enter" label="save" />
            <KeyboardHint keys="S" label="skip code" />
            <KeyboardHint keys="↑" />
            <KeyboardHint keys="↓" label="previous / next meter" />
          </Group>
        }
      />
      <FunctionTabs />
      <Group gap="sm" align="flex-end" mb="md">
        <Select
          label="Route"
          data={routeOptions}
          value={routeId}
          onChange={(value) => value && setParam({ route: value, meter: null })}
          searchable
          allowDeselect={false}
          w={280}
          renderOption={({ option }) => {
            const route = routes.data?.find((r) => r.id === option.value);
            return (
              <Group justify="space-between" wrap="nowrap" w="100%">
                <Text size="sm">{option.label}</Text>
                {route ? (
                  <Text size="xs" c={route.readCount >= route.meterCount ? 'green' : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                    {route.readCount}/{route.meterCount} read this period
                  </Text>
                ) : null}
              </Group>
            );
          }}
          rightSection={routes.isFetching ? <Loader size={14} /> : undefined}
        />
        <TextInput
          type="date"
          label="Read date"
          value={readDate}
          max={today}
          onChange={(event) => setParam({ date: event.currentTarget.value || null, meter: null })}
          w={170}
        />
        {sheet.data ? (
          <Text size="sm" c="dimmed" pb={6}>
            {sheet.data.route.name}: {progress.read} of {progress.total} read
            {progress.exceptions > 0 ? (
              <>
                {' · '}
                <Anchor component={Link} to={readingsListPath({ routeId: routeId ?? undefined, status: 'exception', from: readDate, to: readDate })} size="sm" c="red">
                  {progress.exceptions} with exceptions
                </Anchor>
              </>
            ) : null}
          </Text>
        ) : null}
      </Group>

      {routes.isError ? <ErrorAlert error={routes.error} onRetry={() => void routes.refetch()} /> : null}
      {sheet.isError ? <ErrorAlert error={sheet.error} onRetry={() => void sheet.refetch()} /> : null}
      {routes.data && routes.data.length === 0 ? (
        <Alert color="gray" title="No routes yet">
          An administrator sets up routes and their meters first.
        </Alert>
      ) : null}

      {sheet.isPending && routeId ? (
        <Skeleton h={360} />
      ) : sheet.data ? (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="sm">
              {lastSaved ? <SavedStrip reading={lastSaved} /> : null}
              {progress.remaining === 0 && progress.total > 0 ? (
                <RouteDone readDate={readDate} routeId={routeId} exceptions={progress.exceptions} />
              ) : null}
              {row ? (
                <Paper withBorder p="md" aria-label={`Meter ${row.serial}`}>
                  <MeterHeading row={row} position={selectedIndex + 1} total={rows.length} onMove={move} />
                  {row.current && !isOpenOnWalk(row) ? (
                    <Stack gap="sm">
                      {serverError ? <ErrorAlert error={serverError} /> : null}
                      <AlreadyRead reading={row.current} unsavedValue={draft.value || null} />
                    </Stack>
                  ) : (
                    <form
                      onSubmit={(event) => {
                        event.preventDefault();
                        save();
                      }}
                      noValidate
                    >
                      {row.current?.status === 'reread' ? (
                        <Alert color="yellow" variant="light" mb="sm" title="A supervisor ordered a re-read">
                          Previously read as {formatRegister(row.current.value)}
                          {row.current.reviewReason ? ` — “${row.current.reviewReason}”` : ''}.
                        </Alert>
                      ) : null}
                      <Grid gap="md" align="flex-start">
                        <Grid.Col span={{ base: 12, sm: 6 }}>
                          <Stack gap="sm">
                            <TextInput
                              ref={valueRef}
                              label="Reading"
                              description={`${row.dials} dials${row.multiplier !== 1 ? ` · multiplier ×${row.multiplier}` : ''}`}
                              placeholder={draft.skipCode ? 'Skipped' : 'Value on the dials'}
                              value={draft.value}
                              onChange={(event) => {
                                const digits = event.currentTarget.value.replace(/\D/g, '');
                                // A typed value and a skip code exclude each other; typing wins.
                                updateDraft(digits !== '' ? { value: digits, skipCode: null } : { value: digits });
                              }}
                              onKeyDown={onValueKeyDown}
                              error={errors.value}
                              inputMode="numeric"
                              // A register cannot show more digits than it has dials.
                              maxLength={row.dials}
                              autoComplete="off"
                              size="lg"
                              styles={{ input: { fontVariantNumeric: 'tabular-nums', letterSpacing: '0.08em', fontWeight: 600 } }}
                            />
                            <SegmentedControl
                              aria-label="Read type"
                              size="xs"
                              value={draft.readType}
                              onChange={(value) => updateDraft({ readType: value as Draft['readType'] })}
                              data={[
                                { value: 'actual', label: READ_TYPE_LABELS.actual },
                                { value: 'customer', label: READ_TYPE_LABELS.customer },
                              ]}
                              disabled={draft.skipCode !== null}
                            />
                            <Select
                              ref={skipRef}
                              label="Skip code"
                              description="When the meter could not be read (press S)"
                              placeholder="Meter was read"
                              data={skipCodeOptions}
                              value={draft.skipCode}
                              onChange={(value) => {
                                updateDraft({ skipCode: value as SkipCode | null, ...(value ? { value: '' } : {}) });
                                // Back to the value field: Enter there saves the estimate.
                                requestAnimationFrame(() => valueRef.current?.focus());
                              }}
                              error={errors.skipCode}
                              searchable
                              clearable
                            />
                            <TextInput
                              label="Remark"
                              placeholder="Optional note for the office"
                              value={draft.remark}
                              onChange={(event) => updateDraft({ remark: event.currentTarget.value })}
                              onKeyDown={(event) => {
                                if (event.key === 'Enter') {
                                  event.preventDefault();
                                  save();
                                }
                              }}
                              error={errors.remark}
                            />
                          </Stack>
                        </Grid.Col>
                        <Grid.Col span={{ base: 12, sm: 6 }}>
                          <LiveVeeCheck key={`${readDate}:${row.meterId}`} row={row} readDate={readDate} draft={draft} />
                        </Grid.Col>
                      </Grid>
                      {serverError ? (
                        <div style={{ marginTop: 'var(--mantine-spacing-sm)' }}>
                          <ErrorAlert error={serverError} />
                        </div>
                      ) : null}
                      <Group justify="space-between" mt="md">
                        <Text size="xs" c="dimmed">
                          {draft.skipCode ? `Skipped: ${SKIP_CODES[draft.skipCode]}. Enter saves an estimate; typing a value instead clears the skip code.` : 'Enter saves and moves on to the next unread meter.'}
                        </Text>
                        <Button type="submit" loading={create.isPending}>
                          {draft.skipCode ? 'Save estimate' : 'Save reading'}
                        </Button>
                      </Group>
                    </form>
                  )}
                </Paper>
              ) : (
                <Alert color="gray" title="No meters on this route">
                  This route has no meters for the chosen date.
                </Alert>
              )}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <RouteWalkList rows={rows} selectedId={row?.meterId ?? null} drafted={drafted} onSelect={select} />
          </Grid.Col>
        </Grid>
      ) : null}
    </Stack>
  );
}

/** The last save, kept in view while the next card is up, so the reader knows it went through. */
function SavedStrip({ reading }: { reading: Reading }) {
  const withExceptions = reading.exceptions.length > 0;
  return (
    <Alert
      variant="light"
      color={withExceptions ? 'orange' : 'green'}
      p="xs"
      role="status"
      icon={withExceptions ? undefined : <IconCircleCheck size={18} />}
    >
      <Group gap="xs">
        <Text size="sm">
          Saved meter <b>{reading.meterSerial}</b>: {formatRegister(reading.value)}
          {reading.readType === 'estimated' ? ' (estimate)' : ''} · {formatUnits(reading.consumption)} units
          {withExceptions ? ' — saved with exceptions, sent for review' : ''}
        </Text>
        <ExceptionBadges exceptions={reading.exceptions} />
        <Anchor component={Link} to={`${FUNCTION_PATH}/${reading.id}`} size="sm">
          Open
        </Anchor>
      </Group>
    </Alert>
  );
}

function RouteDone({ readDate, routeId, exceptions }: { readDate: string; routeId: string | null; exceptions: number }) {
  const { can } = useSession();
  return (
    <Alert color="green" icon={<IconConfetti size={18} />} title="Every meter on this route has a reading">
      <Group gap="md">
        <Text size="sm">
          {exceptions > 0 ? `${exceptions} saved with exceptions wait for a supervisor.` : 'No exceptions on this walk.'}
        </Text>
        {exceptions > 0 && can('energy.meterReadings', 'edit') ? (
          <Anchor component={Link} to={readingsListPath({ routeId: routeId ?? undefined, from: readDate, to: readDate }, `${FUNCTION_PATH}/review`)} size="sm">
            Review them
          </Anchor>
        ) : null}
      </Group>
    </Alert>
  );
}
