import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Reading } from '../../src-shared/contracts/energy/meter-readings';
import { sqlGet } from '../../src-main/core/db/store';
import { openTestApp, type TestApp } from '../support/app';

/*
 * Meter reading logging through the real pipeline on a real store: master data, every VEE rule of
 * DOMAIN.md saved as an exception with the reading kept, the supervisor's review (with the
 * override gate), lists and the report.
 */

/*
 * One store for the file (seeding users costs seconds of password hashing); every test works on
 * its own route, accounts and meters. Tests that change settings or the time zone open their own.
 */
let shared: TestApp;
let t: TestApp;
beforeAll(() => {
  shared = openTestApp();
});
afterAll(async () => {
  await shared.close();
});
beforeEach(() => {
  t = shared;
  routeId = undefined;
});

async function withOwnApp(options: Parameters<typeof openTestApp>[0], body: () => void): Promise<void> {
  t = openTestApp(options);
  try {
    body();
  } finally {
    await t.close();
    t = shared;
  }
}

type Page = { rows: Reading[]; nextCursor: string | null; total: number; totals: { consumption: number; exceptions: number } };

const auditCount = () => sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM audit_events')!.n;

let serialNo = 0;
let routeNo = 0;
let routeId: string | undefined;

/** A meter on its own account, installed with `install` and then read on each [date, value] in turn. */
function meterWith(options: { dials?: number; multiplier?: number; install: [string, number]; reads?: [string, number][]; active?: boolean; category?: string }) {
  routeNo += routeId ? 0 : 1;
  routeId ??= t.ok<{ id: string }>('admin', 'energy.routes.create', { code: `R${routeNo}`, name: `Route ${routeNo}` }).id;
  serialNo += 1;
  const account = t.ok<{ id: string }>('admin', 'energy.accounts.create', {
    accountNo: `ACC-${serialNo}`,
    name: `Customer ${serialNo}`,
    address: `${serialNo} River Street`,
    routeId,
    sequence: serialNo * 10,
    status: options.active === false ? 'inactive' : 'active',
    category: options.category ?? 'residential',
  });
  const meter = t.ok<{ id: string; version: number; serial: string }>('admin', 'energy.meters.create', {
    serial: `MTR-${serialNo}`,
    dials: options.dials ?? 5,
    multiplier: options.multiplier ?? 1,
    accountId: account.id,
    installedOn: options.install[0],
    initialRead: options.install[1],
  });
  for (const [readDate, value] of options.reads ?? []) {
    const r = t.ok<Reading>('reader', 'energy.meterReadings.create', { meterId: meter.id, readDate, value });
    expect(r.status).toBe('posted');
  }
  return { meterId: meter.id, accountId: account.id, serial: meter.serial, version: meter.version };
}

/** Previous read 5,000 on 2024-02-01 after 30 days of 10 a day: 300 expected by 2024-03-02. */
const ccnbMeter = (active = true) => meterWith({ install: ['2024-01-02', 4_700], reads: [['2024-02-01', 5_000]], active });

const read = (meterId: string, readDate: string, value?: number, extra: Record<string, unknown> = {}) =>
  t.call('reader', 'energy.meterReadings.create', { meterId, readDate, ...(value === undefined ? {} : { value }), ...extra });

const created = (meterId: string, readDate: string, value?: number, extra: Record<string, unknown> = {}): Reading => {
  const r = read(meterId, readDate, value, extra);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as Reading;
};

const codes = (r: Reading) => r.exceptions.map((e) => e.code);

describe('master data', () => {
  it('creates routes, accounts and meters, storing the install read as the first reading', () => {
    const m = meterWith({ install: ['2024-01-02', 4_700] });
    const got = t.ok<{ meter: { status: string; installedOn: string }; account: { meterId: string; status: string }; history: Reading[] }>(
      'reader',
      'energy.meters.get',
      { id: m.meterId },
    );
    expect(got.meter).toMatchObject({ status: 'installed', installedOn: '2024-01-02' });
    expect(got.account).toMatchObject({ meterId: m.meterId, status: 'active' });
    expect(got.history).toEqual([expect.objectContaining({ purpose: 'install', value: 4_700, consumption: 0, status: 'posted' })]);
  });

  it('refuses a second route code, a taken serial and a second meter on one account, naming the field', () => {
    const m = meterWith({ install: ['2024-01-02', 0] });
    expect(t.call('admin', 'energy.routes.create', { code: `r${routeNo}`, name: 'Again' })).toMatchObject({
      ok: false,
      error: { code: 'RULE_VIOLATION', details: { rule: 'route.codeTaken', issues: [{ path: 'code' }] } },
    });
    const other = t.ok<{ id: string }>('admin', 'energy.accounts.create', { accountNo: `X-${serialNo}`, name: 'Other', address: '2 Hill Road', routeId, sequence: 5 });
    expect(
      t.call('admin', 'energy.meters.create', { serial: m.serial, dials: 5, accountId: other.id, installedOn: '2024-01-02', initialRead: 0 }),
    ).toMatchObject({ ok: false, error: { code: 'RULE_VIOLATION', details: { rule: 'meter.serialTaken', issues: [{ path: 'serial' }] } } });
    expect(
      t.call('admin', 'energy.meters.create', { serial: `NEW-${serialNo}`, dials: 5, accountId: m.accountId, installedOn: '2024-01-02', initialRead: 0 }),
    ).toMatchObject({ ok: false, error: { code: 'RULE_VIOLATION', details: { rule: 'meter.accountHasMeter' } } });
    expect(
      t.call('admin', 'energy.meters.create', { serial: `NEW-${serialNo}-4`, dials: 4, accountId: other.id, installedOn: '2024-01-02', initialRead: 10_000 }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'initialRead' }] } } });
  });

  it('finds accounts by number, name or meter serial, in walking order on a route', () => {
    meterWith({ install: ['2024-01-02', 0] });
    meterWith({ install: ['2024-01-02', 0] });
    const m3 = meterWith({ install: ['2024-01-02', 0] });
    const bySerial = t.ok<{ rows: { accountNo: string }[]; total: number }>('reader', 'energy.accounts.list', { search: m3.serial });
    expect(bySerial.rows.map((r) => r.accountNo)).toEqual([`ACC-${serialNo}`]);
    const first = t.ok<{ rows: { sequence: number }[]; nextCursor: string | null; total: number }>('reader', 'energy.accounts.list', { routeId, limit: 2 });
    expect(first.total).toBe(3);
    const second = t.ok<{ rows: { sequence: number }[]; nextCursor: string | null }>('reader', 'energy.accounts.list', { routeId, limit: 2, cursor: first.nextCursor! });
    expect([...first.rows, ...second.rows].map((r) => r.sequence)).toEqual([...first.rows, ...second.rows].map((r) => r.sequence).sort((a, b) => a - b));
    expect(second.nextCursor).toBeNull();
  });

  it('edits an account and moves it to another route: later reads follow it, earlier ones keep their route', () => {
    const m = meterWith({ install: ['2024-01-02', 1_000], reads: [['2024-02-01', 1_300]] });
    const oldRoute = routeId!;
    const account = t.ok<{ rows: Account[] }>('reader', 'energy.accounts.list', { search: m.serial }).rows[0]!;
    const newRoute = t.ok<{ id: string; code: string }>('admin', 'energy.routes.create', { code: `N${serialNo}`, name: 'Hill side' });
    const edit = { id: account.id, version: account.version, name: 'Thandi Mokoena', phone: '082 555 0101', address: '7 Hill Road', routeId: newRoute.id, sequence: 40, category: 'Commercial', status: 'active' };

    expect(t.call('reader', 'energy.accounts.update', edit)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(t.call('admin', 'energy.accounts.update', { ...edit, address: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'address' }] } } });
    const updated = t.ok<Account>('admin', 'energy.accounts.update', edit);
    expect(updated).toMatchObject({ accountNo: account.accountNo, name: 'Thandi Mokoena', phone: '082 555 0101', routeCode: newRoute.code, sequence: 40, category: 'commercial', version: account.version + 1 });
    // The form still held the old version: a second save of it would overwrite the first unseen.
    expect(t.call('admin', 'energy.accounts.update', { ...edit, name: 'Someone else' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    const history = t.ok<{ rows: { action: string; before: Account | null; after: Account }[] }>('admin', 'audit.list', { entity: 'account', entityId: account.id });
    expect(history.rows[0]).toMatchObject({ action: 'updated', before: { name: account.name, routeId: oldRoute }, after: { name: 'Thandi Mokoena', routeId: newRoute.id } });

    const march = created(m.meterId, '2024-03-02', 1_600);
    const readings = t.ok<{ rows: Reading[] }>('reader', 'energy.meterReadings.list', { meterId: m.meterId, limit: 10 }).rows;
    expect(readings.find((r) => r.id === march.id)?.routeId).toBe(newRoute.id);
    expect(readings.find((r) => r.readDate === '2024-02-01')?.routeId).toBe(oldRoute);
  });

  it('renames a route, keeping its code, and refuses a stale rename', () => {
    const route = t.ok<{ id: string; code: string; version: number }>('admin', 'energy.routes.create', { code: `RN${serialNo}`, name: 'Riverside' });
    const renamed = t.ok<{ code: string; name: string; version: number }>('admin', 'energy.routes.update', { id: route.id, version: route.version, name: 'Riverside East' });
    expect(renamed).toMatchObject({ code: route.code, name: 'Riverside East', version: route.version + 1 });
    expect(t.call('admin', 'energy.routes.update', { id: route.id, version: route.version, name: 'Riverside West' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(t.call('admin', 'energy.routes.update', { id: route.id, version: renamed.version, code: 'X', name: 'Riverside West' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('VEE at entry: every exception is saved with its reading', () => {
  it('Oracle CC&B 0.5/2.0: previous 5,000 with 300 expected accepts 5,150–5,600 and flags 5,601 high and 5,149 low', () => {
    const m = ccnbMeter();
    const preview = t.ok<{ exceptions: unknown[]; expected: unknown; consumption: number }>('reader', 'energy.meterReadings.preview', {
      meterId: m.meterId,
      readDate: '2024-03-02',
      value: 5_600,
    });
    expect(preview).toMatchObject({ exceptions: [], consumption: 600, expected: { units: 300, days: 30, lowRead: 5_150, highRead: 5_600 } });
    expect(t.ok<{ exceptions: { code: string }[] }>('reader', 'energy.meterReadings.preview', { meterId: m.meterId, readDate: '2024-03-02', value: 5_150 }).exceptions).toEqual([]);

    const high = created(m.meterId, '2024-03-02', 5_601);
    expect(high).toMatchObject({ status: 'exception', value: 5_601, consumption: 601, previousValue: 5_000 });
    expect(codes(high)).toEqual(['HIGH_CONSUMPTION']);

    const low = created(ccnbMeter().meterId, '2024-03-02', 5_149);
    expect(low).toMatchObject({ status: 'exception', value: 5_149 });
    expect(codes(low)).toEqual(['LOW_CONSUMPTION']);

    expect(created(ccnbMeter().meterId, '2024-03-02', 5_400).status).toBe('posted');
  });

  it('SAP band −40%/+70% (settings 0.6/1.7): expected 80 accepts 48–136 units', async () => {
    await withOwnApp({}, () => {
    const settings = t.ok<{ key: string; version: number }[]>('admin', 'admin.settings.list', {});
    for (const [key, value] of [['vee.lowFactor', 0.6], ['vee.highFactor', 1.7]] as const) {
      t.ok('admin', 'admin.settings.update', { key, value, version: settings.find((s) => s.key === key)!.version });
    }
    // 10 units a day; 8 days later 80 are expected on top of 1,100.
    const meter = () => meterWith({ install: ['2024-01-01', 1_000], reads: [['2024-01-11', 1_100]] }).meterId;
    const preview = t.ok<{ expected: unknown }>('reader', 'energy.meterReadings.preview', { meterId: meter(), readDate: '2024-01-19', value: 1_180 });
    expect(preview.expected).toEqual({ units: 80, days: 8, lowRead: 1_148, highRead: 1_236 });
    expect(codes(created(meter(), '2024-01-19', 1_148))).toEqual([]);
    expect(codes(created(meter(), '2024-01-19', 1_236))).toEqual([]);
    expect(codes(created(meter(), '2024-01-19', 1_237))).toEqual(['HIGH_CONSUMPTION']);
    expect(codes(created(meter(), '2024-01-19', 1_147))).toEqual(['LOW_CONSUMPTION']);
    });
  });

  it('takes 99,986 → 11 on five dials as a 25-unit rollover for review', () => {
    const m = meterWith({ install: ['2024-01-01', 99_986] });
    const r = created(m.meterId, '2024-02-01', 11);
    expect(r).toMatchObject({ status: 'exception', consumption: 25, value: 11 });
    expect(codes(r)).toEqual(['ROLLOVER']);
  });

  it('flags a read below the previous one that is no rollover as negative consumption', () => {
    const m = meterWith({ install: ['2024-01-01', 50_000] });
    const r = created(m.meterId, '2024-02-01', 20_000);
    expect(r).toMatchObject({ status: 'exception', consumption: -30_000 });
    expect(codes(r)).toEqual(['NEGATIVE_CONSUMPTION']);
  });

  it('flags zero consumption on an active account, not on an inactive one', () => {
    expect(codes(created(ccnbMeter().meterId, '2024-03-02', 5_000))).toEqual(['ZERO_CONSUMPTION']);
    const vacant = meterWith({ install: ['2024-01-02', 4_700], reads: [['2024-02-01', 4_700]], active: false });
    expect(created(vacant.meterId, '2024-03-02', 4_700).status).toBe('posted');
  });

  it('flags a read dated on or before the previous read', () => {
    const r = created(ccnbMeter().meterId, '2024-01-20', 5_100);
    expect(codes(r)).toEqual(['READ_DATE_OUT_OF_ORDER']);
    expect(r).toMatchObject({ status: 'exception', previousReadDate: '2024-02-01' });
  });

  it('estimates skipped meters from average use, marked estimated, and flags the fourth estimate in a row', () => {
    const m = ccnbMeter();
    const dates = ['2024-03-02', '2024-04-01', '2024-05-01', '2024-05-31'];
    const estimates = dates.map((d) => created(m.meterId, d, undefined, { skipCode: 'locked' }));
    expect(estimates[0]).toMatchObject({ readType: 'estimated', source: 'estimate', skipCode: 'locked', value: 5_300, consumption: 300, status: 'posted' });
    expect(estimates.slice(0, 3).every((e) => e.status === 'posted')).toBe(true);
    expect(estimates[3]).toMatchObject({ status: 'exception', readType: 'estimated' });
    expect(codes(estimates[3]!)).toEqual(['CONSECUTIVE_ESTIMATES']);
  });

  it('estimates from the same period last year, scaled by days, even after a long gap', () => {
    // 20 a day from January to June 2023, then 10 a day: the average of the last year is 10 a day,
    // but last year's January–May is what a January–May estimate should follow.
    const m = meterWith({
      install: ['2023-01-01', 0],
      reads: [
        ['2023-02-01', 620], ['2023-03-01', 1_180], ['2023-04-01', 1_800], ['2023-05-01', 2_400], ['2023-06-01', 3_020],
        ['2023-07-01', 3_320], ['2023-08-01', 3_630], ['2023-09-01', 3_940], ['2023-10-01', 4_240], ['2023-11-01', 4_550],
        ['2023-12-01', 4_850], ['2024-01-01', 5_160],
      ],
    });
    // 3,020 units in last year's 151 days, over this year's 152 (2024 is a leap year).
    expect(created(m.meterId, '2024-06-01', undefined, { skipCode: 'no_access' })).toMatchObject({ value: 8_200, consumption: 3_040, readType: 'estimated' });
  });

  it('keeps one regular reading per meter and day: a second one is refused and writes nothing', () => {
    const m = ccnbMeter();
    const first = created(m.meterId, '2024-03-02', 5_300);
    const before = auditCount();
    expect(read(m.meterId, '2024-03-02', 5_301)).toMatchObject({
      ok: false,
      error: { code: 'RULE_VIOLATION', details: { rule: 'reading.duplicate', readingId: first.id } },
    });
    expect(auditCount()).toBe(before);
    expect(read(m.meterId, '2024-03-03', 100_000)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'value', message: 'A 5-dial register shows at most 99999' }] } },
    });
  });

  it('audits every reading in the same transaction, and lets readers enter but not review', () => {
    const m = ccnbMeter();
    const r = created(m.meterId, '2024-03-02', 5_601);
    const trail = t.ok<{ action: string; after: Reading }[]>('supervisor', 'audit.trail', { entity: 'meterReading', entityId: r.id });
    expect(trail).toEqual([expect.objectContaining({ action: 'created', after: expect.objectContaining({ value: 5_601, status: 'exception' }) })]);
    expect(t.call('reader', 'energy.meterReadings.review', { id: r.id, version: r.version, action: 'reread', reason: 'Read my own' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('supervisor review', () => {
  it('needs an approval to accept an exception as read, then runs it when a supervisor approves', () => {
    const r = created(ccnbMeter().meterId, '2024-03-02', 5_601);
    const asked = t.call('billing', 'energy.meterReadings.review', { id: r.id, version: r.version, action: 'accept', reason: 'Pool filled this month' });
    expect(asked).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    const approvalId = (asked as { ok: false; error: { details: { approvalId: string } } }).error.details.approvalId;
    expect(t.ok<{ reading: Reading }>('billing', 'energy.meterReadings.get', { id: r.id }).reading.status).toBe('exception');

    const waiting = t.ok<{ id: string; version: number; summary: string; entity: string; entityId: string }[]>('supervisor', 'approvals.list', { box: 'waiting' });
    const request = waiting.find((a) => a.id === approvalId)!;
    expect(request).toMatchObject({ entity: 'meterReading', entityId: r.id });
    expect(request.summary).toMatch(/^Override meter reading exception HIGH_CONSUMPTION/);
    expect(t.call('billing', 'approvals.decide', { id: approvalId, version: request.version, decision: 'approve', reason: 'Mine' })).toMatchObject({
      ok: false,
    });

    t.ok('supervisor', 'approvals.decide', { id: approvalId, version: request.version, decision: 'approve', reason: 'Confirmed with the customer' });
    const after = t.ok<{ reading: Reading }>('billing', 'energy.meterReadings.get', { id: r.id }).reading;
    expect(after).toMatchObject({ status: 'posted', resolution: 'accepted', reviewReason: 'Pool filled this month', value: 5_601, version: r.version + 1 });
    const trail = t.ok<{ action: string; approvalId: string | null }[]>('supervisor', 'audit.trail', { entity: 'meterReading', entityId: r.id });
    expect(trail.at(-1)).toMatchObject({ action: 'exception overridden', approvalId });
  });

  it('corrects a value with a reason, keeping the original, and re-runs VEE', () => {
    const r = created(ccnbMeter().meterId, '2024-03-02', 5_601);
    const corrected = t.ok<Reading>('billing', 'energy.meterReadings.review', {
      id: r.id,
      version: r.version,
      action: 'correct',
      correctedValue: 5_361,
      reason: 'Transposed digits',
    });
    expect(corrected).toMatchObject({
      status: 'posted',
      resolution: 'corrected',
      value: 5_361,
      originalValue: 5_601,
      consumption: 361,
      exceptions: [],
      reviewReason: 'Transposed digits',
    });

    const still = created(ccnbMeter().meterId, '2024-03-02', 5_601);
    const again = t.ok<Reading>('billing', 'energy.meterReadings.review', { id: still.id, version: still.version, action: 'correct', correctedValue: 5_900, reason: 'Typo' });
    expect(again).toMatchObject({ status: 'exception', resolution: 'corrected', originalValue: 5_601, value: 5_900 });
    expect(codes(again)).toEqual(['HIGH_CONSUMPTION']);
  });

  it('re-measures the next read when the one before it is corrected or sent for re-reading', () => {
    const m = ccnbMeter();
    const bad = created(m.meterId, '2024-03-02', 9_999);
    const next = created(m.meterId, '2024-04-01', 5_650);
    expect(next.previousValue).toBe(9_999);
    t.ok('billing', 'energy.meterReadings.review', { id: bad.id, version: bad.version, action: 'correct', correctedValue: 5_320, reason: 'Misread' });
    expect(t.ok<{ reading: Reading }>('reader', 'energy.meterReadings.get', { id: next.id }).reading).toMatchObject({
      previousValue: 5_320,
      consumption: 330,
    });

    const m2 = ccnbMeter();
    const wrong = created(m2.meterId, '2024-03-02', 9_999);
    const after = created(m2.meterId, '2024-04-01', 5_650);
    t.ok('billing', 'energy.meterReadings.review', { id: wrong.id, version: wrong.version, action: 'reread', reason: 'Meter not visible on photo' });
    expect(t.ok<{ reading: Reading }>('reader', 'energy.meterReadings.get', { id: after.id }).reading).toMatchObject({
      previousValue: 5_000,
      previousReadDate: '2024-02-01',
      consumption: 650,
    });
  });

  it('orders a re-read, which frees the day for the new reading', () => {
    const m = ccnbMeter();
    const r = created(m.meterId, '2024-03-02', 5_601);
    const sent = t.ok<Reading>('billing', 'energy.meterReadings.review', { id: r.id, version: r.version, action: 'reread', reason: 'Check the dials' });
    expect(sent).toMatchObject({ status: 'reread', reviewReason: 'Check the dials' });
    expect(created(m.meterId, '2024-03-02', 5_420)).toMatchObject({ status: 'posted', previousValue: 5_000 });
  });

  it('reviews only exceptions, and answers CONFLICT on a stale version', () => {
    const posted = created(ccnbMeter().meterId, '2024-03-02', 5_300);
    expect(t.call('billing', 'energy.meterReadings.review', { id: posted.id, version: posted.version, action: 'reread', reason: 'Why not' })).toMatchObject({
      ok: false,
      error: { code: 'RULE_VIOLATION', details: { rule: 'reading.notInReview' } },
    });
    const r = created(ccnbMeter().meterId, '2024-03-02', 5_601);
    t.ok('billing', 'energy.meterReadings.review', { id: r.id, version: r.version, action: 'correct', correctedValue: 5_900, reason: 'First try' });
    const before = auditCount();
    for (const action of ['accept', 'reread'] as const) {
      expect(t.call('billing', 'energy.meterReadings.review', { id: r.id, version: r.version, action, reason: 'Stale screen' })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT' },
      });
    }
    expect(auditCount()).toBe(before);
  });
});

describe('meter exchange', () => {
  it('closes the old meter with a removal read and opens the new one; consumption never spans both', () => {
    const m = ccnbMeter();
    const { oldMeter, newMeter } = t.ok<{ oldMeter: { status: string; removedOn: string }; newMeter: { id: string; status: string } }>(
      'billing',
      'energy.meters.exchange',
      {
        meterId: m.meterId,
        version: m.version,
        exchangeDate: '2024-02-20',
        removalRead: 5_190,
        newSerial: `NEW-${serialNo}-X`,
        newDials: 6,
        installRead: 7,
        reason: 'Display failed',
      },
    );
    expect(oldMeter).toMatchObject({ status: 'removed', removedOn: '2024-02-20' });
    expect(newMeter.status).toBe('installed');
    const old = t.ok<{ history: Reading[] }>('reader', 'energy.meters.get', { id: m.meterId });
    expect(old.history[0]).toMatchObject({ purpose: 'removal', value: 5_190, consumption: 190, status: 'posted' });
    expect(read(m.meterId, '2024-03-02', 5_300)).toMatchObject({ ok: false, error: { code: 'RULE_VIOLATION', details: { rule: 'reading.meterRemoved' } } });

    const first = created(newMeter.id, '2024-03-02', 107);
    expect(first).toMatchObject({ previousValue: 7, consumption: 100, accountId: m.accountId });
    // The account's history carries over: 10 a day expected, 100 in 11 days is fine.
    expect(first.status).toBe('posted');
    expect(
      t.call('billing', 'energy.meters.exchange', { meterId: m.meterId, version: m.version, exchangeDate: '2024-02-21', removalRead: 1, newSerial: `NEW-${serialNo}-Y`, newDials: 5, installRead: 0, reason: 'Again' }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});

describe('lists and detail', () => {
  it('pages by key, newest first, with totals over every matching reading and the review queue as a filter', () => {
    const m = ccnbMeter();
    created(m.meterId, '2024-03-02', 5_300);
    created(m.meterId, '2024-04-01', 5_900); // exactly twice the 300 expected: still acceptable
    created(m.meterId, '2024-05-01', 9_000);
    const all: Reading[] = [];
    let cursor: string | undefined;
    let first: Page | undefined;
    do {
      const page = t.ok<Page>('reader', 'energy.meterReadings.list', { meterId: m.meterId, limit: 2, ...(cursor ? { cursor } : {}) });
      first ??= page;
      all.push(...page.rows);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(all.map((r) => r.readDate)).toEqual(['2024-05-01', '2024-04-01', '2024-03-02', '2024-02-01', '2024-01-02']);
    expect(first!.total).toBe(5);
    expect(first!.totals.consumption).toBe(all.reduce((sum, r) => sum + r.consumption, 0));
    expect(first!.totals.exceptions).toBe(1);

    const queue = t.ok<Page>('supervisor', 'energy.meterReadings.list', { routeId, status: 'exception' });
    expect(queue.rows.map((r) => r.readDate)).toEqual(['2024-05-01']);
    expect(t.ok<Page>('supervisor', 'energy.meterReadings.list', { routeId, exception: 'HIGH_CONSUMPTION' }).total).toBe(1);
    expect(t.ok<Page>('supervisor', 'energy.meterReadings.list', { routeId, exception: 'ROLLOVER' }).total).toBe(0);
    expect(t.ok<Page>('supervisor', 'energy.meterReadings.list', { search: m.serial, from: '2024-03-01', to: '2024-04-30' }).total).toBe(2);
    expect(t.call('reader', 'energy.meterReadings.list', { cursor: 'not-a-cursor' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('shows a reading with its meter’s history and a route sheet in walking order with expected ranges', () => {
    const m1 = ccnbMeter();
    const m2 = ccnbMeter();
    const r = created(m1.meterId, '2024-03-02', 5_300);
    const detail = t.ok<{ reading: Reading; history: Reading[] }>('reader', 'energy.meterReadings.get', { id: r.id });
    expect(detail.history.map((h) => h.readDate)).toEqual(['2024-03-02', '2024-02-01', '2024-01-02']);

    const sheet = t.ok<{ route: { readCount: number; meterCount: number }; rows: { meterId: string; previousValue: number; expected: unknown; current: Reading | null }[] }>(
      'reader',
      'energy.meterReadings.routeSheet',
      { routeId, readDate: '2024-03-02' },
    );
    expect(sheet.route).toMatchObject({ meterCount: 2, readCount: 1 });
    expect(sheet.rows.map((row) => row.meterId)).toEqual([m1.meterId, m2.meterId]);
    expect(sheet.rows[0]).toMatchObject({ previousValue: 5_000, current: { id: r.id } });
    expect(sheet.rows[1]).toMatchObject({ previousValue: 5_000, current: null, expected: { lowRead: 5_150, highRead: 5_600 } });
  });

  it('counts a route’s progress over the meters on it now: each read meter once, a moved meter where it hangs, no re-read', () => {
    type RouteFigures = { id: string; meterCount: number; readCount: number; exceptionCount: number };
    const figures = (id: string) => t.ok<RouteFigures[]>('reader', 'energy.routes.list', { readDate: '2024-03-25' }).find((r) => r.id === id)!;
    const moving = ccnbMeter();
    const staying = ccnbMeter();
    const east = routeId!;
    routeId = undefined;
    const waiting = ccnbMeter();
    const west = routeId!;
    created(moving.meterId, '2024-03-02', 5_300);
    created(staying.meterId, '2024-03-02', 5_300);

    // The account moves west mid-month: its read of the 2nd was recorded on the east route.
    const account = t.ok<{ rows: Account[] }>('reader', 'energy.accounts.list', { search: moving.serial }).rows[0]!;
    const { id, version, name, address, sequence, category, status } = account;
    t.ok('admin', 'energy.accounts.update', { id, version, name, address, routeId: west, sequence, category, status });
    expect(figures(east)).toMatchObject({ meterCount: 1, readCount: 1 });
    expect(figures(west)).toMatchObject({ meterCount: 2, readCount: 1 });

    // A second read of the moved meter, now on the west route, is still one meter read.
    created(moving.meterId, '2024-03-20', 5_480);
    expect(figures(west)).toMatchObject({ meterCount: 2, readCount: 1 });

    // A read sent back for re-reading does not count until the re-read is in.
    const high = created(waiting.meterId, '2024-03-02', 5_601);
    expect(high.status).toBe('exception');
    expect(figures(west)).toMatchObject({ meterCount: 2, readCount: 2, exceptionCount: 1 });
    t.ok('billing', 'energy.meterReadings.review', { id: high.id, version: high.version, action: 'reread', reason: 'Check the dials' });
    expect(figures(west)).toMatchObject({ meterCount: 2, readCount: 1, exceptionCount: 0 });
    created(waiting.meterId, '2024-03-03', 5_310);
    expect(figures(west)).toMatchObject({ meterCount: 2, readCount: 2 });
    expect(figures(east)).toMatchObject({ meterCount: 1, readCount: 1, exceptionCount: 0 });
  });
});

describe('report', () => {
  type Report = { rows: { key: string; label: string; readings: number; consumption: number; exceptions: number }[]; totals: { readings: number; consumption: number } };

  it('buckets by day, week and month in the branch calendar across a daylight-saving change, totals adding up', async () => {
    // New York springs forward on Sunday 10 March 2024.
    await withOwnApp({ timeZone: 'America/New_York' }, () => {
    const a = meterWith({ install: ['2024-03-01', 1_000] });
    const b = meterWith({ install: ['2024-03-01', 2_000], category: 'commercial' });
    const reads: [string, string, number][] = [
      [a.meterId, '2024-03-09', 1_090],
      [b.meterId, '2024-03-10', 2_200],
      [a.meterId, '2024-03-11', 1_110],
      [b.meterId, '2024-03-31', 2_620],
      [a.meterId, '2024-04-01', 1_330],
    ];
    for (const [meterId, date, value] of reads) created(meterId, date, value);

    const sumOf = (rows: Report['rows']) => rows.reduce((s, r) => s + r.consumption, 0);
    const listed = t.ok<Page>('reader', 'energy.meterReadings.list', { from: '2024-03-02', to: '2024-04-07', limit: 500 });
    expect(listed.total).toBe(5);

    const daily = t.ok<Report>('reader', 'energy.meterReadings.report', { period: 'day', from: '2024-03-08', to: '2024-03-12' });
    expect(daily.rows.map((r) => [r.key, r.readings, r.consumption])).toEqual([
      ['2024-03-08', 0, 0],
      ['2024-03-09', 1, 90],
      ['2024-03-10', 1, 200],
      ['2024-03-11', 1, 20],
      ['2024-03-12', 0, 0],
    ]);

    const weekly = t.ok<Report>('reader', 'energy.meterReadings.report', { period: 'week', from: '2024-03-02', to: '2024-04-07' });
    // Weeks start on Monday (the branch default).
    expect(weekly.rows.map((r) => [r.key, r.readings, r.consumption])).toEqual([
      ['2024-02-26', 0, 0],
      ['2024-03-04', 2, 290],
      ['2024-03-11', 1, 20],
      ['2024-03-18', 0, 0],
      ['2024-03-25', 1, 420],
      ['2024-04-01', 1, 220],
    ]);
    expect(weekly.totals).toMatchObject({ readings: 5, consumption: listed.totals.consumption });
    expect(sumOf(weekly.rows)).toBe(weekly.totals.consumption);

    const monthly = t.ok<Report>('reader', 'energy.meterReadings.report', { period: 'month', from: '2024-03-01', to: '2024-04-30' });
    expect(monthly.rows.map((r) => [r.label, r.readings, r.consumption])).toEqual([
      ['March 2024', 4, 730],
      ['April 2024', 1, 220],
    ]);

    const byCategory = t.ok<Report>('reader', 'energy.meterReadings.report', { from: '2024-03-01', to: '2024-04-30', groupBy: 'category' });
    expect(byCategory.rows.map((r) => [r.label, r.consumption])).toEqual([
      ['commercial', 620],
      ['residential', 330],
    ]);
    expect(byCategory.totals.consumption).toBe(monthly.totals.consumption);
    expect(t.call('reader', 'energy.meterReadings.report', { from: '2020-01-01', to: '2024-03-01', period: 'day' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'to' }] } },
    });
    expect(t.call('reader', 'energy.meterReadings.report', { from: '2024-04-30', to: '2024-03-01' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'to' }] } },
    });
    });
  });
});
