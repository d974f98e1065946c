import { Box, Group, Paper, Text, Tooltip } from '@mantine/core';
import { useLayoutEffect, useRef, type DragEvent, type ReactNode } from 'react';
import { clock } from './time';

/**
 * A day drawn left to right, one row per technician: working time light, breaks hatched, time off
 * grey, and the row's items (appointments, jobs) as blocks at their times. The calendar and the
 * dispatch board both draw it; the board adds drag-and-drop and a keyboard cursor.
 */
export interface Span {
  startsAt: string;
  endsAt: string;
}

export interface TimelineRow {
  id: string;
  label: ReactNode;
  sublabel?: ReactNode;
  working: Span[];
  breaks: Span[];
  timeOff: (Span & { reason: string })[];
  items: ReactNode[];
  /** Highlight (a drop target, or the row the keyboard is on). */
  highlighted?: boolean;
  onDrop?(event: DragEvent<HTMLDivElement>): void;
  ariaLabel?: string;
}

export interface DayTimelineProps {
  timeZone: string;
  dayStart: number;
  dayEnd: number;
  rows: TimelineRow[];
  labelWidth?: number;
}

const ROW_HEIGHT = 46;
export const HOUR_MS = 3_600_000;
/** Wide enough that an hour's job shows its time and customer, however long the day is. */
const HOUR_WIDTH = 72;

/**
 * Where the day's work starts: the earliest shift that does not begin at midnight (an on-call
 * technician's round-the-clock hours would otherwise open every day at 00:00), else the window's start.
 */
function workStart(rows: { working: Span[] }[], dayStart: number, viewStart: number): number {
  let first = Number.POSITIVE_INFINITY;
  for (const row of rows) for (const w of row.working) if (Date.parse(w.startsAt) > dayStart) first = Math.min(first, Date.parse(w.startsAt));
  return Number.isFinite(first) ? first : viewStart;
}

/** The visible window: from the earliest working hour to the latest, at least 08:00–17:00. */
export function visibleWindow(rows: { working: Span[] }[], dayStart: number, dayEnd: number): { start: number; end: number } {
  let start = dayStart + 8 * HOUR_MS;
  let end = dayStart + 17 * HOUR_MS;
  for (const row of rows) {
    for (const w of row.working) {
      start = Math.min(start, Date.parse(w.startsAt));
      end = Math.max(end, Date.parse(w.endsAt));
    }
  }
  start = Math.max(dayStart, start - HOUR_MS);
  end = Math.min(dayEnd, end + HOUR_MS);
  return { start: start - (start % HOUR_MS), end };
}

export function DayTimeline({ timeZone, dayStart, dayEnd, rows, labelWidth = 190 }: DayTimelineProps) {
  const view = visibleWindow(rows, dayStart, dayEnd);
  const span = view.end - view.start;
  const scroller = useRef<HTMLDivElement>(null);
  const focus = workStart(rows, dayStart, view.start);
  // A long day scrolls sideways (names stay put); each new day opens an hour before work starts.
  useLayoutEffect(() => {
    const box = scroller.current;
    if (!box) return;
    const timeWidth = box.scrollWidth - labelWidth;
    // Less half a time label, so the first hour's label is not cut by the name column.
    box.scrollLeft = Math.max(0, ((focus - HOUR_MS - view.start) / span) * timeWidth - 24);
    // Only when the day (or its first shift) changes, not on every refresh of the board.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dayStart, focus]);
  const pct = (instant: number) => `${Math.max(0, Math.min(100, ((instant - view.start) / span) * 100))}%`;
  const width = (a: number, b: number) => `${Math.max(0, ((Math.min(b, view.end) - Math.max(a, view.start)) / span) * 100)}%`;
  const ticks: number[] = [];
  for (let t = view.start; t <= view.end; t += HOUR_MS) ticks.push(t);

  return (
    <Paper ref={scroller} withBorder p={0} style={{ overflowX: 'auto' }}>
      <Box style={{ minWidth: Math.max(900, labelWidth + (span / HOUR_MS) * HOUR_WIDTH) }}>
        <Group gap={0} wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
          <Box w={labelWidth} style={stickyLabel(false)} />
          <Box style={{ position: 'relative', flex: 1, height: 24 }}>
            {ticks.map((t) => (
              <Text key={t} size="xs" c="dimmed" style={{ position: 'absolute', left: pct(t), transform: 'translateX(-50%)', top: 4 }}>
                {clock(t, timeZone)}
              </Text>
            ))}
          </Box>
        </Group>
        {rows.map((row) => (
          <Group
            key={row.id}
            gap={0}
            wrap="nowrap"
            aria-label={row.ariaLabel}
            // The whole row takes a drop, the name too: on a long day part of the hours is scrolled away.
            onDragOver={row.onDrop ? (event) => event.preventDefault() : undefined}
            onDrop={row.onDrop}
            style={{
              borderBottom: '1px solid var(--mantine-color-default-border)',
              background: row.highlighted ? 'var(--mantine-primary-color-light)' : undefined,
            }}
          >
            <Box w={labelWidth} px="sm" py={4} style={stickyLabel(row.highlighted ?? false)}>
              <Text size="sm" fw={600} lineClamp={1}>
                {row.label}
              </Text>
              {row.sublabel ? (
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {row.sublabel}
                </Text>
              ) : null}
            </Box>
            <Box style={{ position: 'relative', flex: 1, height: ROW_HEIGHT }}>
              {ticks.map((t) => (
                <Box key={t} style={{ position: 'absolute', left: pct(t), top: 0, bottom: 0, borderLeft: '1px dashed var(--mantine-color-default-border)' }} />
              ))}
              {row.working.map((w) => (
                <Box
                  key={`w${w.startsAt}`}
                  style={{
                    position: 'absolute',
                    left: pct(Date.parse(w.startsAt)),
                    width: width(Date.parse(w.startsAt), Date.parse(w.endsAt)),
                    top: 4,
                    bottom: 4,
                    background: 'var(--mantine-color-green-light)',
                    borderRadius: 4,
                  }}
                />
              ))}
              {row.breaks.map((b) => (
                <Tooltip key={`b${b.startsAt}`} label={`Break ${clock(b.startsAt, timeZone)}–${clock(b.endsAt, timeZone)}`}>
                  <Box
                    style={{
                      position: 'absolute',
                      left: pct(Date.parse(b.startsAt)),
                      width: width(Date.parse(b.startsAt), Date.parse(b.endsAt)),
                      top: 4,
                      bottom: 4,
                      background: 'repeating-linear-gradient(45deg, var(--mantine-color-gray-3) 0 4px, transparent 4px 8px)',
                    }}
                  />
                </Tooltip>
              ))}
              {row.timeOff.map((o) => (
                <Tooltip key={`o${o.startsAt}`} label={`Time off: ${o.reason}`}>
                  <Box
                    style={{
                      position: 'absolute',
                      left: pct(Date.parse(o.startsAt)),
                      width: width(Date.parse(o.startsAt), Date.parse(o.endsAt)),
                      top: 2,
                      bottom: 2,
                      background: 'var(--mantine-color-gray-4)',
                      opacity: 0.8,
                      borderRadius: 4,
                    }}
                  >
                    <Text size="xs" px={4} lineClamp={1}>
                      {o.reason}
                    </Text>
                  </Box>
                </Tooltip>
              ))}
              {row.items}
            </Box>
          </Group>
        ))}
      </Box>
    </Paper>
  );
}

/** The name column stays in view while the hours scroll under it. */
const stickyLabel = (highlighted: boolean) => ({
  flexShrink: 0,
  alignSelf: 'stretch',
  position: 'sticky' as const,
  left: 0,
  zIndex: 2,
  background: highlighted ? 'linear-gradient(var(--mantine-primary-color-light), var(--mantine-primary-color-light)), var(--mantine-color-body)' : 'var(--mantine-color-body)',
});

/** Where an item sits on a row, as CSS for an absolutely placed block. */
export function blockStyle(startsAt: string, endsAt: string, rows: { working: Span[] }[], dayStart: number, dayEnd: number) {
  const view = visibleWindow(rows, dayStart, dayEnd);
  const span = view.end - view.start;
  const start = Math.max(view.start, Date.parse(startsAt));
  const end = Math.min(view.end, Date.parse(endsAt));
  return {
    position: 'absolute' as const,
    left: `${((start - view.start) / span) * 100}%`,
    width: `${Math.max(0.8, ((end - start) / span) * 100)}%`,
    top: 7,
    bottom: 7,
  };
}
