/**
 * SQLite knows no time zones, but it can shift an instant by a fixed number of minutes. Within a
 * date range a zone has only a few offsets (two a year with daylight saving), so the local day of
 * a UTC instant becomes a short CASE over those stretches: exact at the changeover minute, and
 * cheap enough to run over a million rows. Zones with half- or quarter-hour offsets work the same.
 */
export interface OffsetSegment {
  /** The stretch ends before this instant (ISO, UTC); null for the last one. */
  until: string | null;
  /** Local time minus UTC, in minutes. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Local time minus UTC in minutes. Intl straight away: this runs a few hundred times per report
 * and dayjs's tz() costs far more per call than the whole SQL it prepares.
 */
function offsetAt(ms: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, format);
  }
  const name = format.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** No zone changes its offset twice within a week, so weekly probes find every change. */
const STEP_MS = 7 * 86_400_000;
const MINUTE_MS = 60_000;

/** The offsets in force between two instants, in order, with the instants they change at. */
export function offsetSegments(timeZone: string, fromInstant: string, toInstant: string): OffsetSegment[] {
  const from = Date.parse(fromInstant);
  const to = Date.parse(toInstant);
  const segments: OffsetSegment[] = [];
  let current = offsetAt(from, timeZone);
  let probe = from;
  while (probe < to) {
    const next = Math.min(probe + STEP_MS, to);
    const offset = offsetAt(next, timeZone);
    if (offset !== current) {
      // Changes happen on the minute; narrow down to the first minute with the new offset.
      let lo = probe;
      let hi = next;
      while (hi - lo > MINUTE_MS) {
        const mid = lo + Math.max(1, Math.floor((hi - lo) / (2 * MINUTE_MS))) * MINUTE_MS;
        if (offsetAt(mid, timeZone) === current) lo = mid;
        else hi = mid;
      }
      segments.push({ until: new Date(hi).toISOString(), minutes: current });
      current = offset;
    }
    probe = next;
  }
  segments.push({ until: null, minutes: current });
  return segments;
}

const modifier = (minutes: number) => `${minutes >= 0 ? '+' : '-'}${Math.abs(minutes)} minutes`;

/**
 * SQL of `strftime(format, column)` in local time, with its parameters in order. `format` is a
 * fixed strftime pattern from code ('%Y-%m-%d' for the day, '%w' weekday, '%H' hour).
 */
export function localTimeSql(column: string, format: string, segments: readonly OffsetSegment[]): { sql: string; params: string[] } {
  if (!/^[%a-zA-Z :-]+$/.test(format)) throw new Error(`Unexpected strftime format ${format}`);
  if (segments.length === 1) return { sql: `strftime('${format}', ${column}, ?)`, params: [modifier(segments[0]!.minutes)] };
  const params: string[] = [];
  const whens = segments.slice(0, -1).map((s) => {
    params.push(s.until!, modifier(s.minutes));
    return `WHEN ${column} < ? THEN strftime('${format}', ${column}, ?)`;
  });
  params.push(modifier(segments.at(-1)!.minutes));
  return { sql: `(CASE ${whens.join(' ')} ELSE strftime('${format}', ${column}, ?) END)`, params };
}

/** Offsets change only on quarter hours in every real zone, so one lookup serves a quarter hour. */
const QUARTER_HOUR_MS = 15 * MINUTE_MS;

/**
 * `2025-03-30T01:00:00.000Z` → `2025-03-30 03:00:00` in `timeZone`: the wall clock exports print.
 * Exact across daylight-saving changes, and fast enough for 100k-row sheets (dayjs's tz() costs
 * a few hundred microseconds a call; this looks the offset up once per quarter hour).
 */
export function localWallClock(timeZone: string): (instant: string) => string {
  const offsets = new Map<number, number>();
  return (instant) => {
    const ms = Date.parse(instant);
    if (Number.isNaN(ms)) return instant;
    const quarter = Math.floor(ms / QUARTER_HOUR_MS);
    let offset = offsets.get(quarter);
    if (offset === undefined) {
      offset = offsetAt(ms, timeZone);
      offsets.set(quarter, offset);
    }
    return new Date(ms + offset * MINUTE_MS).toISOString().slice(0, 19).replace('T', ' ');
  };
}
