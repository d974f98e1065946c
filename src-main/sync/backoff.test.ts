import { describe, expect, it } from 'vitest';
import { FIRST_RETRY_MS, MAX_RETRY_MS, retryDelayMs } from './backoff';
import { clockOffsetMs, driftWarning } from './drift';

describe('retry delay after failed syncs', () => {
  it('doubles with each failure, half fixed and half random', () => {
    expect(retryDelayMs(1, () => 0)).toBe(FIRST_RETRY_MS / 2);
    expect(retryDelayMs(1, () => 1)).toBe(FIRST_RETRY_MS);
    expect(retryDelayMs(2, () => 0)).toBe(FIRST_RETRY_MS);
    expect(retryDelayMs(4, () => 0.5)).toBe(Math.round(8 * FIRST_RETRY_MS * 0.75));
  });

  it('never exceeds the cap, however long HQ stays down', () => {
    for (const failures of [10, 50, 1000]) {
      expect(retryDelayMs(failures, () => 1)).toBe(MAX_RETRY_MS);
      expect(retryDelayMs(failures, () => 0)).toBe(MAX_RETRY_MS / 2);
    }
  });

  it('spreads branches that failed together over the second half of the window', () => {
    const delays = [0.1, 0.4, 0.9].map((r) => retryDelayMs(3, () => r));
    expect(new Set(delays).size).toBe(3);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(2 * FIRST_RETRY_MS);
  });

  it('is immediate when nothing failed', () => {
    expect(retryDelayMs(0)).toBe(0);
  });
});

describe('clock drift', () => {
  it('measures HQ against the midpoint of the round trip', () => {
    const sent = Date.parse('2026-03-01T10:00:00.000Z');
    expect(clockOffsetMs(sent, sent + 200, '2026-03-01T10:05:00.100Z')).toBe(300_000);
    expect(clockOffsetMs(sent, sent + 200, 'not a time')).toBeNull();
  });

  it('warns beyond the threshold, saying which way the clock is off', () => {
    expect(driftWarning(119_000, 120)).toBeNull();
    expect(driftWarning(null, 120)).toBeNull();
    expect(driftWarning(312_000, 120)).toMatch(/5 min 12 s behind HQ/);
    expect(driftWarning(-2 * 3600_000 - 60_000, 120)).toMatch(/2 h 1 min ahead of HQ/);
  });
});
