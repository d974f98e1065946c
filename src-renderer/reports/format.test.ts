import { describe, expect, it } from 'vitest';
import { formatAxis, formatDelta } from './format';

describe('chart axis ticks', () => {
  it('shorten large figures so they fit the axis, money in major units', () => {
    expect(formatAxis(160_000_000, 'money')).toBe('1.6M');
    expect(formatAxis(40_000_000, 'money')).toBe('400K');
    expect(formatAxis(0, 'money')).toBe('0');
    expect(formatAxis(250, 'count')).toBe('250');
    expect(formatAxis(12_500, 'count')).toBe('12.5K');
    expect(formatAxis(37.5, 'percent')).toBe('37.5%');
    expect(formatAxis(5.25, 'hours')).toBe('5.25 h');
    expect(formatAxis(null, 'count')).toBe('');
  });
});

describe('KPI change badge', () => {
  it('shows the percent when the period before had something to compare with', () => {
    expect(formatDelta({ value: 5, percent: 50 }, 'count')).toBe('+50%');
    expect(formatDelta({ value: -66, percent: -10.4 }, 'money')).toBe('-10.4%');
  });

  it('shows the change itself when the period before was zero, instead of a bare dash', () => {
    expect(formatDelta({ value: 1, percent: null }, 'count')).toBe('+1');
    expect(formatDelta({ value: 375_000, percent: null }, 'money')).toBe('+3,750.00');
    expect(formatDelta({ value: -2.5, percent: null }, 'hours', 2)).toBe('-2.5 h');
    expect(formatDelta({ value: 0, percent: null }, 'count')).toBe('±0');
    expect(formatDelta(null, 'count')).toBe('—');
  });
});
