import { describe, expect, it } from 'vitest';
import { TOTAL_KEY, bucketEnd, reportDrilldown, reportInputFromParams, reportRowLabel, type ReportInput } from './report';

const monthly: ReportInput = { period: 'month', groupBy: 'period', from: '2026-01-15', to: '2026-03-10' };

describe('readings report settings from the URL', () => {
  it('defaults to a daily report of this month up to today', () => {
    expect(reportInputFromParams(new URLSearchParams(), '2026-05-17')).toMatchObject({
      period: 'day',
      groupBy: 'period',
      from: '2026-05-01',
      to: '2026-05-17',
    });
  });

  it('falls back to the default for a param the contract refuses', () => {
    const input = reportInputFromParams(new URLSearchParams('period=year&groupBy=route&from=nope&routeId=R1'), '2026-05-17');
    expect(input).toMatchObject({ period: 'day', groupBy: 'route', from: '2026-05-01', routeId: 'R1' });
  });
});

describe('report drilldowns', () => {
  it('knows where each period bucket ends', () => {
    expect(bucketEnd('2026-02-09', 'day')).toBe('2026-02-09');
    expect(bucketEnd('2026-02-09', 'week')).toBe('2026-02-15');
    expect(bucketEnd('2026-02-01', 'month')).toBe('2026-02-28');
    expect(bucketEnd('2028-02-01', 'month')).toBe('2028-02-29');
  });

  it('opens a period row on exactly its dates, clipped to the report range', () => {
    // January's bucket starts before the report and March's ends after it.
    expect(reportDrilldown(monthly, { key: '2026-01-01' })).toMatchObject({ from: '2026-01-15', to: '2026-01-31' });
    expect(reportDrilldown(monthly, { key: '2026-02-01' })).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
    expect(reportDrilldown(monthly, { key: '2026-03-01' })).toMatchObject({ from: '2026-03-01', to: '2026-03-10' });
  });

  it('keeps the report filters and adds the row dimension', () => {
    const byReader: ReportInput = { ...monthly, groupBy: 'reader', routeId: 'R1' };
    expect(reportDrilldown(byReader, { key: 'U7' })).toEqual({
      from: '2026-01-15',
      to: '2026-03-10',
      routeId: 'R1',
      readerId: 'U7',
      category: undefined,
    });
    expect(reportDrilldown({ ...monthly, groupBy: 'category' }, { key: 'business' })).toMatchObject({ category: 'business' });
    expect(reportDrilldown({ ...monthly, groupBy: 'readType' }, { key: 'estimated' })).toMatchObject({ readType: 'estimated' });
  });

  it('opens the whole report from the Total row and from the no-route row', () => {
    const byRoute: ReportInput = { ...monthly, groupBy: 'route' };
    expect(reportDrilldown(byRoute, { key: TOTAL_KEY })).toMatchObject({ from: '2026-01-15', to: '2026-03-10', routeId: undefined });
    expect(reportDrilldown(byRoute, { key: '' }).routeId).toBeUndefined();
    expect(reportDrilldown(byRoute, { key: 'R2' }).routeId).toBe('R2');
  });

  it('names read types in words', () => {
    expect(reportRowLabel({ ...monthly, groupBy: 'readType' }, { key: 'customer', label: 'customer' })).toBe('Customer read');
    expect(reportRowLabel(monthly, { key: '2026-02-01', label: 'February 2026' })).toBe('February 2026');
  });
});
