import { describe, expect, it } from 'vitest';
import {
  allowanceVerdict,
  blocksPlanChanges,
  cancellationCredit,
  divideRounded,
  dunningStageFor,
  dunningStepsDue,
  firstPeriod,
  firstPeriodCharge,
  monthlyValue,
  nextDunningStep,
  onCycleDay,
  periodContaining,
  periodFrom,
  prorate,
  quotePlanChange,
  resumeTerm,
} from './rules';

describe('proration (DOMAIN.md, Kill Bill)', () => {
  it('$24.95/month, bill-cycle day 25, start 16 Sep: 9 of 31 days → $7.24', () => {
    const first = firstPeriod('2025-09-16', 'monthly', 25);
    expect(first).toMatchObject({ start: '2025-09-16', end: '2025-09-25', partial: true, days: 9, fullDays: 31 });
    expect(first.full).toEqual({ start: '2025-08-25', end: '2025-09-25' });
    expect(firstPeriodCharge(2495, first)).toBe(724);
  });

  it('change to a $9.95 plan on 2 May with 30 of 31 days left → $9.63', () => {
    const quote = quotePlanChange({
      current: { start: '2025-05-01', end: '2025-06-01' },
      on: '2025-05-02',
      oldPriceMinor: 495,
      oldMonthlyMinor: 495,
      newPriceMinor: 995,
      newMonthlyMinor: 995,
      oldName: 'Basic',
      newName: 'Plus',
    });
    expect(quote).toMatchObject({ direction: 'upgrade', effective: 'now', daysLeft: 30, periodDays: 31 });
    expect(quote.lines[1]!.amountMinor).toBe(963);
  });

  it('rounds once at the end, never the daily rate', () => {
    // Rounding the daily rate first (0.80 × 9) would give 7.20.
    expect(prorate(2495, 9, 31)).toBe(724);
    expect(Math.round(2495 / 31) * 9).toBe(720);
    // Half away from zero, in integers: 12.5 → 13, −12.5 → −13.
    expect(divideRounded(25, 2)).toBe(13);
    expect(divideRounded(-25, 2)).toBe(-13);
    expect(divideRounded(24, 2)).toBe(12);
  });

  it('starting on the bill-cycle day bills a full period', () => {
    const first = firstPeriod('2025-03-10', 'quarterly', 10);
    expect(first).toMatchObject({ start: '2025-03-10', end: '2025-06-10', partial: false });
    expect(firstPeriodCharge(30_000, first)).toBe(30_000);
  });

  it('a partial quarterly first period is prorated over the whole quarter that ends on the cycle date', () => {
    const first = firstPeriod('2025-01-20', 'quarterly', 1);
    expect(first).toMatchObject({ start: '2025-01-20', end: '2025-02-01', days: 12 });
    expect(first.full).toEqual({ start: '2024-11-01', end: '2025-02-01' });
    expect(first.fullDays).toBe(92);
    expect(firstPeriodCharge(30_000, first)).toBe(3913);
  });
});

describe('periods on a bill-cycle day', () => {
  it('clamp the day to short months and come back to it afterwards', () => {
    expect(onCycleDay('2025-01-31', 1, 31)).toBe('2025-02-28');
    expect(onCycleDay('2025-02-28', 1, 31)).toBe('2025-03-31');
    expect(onCycleDay('2024-01-31', 1, 31)).toBe('2024-02-29');
    expect(periodFrom('2025-01-31', 'monthly', 31)).toEqual({ start: '2025-01-31', end: '2025-02-28' });
    expect(periodFrom('2025-02-28', 'monthly', 31)).toEqual({ start: '2025-02-28', end: '2025-03-31' });
    expect(periodFrom('2025-03-15', 'yearly', 15)).toEqual({ start: '2025-03-15', end: '2026-03-15' });
  });

  it('find the period of a later date by renewing forward', () => {
    const current = { start: '2025-05-01', end: '2025-06-01' };
    expect(periodContaining(current, 'monthly', 1, '2025-05-31')).toEqual(current);
    expect(periodContaining(current, 'monthly', 1, '2025-06-01')).toEqual({ start: '2025-06-01', end: '2025-07-01' });
    expect(periodContaining(current, 'monthly', 1, '2025-08-15')).toEqual({ start: '2025-08-01', end: '2025-09-01' });
    expect(periodContaining(current, 'monthly', 1, '2025-04-30')).toBeNull();
  });
});

describe('plan changes', () => {
  const current = { start: '2025-05-01', end: '2025-06-01' };

  it('upgrade now: the unused part of the old plan is credited and the new one charged for the same days', () => {
    const quote = quotePlanChange({ current, on: '2025-05-02', oldPriceMinor: 2495, oldMonthlyMinor: 2495, newPriceMinor: 3995, newMonthlyMinor: 3995, oldName: 'Basic', newName: 'Plus' });
    expect(quote.lines.map((l) => l.amountMinor)).toEqual([-2415, 3866]);
    expect(quote.netMinor).toBe(1451);
  });

  it('downgrade waits for the period end: no credit, no charge now', () => {
    const quote = quotePlanChange({ current, on: '2025-05-02', oldPriceMinor: 3995, oldMonthlyMinor: 3995, newPriceMinor: 995, newMonthlyMinor: 995, oldName: 'Plus', newName: 'Lite' });
    expect(quote).toMatchObject({ direction: 'downgrade', effective: 'period_end', lines: [], netMinor: 0 });
  });

  it('compares plans of different periods by their monthly value', () => {
    expect(monthlyValue(30_000, 'quarterly')).toBe(10_000);
    expect(monthlyValue(100_000, 'yearly')).toBe(8333);
    expect(monthlyValue(2495, 'monthly')).toBe(2495);
  });

  it('cancelling now credits the days left of the paid period', () => {
    expect(cancellationCredit(current, '2025-05-02', 995)).toEqual({ days: 30, periodDays: 31, creditMinor: 963 });
    expect(cancellationCredit(current, '2025-06-01', 995).creditMinor).toBe(0);
  });
});

describe('pause and resume', () => {
  it('moves the end of the term by the days paused, and the bill-cycle day with it', () => {
    const resumed = resumeTerm({ start: '2025-03-01', end: '2025-04-01' }, '2025-03-11', '2025-03-21');
    expect(resumed).toEqual({ period: { start: '2025-03-01', end: '2025-04-11' }, pausedDays: 10, billCycleDay: 11 });
  });

  it('a pause over the period end still gives back every paused day', () => {
    const resumed = resumeTerm({ start: '2025-03-01', end: '2025-04-01' }, '2025-03-25', '2025-04-20');
    expect(resumed.period.end).toBe('2025-04-27');
    expect(resumed.pausedDays).toBe(26);
  });
});

describe('dunning ladder', () => {
  const offsets = { reminder: 1, warning: 7, suspended: 14, cancelled: 30 };

  it('reaches each step on its day after the due date', () => {
    expect(dunningStageFor(0, offsets)).toBe('none');
    expect(dunningStageFor(1, offsets)).toBe('reminder');
    expect(dunningStageFor(6, offsets)).toBe('reminder');
    expect(dunningStageFor(7, offsets)).toBe('warning');
    expect(dunningStageFor(14, offsets)).toBe('suspended');
    expect(dunningStageFor(45, offsets)).toBe('cancelled');
  });

  it('takes the skipped steps in order when a run comes late', () => {
    expect(dunningStepsDue('none', 15, offsets)).toEqual(['reminder', 'warning', 'suspended']);
    expect(dunningStepsDue('warning', 15, offsets)).toEqual(['suspended']);
    expect(dunningStepsDue('suspended', 15, offsets)).toEqual([]);
  });

  it('says what is next and when', () => {
    expect(nextDunningStep('none', '2025-05-08', offsets)).toEqual({ step: 'reminder', dueOn: '2025-05-09' });
    expect(nextDunningStep('warning', '2025-05-08', offsets)).toEqual({ step: 'suspended', dueOn: '2025-05-22' });
    expect(nextDunningStep('cancelled', '2025-05-08', offsets)).toBeNull();
  });

  it('blocks plan changes from the warning on', () => {
    expect(blocksPlanChanges('reminder')).toBe(false);
    expect(blocksPlanChanges('warning')).toBe(true);
    expect(blocksPlanChanges('suspended')).toBe(true);
  });
});

describe('included visits', () => {
  it('fits what is left and charges or refuses the rest per plan', () => {
    expect(allowanceVerdict(2, 1, 1, 'refuse')).toEqual({ included: 1, beyond: 0, refused: false, left: 1 });
    expect(allowanceVerdict(2, 2, 1, 'refuse')).toEqual({ included: 0, beyond: 1, refused: true, left: 0 });
    expect(allowanceVerdict(2, 2, 1, 'charge')).toEqual({ included: 0, beyond: 1, refused: false, left: 0 });
    expect(allowanceVerdict(2, 1, 3, 'charge')).toEqual({ included: 1, beyond: 2, refused: false, left: 1 });
  });
});
