import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDateOf } from './periods';

dayjs.extend(utc);
dayjs.extend(timezone);

// Zones with daylight saving both sides of the equator, half- and quarter-hour offsets, and the
// date line, where a wrong day is most likely.
const ZONES = ['UTC', 'Africa/Johannesburg', 'Europe/London', 'America/New_York', 'Australia/Adelaide', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/St_Johns'];

describe('localDateOf', () => {
  it('gives the branch’s calendar date of any instant, as dayjs’s time-zone arithmetic does', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true }), fc.constantFrom(...ZONES), (at, zone) => {
        expect(localDateOf(at, zone)).toBe(dayjs(at).tz(zone).format('YYYY-MM-DD'));
        expect(localDateOf(at.toISOString(), zone)).toBe(dayjs(at).tz(zone).format('YYYY-MM-DD'));
      }),
      { numRuns: 1000 },
    );
  });

  it('puts a 00:30 payment in Johannesburg on its local day, and the last second before midnight on the day before', () => {
    expect(localDateOf('2026-03-31T22:30:00Z', 'Africa/Johannesburg')).toBe('2026-04-01');
    expect(localDateOf('2026-03-31T21:59:59Z', 'Africa/Johannesburg')).toBe('2026-03-31');
    expect(localDateOf('2026-11-01T04:59:59Z', 'America/New_York')).toBe('2026-11-01');
  });

  it('refuses what is not an instant instead of writing "Invalid Date" as a business date', () => {
    expect(() => localDateOf('not a time', 'UTC')).toThrow(RangeError);
  });
});
