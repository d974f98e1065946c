import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Day / week / month buckets as the branch sees them. Business dates (read dates, due dates) are
 * already local calendar dates; instants (created_at, payments) are UTC and are first turned into
 * the branch's local date, so an 00:30 payment in Johannesburg lands on its local day, and a
 * daylight-saving change never moves a record into the neighbouring bucket.
 */
export const REPORT_PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof REPORT_PERIODS)[number];

export interface Bucket {
  /** The bucket's first date (YYYY-MM-DD); sorts chronologically. */
  key: string;
  start: string;
  /** Last date, inclusive. */
  end: string;
  label: string;
}

const DATE = 'YYYY-MM-DD';

/**
 * One formatter per zone, made once: dayjs's tz() builds a new Intl formatter on every call
 * (about 0.6 ms), and nearly every write asks for the branch's business date at least once.
 */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', calendar: 'gregory', numberingSystem: 'latn' });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local calendar date of a UTC instant in `timeZone`. */
export function localDateOf(instant: Date | string, timeZone: string): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) throw new RangeError(`Not an instant: ${String(instant)}`);
  let year = '';
  let month = '';
  let day = '';
  for (const part of dayFormatter(timeZone).formatToParts(at)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

/** Calendar arithmetic on dates only: pinned to UTC so the machine's own zone cannot shift a day. */
const asDate = (date: string) => dayjs.utc(date);

/**
 * The bucket a local date falls in. `weekStart` is 0 = Sunday … 6 = Saturday, as the branch
 * settings store it.
 */
export function bucketOfDate(date: string, period: Period, weekStart = 1): Bucket {
  const d = asDate(date);
  switch (period) {
    case 'day':
      return { key: date, start: date, end: date, label: d.format('ddd D MMM YYYY') };
    case 'week': {
      const start = d.subtract((d.day() - weekStart + 7) % 7, 'day');
      const end = start.add(6, 'day');
      return { key: start.format(DATE), start: start.format(DATE), end: end.format(DATE), label: `Week of ${start.format('D MMM YYYY')}` };
    }
    case 'month': {
      const start = d.startOf('month');
      return { key: start.format(DATE), start: start.format(DATE), end: d.endOf('month').format(DATE), label: d.format('MMMM YYYY') };
    }
  }
}

export function bucketOfInstant(instant: Date | string, period: Period, timeZone: string, weekStart = 1): Bucket {
  return bucketOfDate(localDateOf(instant, timeZone), period, weekStart);
}

/** Every bucket touching [from, to], in order, so empty periods show as zero rather than vanish. */
export function bucketsBetween(from: string, to: string, period: Period, weekStart = 1): Bucket[] {
  const buckets: Bucket[] = [];
  if (from > to) return buckets;
  let bucket = bucketOfDate(from, period, weekStart);
  for (;;) {
    buckets.push(bucket);
    if (bucket.end >= to) return buckets;
    bucket = bucketOfDate(asDate(bucket.end).add(1, 'day').format(DATE), period, weekStart);
  }
}

/** The UTC instants bounding a local date range, for filtering timestamp columns by local days. */
export function instantRange(from: string, to: string, timeZone: string): { fromInstant: string; toInstant: string } {
  return {
    fromInstant: dayjs.tz(from, timeZone).toISOString(),
    // The next local midnight, not 24 hours later: a daylight-saving day has 23 or 25 hours.
    toInstant: dayjs.tz(asDate(to).add(1, 'day').format(DATE), timeZone).toISOString(),
  };
}
