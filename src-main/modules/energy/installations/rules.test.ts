import { describe, expect, it } from 'vitest';
import {
  commissioningMissing,
  commissioningPlan,
  missingChecklistItems,
  nextAction,
  orderNumber,
  slaDueAt,
  slaHoursFor,
  slaStatus,
  stageDurations,
  transitionError,
  unknownChecklistKeys,
  workingMs,
  type SlaInput,
} from './rules';
import { slaHours } from './settings';

const at = (iso: string) => new Date(iso);

describe('stage gates', () => {
  it('walks requested → surveyed → approved → scheduled → installed → commissioned → closed', () => {
    expect(nextAction('requested')).toBe('survey');
    expect(nextAction('surveyed')).toBe('approve');
    expect(nextAction('approved')).toBe('schedule');
    expect(nextAction('scheduled')).toBe('install');
    expect(nextAction('installed')).toBe('commission');
    expect(nextAction('commissioned')).toBe('close');
    expect(nextAction('closed')).toBeNull();
    expect(nextAction('cancelled')).toBeNull();
  });

  it('refuses skipping a stage and lets survey and schedule be repeated', () => {
    expect(transitionError('requested', false, 'approve')).toMatch(/must be surveyed/);
    expect(transitionError('approved', false, 'install')).toMatch(/must be scheduled/);
    expect(transitionError('surveyed', false, 'survey')).toBeNull();
    expect(transitionError('scheduled', false, 'schedule')).toBeNull();
    expect(transitionError('installed', false, 'commission')).toBeNull();
  });

  it('refuses every stage action while the order waits on the customer', () => {
    expect(transitionError('installed', true, 'commission')).toMatch(/on hold/);
  });
});

describe('checklists', () => {
  const items = [
    { key: 'meter_sealed', label: 'Meter sealed', required: true },
    { key: 'earth_tested', label: 'Earth tested', required: true },
    { key: 'site_cleaned', label: 'Site cleaned', required: false },
  ];

  it('names each required item left unticked, and only those', () => {
    expect(missingChecklistItems(items, ['meter_sealed']).map((i) => i.key)).toEqual(['earth_tested']);
    expect(missingChecklistItems(items, ['meter_sealed', 'earth_tested'])).toEqual([]);
  });

  it('spots ticks that belong to no item', () => {
    expect(unknownChecklistKeys(items, ['meter_sealed', 'meter_seald'])).toEqual(['meter_seald']);
  });
});

describe('service-level clock', () => {
  it('takes the OCA field-service allowances by priority: 72 / 48 / 24 / 8 hours', () => {
    const table = slaHours.defaultValue;
    expect([slaHoursFor('low', table), slaHoursFor('normal', table), slaHoursFor('high', table), slaHoursFor('urgent', table)]).toEqual([72, 48, 24, 8]);
  });

  const base: SlaInput = {
    stage: 'scheduled',
    slaHours: 24,
    dueAt: slaDueAt('2026-03-02T08:00:00.000Z', 24, 0),
    pausedMs: 0,
    onHold: false,
    holdStartedAt: null,
    met: null,
    now: at('2026-03-02T20:00:00.000Z'),
    atRiskFraction: 0.25,
  };

  it('counts down from receipt: 12 of 24 hours used leaves 12, on track', () => {
    expect(slaStatus(base)).toMatchObject({ state: 'on_track', remainingHours: 12, dueAt: '2026-03-03T08:00:00.000Z' });
  });

  it('is at risk with less than a quarter left and breached past the deadline', () => {
    expect(slaStatus({ ...base, now: at('2026-03-03T03:00:00.000Z') })).toMatchObject({ state: 'at_risk', remainingHours: 5 });
    expect(slaStatus({ ...base, now: at('2026-03-03T10:30:00.000Z') })).toMatchObject({ state: 'breached', remainingHours: -2.5 });
  });

  it('stands still while on hold: the remaining time is frozen at the hold', () => {
    const held = { ...base, onHold: true, holdStartedAt: '2026-03-02T18:00:00.000Z' };
    // Three days later the order is still waiting on the customer: 14 hours are still left.
    expect(slaStatus({ ...held, now: at('2026-03-05T18:00:00.000Z') })).toMatchObject({ state: 'paused', remainingHours: 14, dueAt: null, pausedHours: 72 });
  });

  it('moves the deadline by the time on hold once resumed', () => {
    // On hold 18:00 → next day 06:00 (12 h): the deadline moves from 08:00 to 20:00.
    const resumed = { ...base, pausedMs: 12 * 3_600_000, dueAt: slaDueAt('2026-03-02T08:00:00.000Z', 24, 12 * 3_600_000) };
    expect(resumed.dueAt).toBe('2026-03-03T20:00:00.000Z');
    expect(slaStatus({ ...resumed, now: at('2026-03-03T10:00:00.000Z') })).toMatchObject({ state: 'on_track', remainingHours: 10, pausedHours: 12 });
  });

  it('keeps a breach that happened before the hold', () => {
    const held = { ...base, onHold: true, holdStartedAt: '2026-03-03T09:00:00.000Z', now: at('2026-03-04T09:00:00.000Z') };
    expect(slaStatus(held).state).toBe('breached');
  });

  it('is settled at commissioning and has no clock once cancelled', () => {
    expect(slaStatus({ ...base, stage: 'commissioned', met: true })).toMatchObject({ state: 'met', remainingHours: null });
    expect(slaStatus({ ...base, stage: 'closed', met: false })).toMatchObject({ state: 'breached' });
    expect(slaStatus({ ...base, stage: 'cancelled' })).toMatchObject({ state: 'none', remainingHours: null });
  });
});

describe('time per stage', () => {
  it('leaves time on hold out of the stage it happened in', () => {
    expect(workingMs(0, 10_000, [{ from: new Date(2_000).toISOString(), to: new Date(5_000).toISOString() }], 20_000)).toBe(7_000);
    expect(workingMs(0, 10_000, [{ from: new Date(8_000).toISOString(), to: null }], 9_000)).toBe(9_000);
  });

  it('adds up a stage entered twice and runs the current stage until now', () => {
    const durations = stageDurations(
      [
        { stage: 'requested', at: '2026-03-02T08:00:00.000Z' },
        { stage: 'surveyed', at: '2026-03-02T10:00:00.000Z' },
        { stage: 'surveyed', at: '2026-03-02T11:00:00.000Z' },
        { stage: 'approved', at: '2026-03-02T14:00:00.000Z' },
      ],
      [{ from: '2026-03-02T15:00:00.000Z', to: '2026-03-02T17:00:00.000Z' }],
      at('2026-03-02T18:00:00.000Z'),
    );
    expect(durations).toEqual([
      { stage: 'requested', hours: 2, current: false },
      { stage: 'surveyed', hours: 4, current: false },
      { stage: 'approved', hours: 2, current: true },
    ]);
  });
});

describe('commissioning', () => {
  it('opens an account with a meter and its initial read for a new connection', () => {
    expect(commissioningPlan('new_connection', false)).toEqual({
      openAccount: true,
      removeMeter: false,
      installMeter: true,
      accountStatus: 'active',
      moveAddress: false,
    });
  });

  it('swaps the meter on an upgrade or relocation, takes it off on a disconnection', () => {
    expect(commissioningPlan('upgrade', true)).toMatchObject({ removeMeter: true, installMeter: true });
    expect(commissioningPlan('relocation', true)).toMatchObject({ removeMeter: true, installMeter: true, moveAddress: true });
    expect(commissioningPlan('disconnection', true)).toMatchObject({ removeMeter: true, installMeter: false, accountStatus: 'inactive' });
    expect(commissioningPlan('reconnection', false)).toMatchObject({ removeMeter: false, installMeter: true, accountStatus: 'active' });
  });

  it('asks for the reads and the route the plan needs', () => {
    expect(commissioningMissing(commissioningPlan('new_connection', false), {}).map((m) => m.path)).toEqual(['initialRead', 'routeId']);
    expect(commissioningMissing(commissioningPlan('upgrade', true), { initialRead: 0 }).map((m) => m.path)).toEqual(['removalRead']);
    expect(commissioningMissing(commissioningPlan('disconnection', true), { removalRead: 4120 })).toEqual([]);
  });
});

it('numbers orders SO-000001 onwards', () => {
  expect(orderNumber(42)).toBe('SO-000042');
});
