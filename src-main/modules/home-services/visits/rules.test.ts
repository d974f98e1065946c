import { describe, expect, it } from 'vitest';
import { MINUTE } from '../time';
import { geofence, isMissed, missingEvv, worstLevel } from './rules';

const HOME = { lat: -26.1, lng: 28.0 };
// 0.001° of latitude ≈ 111 m.
const north = (metres: number, accuracyM: number) => ({ lat: HOME.lat + metres / 111_195, lng: HOME.lng, accuracyM });
const policy = { radiusM: 150, toleranceM: 100 };

describe('geofence levels', () => {
  it('is verified within the radius', () => {
    expect(geofence(HOME, north(120, 10), policy)).toMatchObject({ level: 'verified', distanceM: 120 });
    expect(geofence(HOME, north(150, 10), policy).level).toBe('verified');
  });

  it('is a warning within radius + GPS accuracy', () => {
    const result = geofence(HOME, north(190, 50), policy);
    expect(result).toMatchObject({ level: 'warning', distanceM: 190 });
    expect(result.explanation).toContain('±50 m');
  });

  it('is an exception beyond radius + accuracy', () => {
    expect(geofence(HOME, north(210, 50), policy).level).toBe('exception');
  });

  it('credits accuracy only up to the tolerance', () => {
    expect(geofence(HOME, north(260, 2000), policy).level).toBe('exception');
    expect(geofence(HOME, north(240, 2000), policy).level).toBe('warning');
  });

  it('is an exception without a fix and a warning when the customer has no coordinates', () => {
    expect(geofence(HOME, null, policy)).toMatchObject({ level: 'exception', distanceM: null });
    expect(geofence(null, north(0, 5), policy)).toMatchObject({ level: 'warning', distanceM: null });
  });

  it('rates a visit by its weakest checkpoint', () => {
    expect(worstLevel('verified', 'warning')).toBe('warning');
    expect(worstLevel('exception', 'verified')).toBe('exception');
    expect(worstLevel('verified', null)).toBe('verified');
  });
});

describe('EVV elements', () => {
  it('names what is missing among service type, recipient, provider, date, location, start and end', () => {
    const complete = { serviceType: 'PLB-REPAIR', recipient: 'C-1', provider: 'T-1', date: '2026-03-02', location: '-26.1,28', startTime: '10:00', endTime: '11:00' };
    expect(missingEvv(complete)).toEqual([]);
    expect(missingEvv({ ...complete, location: null, endTime: null })).toEqual(['Location', 'End time']);
  });
});

describe('missed visits', () => {
  const windowEnd = Date.parse('2026-03-02T11:00:00Z');

  it('is missed once the window end plus grace has passed without a check-in', () => {
    expect(isMissed({ windowEnd, active: true, checkedIn: false }, windowEnd + 30 * MINUTE, 30)).toBe(false);
    expect(isMissed({ windowEnd, active: true, checkedIn: false }, windowEnd + 31 * MINUTE, 30)).toBe(true);
  });

  it('is not missed when checked in, or when the booking was cancelled', () => {
    expect(isMissed({ windowEnd, active: true, checkedIn: true }, windowEnd + 5 * 60 * MINUTE, 30)).toBe(false);
    expect(isMissed({ windowEnd, active: false, checkedIn: false }, windowEnd + 5 * 60 * MINUTE, 30)).toBe(false);
  });
});
