import { describe, expect, it } from 'vitest';
import {
  assetReliabilityParts,
  balanceAfterIssue,
  calendarOccurrences,
  closeNeedsApproval,
  daysBetween,
  downtimeHours,
  isLowStock,
  isOverdue,
  labourCost,
  movingAverageCost,
  mtbfDays,
  mttrHours,
  pooledReliability,
  usageOccurrences,
  usagePerDay,
  workOrderActionError,
  type Stop,
} from './rules';

const failure = (startedAt: string, endedAt: string | null): Stop => ({ startedOn: startedAt.slice(0, 10), startedAt, endedAt, failure: true });

describe('MTBF and MTTR (DOMAIN.md)', () => {
  it('reproduces Odoo’s example: in service 1 Jan 2024, 2 failures, latest 1 May → 121 days / 2 = 60.5 days', () => {
    expect(daysBetween('2024-01-01', '2024-05-01')).toBe(121);
    expect(mtbfDays('2024-01-01', ['2024-02-14', '2024-05-01'])).toBe(60.5);
  });

  it('has no MTBF before the first failure', () => {
    expect(mtbfDays('2024-01-01', [])).toBeNull();
  });

  it('averages repair time over finished repairs: 3 h and 5 h → 4 h', () => {
    expect(
      mttrHours([
        { startedAt: '2024-02-14T08:00:00Z', endedAt: '2024-02-14T11:00:00Z' },
        { startedAt: '2024-05-01T06:00:00Z', endedAt: '2024-05-01T11:00:00Z' },
      ]),
    ).toBe(4);
    expect(mttrHours([])).toBeNull();
  });

  it('gives the same figures through the per-asset parts, ignoring planned stops', () => {
    const stops: Stop[] = [
      failure('2024-02-14T08:00:00Z', '2024-02-14T11:00:00Z'),
      { startedOn: '2024-03-01', startedAt: '2024-03-01T06:00:00Z', endedAt: '2024-03-01T08:00:00Z', failure: false },
      failure('2024-05-01T06:00:00Z', '2024-05-01T11:00:00Z'),
    ];
    const parts = assetReliabilityParts('2024-01-01', stops, new Date('2024-06-01T00:00:00Z'));
    expect(pooledReliability([parts])).toEqual({ failures: 2, mtbfDays: 60.5, repairs: 2, mttrHours: 4, downtimeHours: 10 });
  });

  it('pools a class over its assets (total days over total failures)', () => {
    const a = assetReliabilityParts('2024-01-01', [failure('2024-05-01T06:00:00Z', '2024-05-01T08:00:00Z')], new Date('2024-06-01T00:00:00Z'));
    const b = assetReliabilityParts('2024-01-01', [failure('2024-01-31T06:00:00Z', null)], new Date('2024-01-31T10:00:00Z'));
    // (121 + 30) days / 2 failures; one repair of 2 hours (the other is still open).
    expect(pooledReliability([a, b])).toEqual({ failures: 2, mtbfDays: 75.5, repairs: 1, mttrHours: 2, downtimeHours: 6 });
  });

  it('counts an open stop as downtime until now', () => {
    expect(downtimeHours([{ startedAt: '2024-05-01T06:00:00Z', endedAt: null }], new Date('2024-05-01T09:30:00Z'))).toBe(3.5);
  });
});

describe('calendar occurrences', () => {
  it('creates each occurrence inside the horizon and moves the next date past it', () => {
    expect(calendarOccurrences('2026-03-05', 7, '2026-03-01', '2026-03-15')).toEqual({
      occurrences: [
        { dueKey: '2026-03-05', dueOn: '2026-03-05' },
        { dueKey: '2026-03-12', dueOn: '2026-03-12' },
      ],
      nextDueOn: '2026-03-19',
    });
  });

  it('creates nothing when the next date is past the horizon, so a second run is a no-op', () => {
    expect(calendarOccurrences('2026-03-19', 7, '2026-03-01', '2026-03-15')).toEqual({ occurrences: [], nextDueOn: '2026-03-19' });
  });

  it('collapses missed occurrences into one, due on the latest of them', () => {
    const { occurrences, nextDueOn } = calendarOccurrences('2026-01-01', 30, '2026-03-20', '2026-03-25');
    expect(occurrences).toEqual([{ dueKey: '2026-03-02', dueOn: '2026-03-02' }]);
    expect(nextDueOn).toBe('2026-04-01');
  });
});

describe('usage occurrences', () => {
  it('derives the rate from the first and last reading: 1,000 → 1,300 hours over 30 days is 10 a day', () => {
    expect(usagePerDay([{ readOn: '2026-02-01', value: 1000 }, { readOn: '2026-02-15', value: 1120 }, { readOn: '2026-03-03', value: 1300 }])).toBe(10);
    expect(usagePerDay([{ readOn: '2026-03-03', value: 1300 }])).toBeNull();
  });

  it('is due today once the reading is reached, and projects the next at the rate', () => {
    expect(
      usageOccurrences({ current: 1510, nextDueUsage: 1500, intervalUsage: 500, perDay: 10, today: '2026-03-03', horizonEnd: '2026-03-17' }),
    ).toEqual({ occurrences: [{ dueKey: 'usage:1500', dueOn: '2026-03-03' }], nextDueUsage: 2000 });
  });

  it('generates an occurrence projected inside the horizon: 100 hours to go at 10 a day is due in 10 days', () => {
    expect(
      usageOccurrences({ current: 1400, nextDueUsage: 1500, intervalUsage: 500, perDay: 10, today: '2026-03-03', horizonEnd: '2026-03-17' }),
    ).toEqual({ occurrences: [{ dueKey: 'usage:1500', dueOn: '2026-03-13' }], nextDueUsage: 2000 });
  });

  it('waits for the reading without a rate, and collapses several reached occurrences into one', () => {
    expect(usageOccurrences({ current: 1400, nextDueUsage: 1500, intervalUsage: 500, perDay: null, today: '2026-03-03', horizonEnd: '2026-03-17' })).toEqual({
      occurrences: [],
      nextDueUsage: 1500,
    });
    expect(usageOccurrences({ current: 2700, nextDueUsage: 1500, intervalUsage: 500, perDay: null, today: '2026-03-03', horizonEnd: '2026-03-17' })).toEqual({
      occurrences: [{ dueKey: 'usage:2500', dueOn: '2026-03-03' }],
      nextDueUsage: 3000,
    });
  });
});

describe('work orders', () => {
  it('follows open → in progress → on hold → in progress → completed → closed', () => {
    expect(workOrderActionError('open', 'start')).toBeNull();
    expect(workOrderActionError('in_progress', 'hold')).toBeNull();
    expect(workOrderActionError('on_hold', 'start')).toBeNull();
    expect(workOrderActionError('in_progress', 'complete')).toBeNull();
    expect(workOrderActionError('completed', 'close')).toBeNull();
  });

  it('refuses skipping a status and booking on finished work', () => {
    expect(workOrderActionError('open', 'complete')).toBe('A work order that is open cannot be completed');
    expect(workOrderActionError('in_progress', 'close')).toBe('A work order that is in progress cannot be closed');
    expect(workOrderActionError('completed', 'book')).toBe('A work order that is completed cannot take labour or parts');
    expect(workOrderActionError('in_progress', 'cancel')).not.toBeNull();
  });

  it('is overdue the day after its due date while unfinished', () => {
    expect(isOverdue('open', '2026-03-02', '2026-03-02')).toBe(false);
    expect(isOverdue('on_hold', '2026-03-02', '2026-03-03')).toBe(true);
    expect(isOverdue('completed', '2026-03-02', '2026-03-03')).toBe(false);
  });

  it('prices labour once in minor units and gates closing strictly above the threshold', () => {
    expect(labourCost(2.25, 35_000)).toBe(78_750);
    expect(closeNeedsApproval(500_000, 500_000)).toBe(false);
    expect(closeNeedsApproval(500_001, 500_000)).toBe(true);
  });
});

describe('stock ledger', () => {
  it('never issues below zero', () => {
    expect(balanceAfterIssue(5, 5)).toBe(0);
    expect(balanceAfterIssue(5, 6)).toBeNull();
  });

  it('moves the average cost with receipts: 10 at 100 plus 30 at 140 → 130', () => {
    expect(movingAverageCost(10, 100, 30, 140)).toBe(130);
    expect(movingAverageCost(0, 0, 5, 250)).toBe(250);
  });

  it('alerts at or below the minimum quantity, never for parts without one', () => {
    expect(isLowStock(4, 4)).toBe(true);
    expect(isLowStock(5, 4)).toBe(false);
    expect(isLowStock(0, 0)).toBe(false);
  });
});
