import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { AppError, conflict, notFound, ruleViolation } from '../../../../src-shared/errors';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import * as C from '../../../../src-shared/contracts/energy/meter-readings';
import type { ReadType, Reading } from '../../../../src-shared/contracts/energy/meter-readings';
import { sqlGet, sqlRun } from '../../../core/db/store';
import { newId } from '../../../core/util/ids';
import type { Ctx } from '../../../core/rpc/context';
import type { GateRequest, Registry } from '../../../core/rpc/registry';
import type { JobRunners } from '../../../core/jobs/types';
import { localDateOf } from '../../../reporting/periods';
import {
  findAccount,
  findMeter,
  findMeterBySerial,
  findReading,
  findReadingRow,
  findRoute,
  listAccounts,
  listReadings,
  listRoutes,
  meterChain,
  meterHistory,
  meterOnAccount,
  regularReadOn,
  routeStops,
  toMeter,
  toReading,
  usageHistory,
  veeFacts,
  type ChainRead,
  type MeterOnAccount,
} from './queries';
import { averageDailyUse, consumptionBetween, expectedRange, runVee, shiftYears, trailingEstimates, type UsageInterval, type VeeOutcome } from './rules';
import { veeSettings } from './settings';
import type { MeterReadingsTable } from './tables';
import { runImport, IMPORT_JOB, decodeUpload } from './import';
import { buildReport, runExport, EXPORT_JOB, checkRange } from './reports';

/** Audit entity names: the audit viewer and the detail screens' audit tabs filter by these. */
export const ENTITY = { route: 'route', account: 'account', meter: 'meter', reading: 'meterReading' } as const;

/** Readings beside one reading: two years of monthly reads, enough to see the seasons twice. */
const HISTORY_ON_DETAIL = 24;
/** A meter's whole life on its detail chart: twenty years of monthly reads. */
const HISTORY_OF_METER = 240;

type Input<T extends ProcedureContract> = z.output<T['input']>;

/**
 * What the journal keeps of a reading: its own facts, without the names joined in for display
 * (those live on their own records). Smaller images keep the hash chain cheap on imports.
 */
function auditImage(reading: Reading) {
  const { meterSerial: _s, accountNo: _n, accountName: _a, routeCode: _r, readerName: _u, ...image } = reading;
  return image;
}

const fieldIssue = (rule: string, path: string, message: string) => ruleViolation(rule, message, { issues: [{ path, message }] });

/* ---------------- VEE against the store ---------------- */

interface Evaluation {
  outcome: VeeOutcome;
  previous: ChainRead | null;
}

/**
 * Loads what the rules need and runs them. `upTo` re-runs VEE as things stood at an earlier read
 * (a correction): undefined means "after the latest read", null means "there was no earlier read".
 */
function evaluate(
  ctx: Ctx,
  target: MeterOnAccount,
  entry: { readDate: string; readType: ReadType; value: number | null },
  upTo?: { readDate: string; id: string } | null,
): Evaluation {
  const settings = veeSettings(ctx.settings);
  const chainLength = Math.max(1, settings.maxConsecutiveEstimates + 1);
  let chain: ChainRead[];
  let history: UsageInterval[];
  if (upTo === undefined) {
    ({ chain, history } = veeFacts(ctx.db, target.meter.id, target.account.id, entry.readDate, chainLength));
  } else {
    chain = upTo === null ? [] : meterChain(ctx.db, target.meter.id, chainLength, upTo);
    const earliest = chain[0] && chain[0].read_date < entry.readDate ? chain[0].read_date : entry.readDate;
    history = usageHistory(ctx.db, target.account.id, shiftYears(earliest, -1), entry.readDate);
  }
  const previous = chain[0] ?? null;
  const outcome = runVee({
    register: { dials: target.meter.dials, multiplier: target.meter.multiplier },
    accountActive: target.account.status === 'active',
    readDate: entry.readDate,
    readType: entry.readType,
    value: entry.value,
    previous: previous && { value: previous.value, readDate: previous.read_date },
    history,
    trailingEstimates: trailingEstimates(chain.map((r) => ({ readType: r.read_type }))),
    settings,
  });
  return { outcome, previous };
}

function requireTarget(ctx: Ctx, meterId: string): MeterOnAccount {
  const target = meterOnAccount(ctx.db, meterId);
  if (!target) throw notFound('Meter', meterId);
  if (target.meter.status !== 'installed') {
    throw ruleViolation('reading.meterRemoved', `Meter ${target.meter.serial} was removed on ${target.meter.removed_on}; read the meter that replaced it`);
  }
  return target;
}

const INSERT_READING = `INSERT INTO meter_readings (id, branch_id, meter_id, account_id, route_id, register, value, original_value,
  read_date, read_type, purpose, skip_code, remark, consumption, previous_reading_id, previous_value, previous_read_date,
  status, resolution, exceptions_json, review_reason, reviewed_by, reviewed_at, reader_id, source, version, created_at, updated_at)
  VALUES (@id, @branch_id, @meter_id, @account_id, @route_id, @register, @value, @original_value, @read_date, @read_type,
  @purpose, @skip_code, @remark, @consumption, @previous_reading_id, @previous_value, @previous_read_date, @status, @resolution,
  @exceptions_json, @review_reason, @reviewed_by, @reviewed_at, @reader_id, @source, @version, @created_at, @updated_at)`;

function insertReading(
  ctx: Ctx,
  target: MeterOnAccount,
  read: {
    readDate: string;
    purpose: MeterReadingsTable['purpose'];
    source: MeterReadingsTable['source'];
    outcome: Pick<VeeOutcome, 'value' | 'readType' | 'consumption' | 'exceptions'>;
    previous: ChainRead | null;
    skipCode?: string;
    remark?: string;
  },
): Reading {
  const row: MeterReadingsTable = {
    id: newId(),
    branch_id: ctx.branch.id,
    meter_id: target.meter.id,
    account_id: target.account.id,
    route_id: target.account.route_id,
    register: '1',
    value: read.outcome.value,
    original_value: null,
    read_date: read.readDate,
    read_type: read.outcome.readType,
    purpose: read.purpose,
    skip_code: read.skipCode ?? null,
    remark: read.remark || null,
    consumption: read.outcome.consumption,
    previous_reading_id: read.previous?.id ?? null,
    previous_value: read.previous?.value ?? null,
    previous_read_date: read.previous?.read_date ?? null,
    status: read.outcome.exceptions.length ? 'exception' : 'posted',
    resolution: null,
    exceptions_json: JSON.stringify(read.outcome.exceptions),
    review_reason: null,
    reviewed_by: null,
    reviewed_at: null,
    reader_id: ctx.user().userId,
    source: read.source,
    version: 0,
    created_at: ctx.nowIso,
    updated_at: ctx.nowIso,
  };
  sqlRun(ctx.db, INSERT_READING, row);
  // Everything the answer shows is at hand; reading it back would cost the import a query a row.
  return toReading({
    ...row,
    meter_serial: target.meter.serial,
    account_no: target.account.account_no,
    account_name: target.account.name,
    route_code: target.routeCode,
    reader_name: ctx.user().displayName,
  });
}

function insertInstallRead(ctx: Ctx, target: MeterOnAccount, readDate: string, value: number): Reading {
  return insertReading(ctx, target, {
    readDate,
    purpose: 'install',
    source: 'manual',
    outcome: { value, readType: 'actual', consumption: 0, exceptions: [] },
    previous: null,
  });
}

/* ---------------- master data ---------------- */

function createRoute(ctx: Ctx, input: Input<typeof C.routesCreate>) {
  if (sqlGet(ctx.db, 'SELECT 1 FROM routes WHERE code = ?', input.code)) {
    throw fieldIssue('route.codeTaken', 'code', `There is already a route ${input.code}`);
  }
  const id = newId();
  sqlRun(
    ctx.db,
    'INSERT INTO routes (id, branch_id, code, name, version, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)',
    id,
    ctx.branch.id,
    input.code,
    input.name,
    ctx.nowIso,
    ctx.nowIso,
  );
  const after = listRoutes(ctx.db, localDateOf(ctx.now, ctx.branch.timeZone), id)[0]!;
  ctx.audit({ entity: ENTITY.route, entityId: id, action: 'created', after });
  return after;
}

/** Only the name changes: the code is how route sheets, imports and reports name the route. */
function updateRoute(ctx: Ctx, input: Input<typeof C.routesUpdate>) {
  const today = localDateOf(ctx.now, ctx.branch.timeZone);
  const before = listRoutes(ctx.db, today, input.id)[0];
  if (!before) throw notFound('Route', input.id);
  if (before.version !== input.version) throw conflict(`Someone changed route ${before.code} meanwhile; reload and try again`);
  sqlRun(ctx.db, 'UPDATE routes SET name = ?, version = version + 1, updated_at = ? WHERE id = ?', input.name, ctx.nowIso, input.id);
  const after = listRoutes(ctx.db, today, input.id)[0]!;
  ctx.audit({ entity: ENTITY.route, entityId: input.id, action: 'updated', before, after });
  return after;
}

function createAccount(ctx: Ctx, input: Input<typeof C.accountsCreate>) {
  if (!findRoute(ctx.db, input.routeId)) throw fieldIssue('account.unknownRoute', 'routeId', 'Pick an existing route');
  if (sqlGet(ctx.db, 'SELECT 1 FROM accounts WHERE account_no = ?', input.accountNo)) {
    throw fieldIssue('account.numberTaken', 'accountNo', `Account number ${input.accountNo} is already in use`);
  }
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO accounts (id, branch_id, account_no, name, phone, address, route_id, sequence, status, category, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
    id,
    ctx.branch.id,
    input.accountNo,
    input.name,
    input.phone || null,
    input.address,
    input.routeId,
    input.sequence,
    input.status,
    // One spelling per category, or reports would split "Residential" from "residential".
    input.category.toLowerCase(),
    ctx.nowIso,
    ctx.nowIso,
  );
  const after = findAccount(ctx.db, id)!;
  ctx.audit({ entity: ENTITY.account, entityId: id, action: 'created', after });
  return after;
}

/**
 * Readings already taken keep the route and account they were read on (reports group by those as
 * they were), so moving an account to another route or stop changes only the walks to come.
 */
function updateAccount(ctx: Ctx, input: Input<typeof C.accountsUpdate>) {
  const before = findAccount(ctx.db, input.id);
  if (!before) throw notFound('Account', input.id);
  if (before.version !== input.version) throw conflict(`Someone changed account ${before.accountNo} meanwhile; reload and try again`);
  if (!findRoute(ctx.db, input.routeId)) throw fieldIssue('account.unknownRoute', 'routeId', 'Pick an existing route');
  sqlRun(
    ctx.db,
    `UPDATE accounts SET name = ?, phone = ?, address = ?, route_id = ?, sequence = ?, category = ?, status = ?,
       version = version + 1, updated_at = ? WHERE id = ?`,
    input.name,
    input.phone || null,
    input.address,
    input.routeId,
    input.sequence,
    input.category.toLowerCase(),
    input.status,
    ctx.nowIso,
    input.id,
  );
  const after = findAccount(ctx.db, input.id)!;
  ctx.audit({ entity: ENTITY.account, entityId: input.id, action: 'updated', before, after });
  return after;
}

function requireFreeSerial(ctx: Ctx, serial: string, path: string): void {
  if (findMeterBySerial(ctx.db, serial)) throw fieldIssue('meter.serialTaken', path, `A meter with serial ${serial} already exists`);
}

function requireFitsDials(value: number, dials: number, path: string): void {
  if (value >= 10 ** dials) {
    throw new AppError('VALIDATION', `${path}: A ${dials}-dial register cannot show ${value}`, {
      issues: [{ path, message: `A ${dials}-dial register shows at most ${10 ** dials - 1}` }],
    });
  }
}

function insertMeter(ctx: Ctx, m: { serial: string; dials: number; multiplier: number; accountId: string; installedOn: string }): string {
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO meters (id, branch_id, serial, dials, multiplier, account_id, status, installed_on, removed_on, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'installed', ?, NULL, 0, ?, ?)`,
    id,
    ctx.branch.id,
    m.serial,
    m.dials,
    m.multiplier,
    m.accountId,
    m.installedOn,
    ctx.nowIso,
    ctx.nowIso,
  );
  return id;
}

function createMeter(ctx: Ctx, input: Input<typeof C.metersCreate>) {
  const account = findAccount(ctx.db, input.accountId);
  if (!account) throw notFound('Account', input.accountId);
  if (account.meterId) {
    throw fieldIssue('meter.accountHasMeter', 'accountId', `Account ${account.accountNo} already has meter ${account.meterSerial}; exchange it instead`);
  }
  requireFreeSerial(ctx, input.serial, 'serial');
  requireFitsDials(input.initialRead, input.dials, 'initialRead');
  const id = insertMeter(ctx, { ...input, installedOn: input.installedOn });
  const target = meterOnAccount(ctx.db, id)!;
  const installRead = insertInstallRead(ctx, target, input.installedOn, input.initialRead);
  const after = toMeter(findMeter(ctx.db, id)!);
  ctx.audit({ entity: ENTITY.meter, entityId: id, action: 'installed', after });
  ctx.audit({ entity: ENTITY.reading, entityId: installRead.id, action: 'created', after: auditImage(installRead) });
  return after;
}

/**
 * Meter exchange: the removal read closes the old meter (VEE runs on it like on any read, so a
 * strange last read still waits for review), the install read opens the new one. Consumption is
 * never measured across the two registers.
 */
function exchangeMeter(ctx: Ctx, input: Input<typeof C.metersExchange>) {
  const old = findMeter(ctx.db, input.meterId);
  if (!old) throw notFound('Meter', input.meterId);
  if (old.version !== input.version) throw conflict('Someone changed this meter meanwhile; reload and try again');
  const target = requireTarget(ctx, old.id);
  requireFitsDials(input.removalRead, old.dials, 'removalRead');
  requireFitsDials(input.installRead, input.newDials, 'installRead');
  requireFreeSerial(ctx, input.newSerial, 'newSerial');
  if (input.exchangeDate < old.installed_on) {
    throw fieldIssue('meter.exchangeBeforeInstall', 'exchangeDate', `Meter ${old.serial} was only installed on ${old.installed_on}`);
  }

  const { outcome, previous } = evaluate(ctx, target, { readDate: input.exchangeDate, readType: 'actual', value: input.removalRead });
  const removalRead = insertReading(ctx, target, {
    readDate: input.exchangeDate,
    purpose: 'removal',
    source: 'manual',
    outcome,
    previous,
    remark: input.reason,
  });
  const before = toMeter(old);
  sqlRun(
    ctx.db,
    `UPDATE meters SET status = 'removed', removed_on = ?, version = version + 1, updated_at = ? WHERE id = ?`,
    input.exchangeDate,
    ctx.nowIso,
    old.id,
  );
  const oldMeter = toMeter(findMeter(ctx.db, old.id)!);
  const replacementId = insertMeter(ctx, {
    serial: input.newSerial,
    dials: input.newDials,
    multiplier: input.newMultiplier,
    accountId: target.account.id,
    installedOn: input.exchangeDate,
  });
  const newTarget = meterOnAccount(ctx.db, replacementId)!;
  const installRead = insertInstallRead(ctx, newTarget, input.exchangeDate, input.installRead);
  const newMeter = toMeter(newTarget.meter);

  ctx.audit({ entity: ENTITY.reading, entityId: removalRead.id, action: 'created', after: auditImage(removalRead), reason: input.reason });
  ctx.audit({ entity: ENTITY.meter, entityId: old.id, action: 'removed', before, after: oldMeter, reason: input.reason });
  ctx.audit({ entity: ENTITY.meter, entityId: newMeter.id, action: 'installed', after: newMeter, reason: input.reason });
  ctx.audit({ entity: ENTITY.reading, entityId: installRead.id, action: 'created', after: auditImage(installRead), reason: input.reason });
  return { oldMeter, newMeter };
}

/* ---------------- readings ---------------- */

function previewReading(ctx: Ctx, input: Input<typeof C.readingsPreview>) {
  const target = requireTarget(ctx, input.meterId);
  if (input.value !== undefined) requireFitsDials(input.value, target.meter.dials, 'value');
  const { outcome, previous } = evaluate(ctx, target, { readDate: input.readDate, readType: input.readType, value: input.value ?? null });
  if (!previous) throw ruleViolation('reading.noBaseline', `Meter ${target.meter.serial} has no install read to measure from`);
  return {
    consumption: outcome.consumption,
    value: outcome.value,
    estimated: outcome.estimated,
    exceptions: outcome.exceptions,
    expected: outcome.expected,
  };
}

function createReading(ctx: Ctx, input: Input<typeof C.readingsCreate>): Reading {
  const target = requireTarget(ctx, input.meterId);
  if (input.value !== undefined) requireFitsDials(input.value, target.meter.dials, 'value');
  const existing = regularReadOn(ctx.db, target.meter.id, input.readDate);
  if (existing) {
    // The import counts on this answer to stay idempotent: a re-imported row is a duplicate, not an error.
    throw ruleViolation('reading.duplicate', `Meter ${target.meter.serial} already has a reading for ${input.readDate}`, { readingId: existing.id });
  }
  const skipped = input.value === undefined;
  const { outcome, previous } = evaluate(ctx, target, { readDate: input.readDate, readType: input.readType, value: input.value ?? null });
  if (!previous) throw ruleViolation('reading.noBaseline', `Meter ${target.meter.serial} has no install read to measure from`);
  const reading = insertReading(ctx, target, {
    readDate: input.readDate,
    purpose: 'regular',
    source: skipped ? 'estimate' : input.source,
    outcome,
    previous,
    skipCode: input.skipCode,
    remark: input.remark,
  });
  ctx.audit({ entity: ENTITY.reading, entityId: reading.id, action: 'created', after: auditImage(reading) });
  return reading;
}

function routeSheet(ctx: Ctx, input: Input<typeof C.routeSheet>) {
  const route = listRoutes(ctx.db, input.readDate, input.routeId)[0];
  if (!route) throw notFound('Route', input.routeId);
  const settings = veeSettings(ctx.settings);
  const rows = routeStops(ctx.db, input.routeId).map((stop) => {
    const current = regularReadOn(ctx.db, stop.meter_id, input.readDate);
    // With a read already entered, show what it was measured from, not the read itself.
    const previous = current
      ? current.previous_reading_id
        ? findReadingRow(ctx.db, current.previous_reading_id)
        : undefined
      : meterChain(ctx.db, stop.meter_id, 1)[0];
    const register = { dials: stop.dials, multiplier: stop.multiplier };
    const dailyUse = averageDailyUse(usageHistory(ctx.db, stop.account_id, shiftYears(input.readDate, -1), input.readDate), input.readDate);
    return {
      meterId: stop.meter_id,
      serial: stop.serial,
      dials: stop.dials,
      multiplier: stop.multiplier,
      accountId: stop.account_id,
      accountNo: stop.account_no,
      accountName: stop.account_name,
      address: stop.address,
      accountActive: stop.account_status === 'active',
      sequence: stop.sequence,
      previousValue: previous?.value ?? null,
      previousReadDate: previous?.read_date ?? null,
      previousReadType: previous?.read_type ?? null,
      expected: previous ? expectedRange({ value: previous.value, readDate: previous.read_date }, input.readDate, dailyUse, register, settings) : null,
      current: current ? findReading(ctx.db, current.id)! : null,
    };
  });
  return { route, rows };
}

function getReading(ctx: Ctx, id: string) {
  const reading = findReading(ctx.db, id);
  if (!reading) throw notFound('Reading', id);
  return { reading, history: meterHistory(ctx.db, reading.meterId, HISTORY_ON_DETAIL) };
}

/* ---------------- review ---------------- */

function reviewable(ctx: Ctx, input: { id: string; version: number }): MeterReadingsTable {
  const row = findReadingRow(ctx.db, input.id);
  if (!row) throw notFound('Reading', input.id);
  if (row.status !== 'exception') {
    throw ruleViolation('reading.notInReview', `This reading is ${row.status}; only readings with exceptions are reviewed`);
  }
  if (row.version !== input.version) throw conflict('Someone reviewed or changed this reading meanwhile; reload it');
  return row;
}

/** Accepting a read that VEE flagged overrides the rules: a second person must agree. */
function reviewGate(ctx: Ctx, input: Input<typeof C.readingsReview>): GateRequest | null {
  if (input.action !== 'accept') return null;
  reviewable(ctx, input);
  const reading = findReading(ctx.db, input.id)!;
  const codes = reading.exceptions.map((e) => e.code).join(', ');
  return {
    summary: `Override meter reading exception ${codes} on meter ${reading.meterSerial} (account ${reading.accountNo}, ${reading.readDate}, value ${reading.value})`,
    entity: ENTITY.reading,
    entityId: reading.id,
    reason: input.reason,
  };
}

/**
 * A correction or a re-read changes what the next read of the meter was measured from: re-link
 * it and recompute its consumption. Its exceptions stay as VEE found them when it was entered.
 */
function relinkSuccessors(ctx: Ctx, row: MeterReadingsTable, newBase: { id: string; value: number; read_date: string } | null): void {
  const meter = findMeter(ctx.db, row.meter_id)!;
  const successors = sqlGet<{ ids: string | null }>(
    ctx.db,
    `SELECT group_concat(id) AS ids FROM meter_readings WHERE meter_id = ? AND previous_reading_id = ? AND status <> 'reread'`,
    row.meter_id,
    row.id,
  )?.ids;
  for (const nextId of successors ? successors.split(',') : []) {
    const next = findReadingRow(ctx.db, nextId)!;
    const before = { previousValue: next.previous_value, previousReadDate: next.previous_read_date, consumption: next.consumption };
    const consumption = newBase ? consumptionBetween(newBase.value, next.value, meter).units : 0;
    sqlRun(
      ctx.db,
      `UPDATE meter_readings SET previous_reading_id = ?, previous_value = ?, previous_read_date = ?, consumption = ?,
         version = version + 1, updated_at = ? WHERE id = ?`,
      newBase?.id ?? null,
      newBase?.value ?? null,
      newBase?.read_date ?? null,
      consumption,
      ctx.nowIso,
      next.id,
    );
    ctx.audit({
      entity: ENTITY.reading,
      entityId: next.id,
      action: 'remeasured',
      before,
      after: { previousValue: newBase?.value ?? null, previousReadDate: newBase?.read_date ?? null, consumption },
      reason: `Reading ${row.id} before it was ${row.status === 'reread' ? 'sent for re-reading' : 'corrected'}`,
    });
  }
}

function reviewReading(ctx: Ctx, input: Input<typeof C.readingsReview>): Reading {
  const row = reviewable(ctx, input);
  const before = findReading(ctx.db, row.id)!;
  const reviewer = ctx.user().userId;
  switch (input.action) {
    case 'accept':
      sqlRun(
        ctx.db,
        `UPDATE meter_readings SET status = 'posted', resolution = 'accepted', review_reason = ?, reviewed_by = ?, reviewed_at = ?,
           version = version + 1, updated_at = ? WHERE id = ?`,
        input.reason,
        reviewer,
        ctx.nowIso,
        ctx.nowIso,
        row.id,
      );
      break;
    case 'correct': {
      const target = meterOnAccount(ctx.db, row.meter_id)!;
      requireFitsDials(input.correctedValue!, target.meter.dials, 'correctedValue');
      const base = row.previous_reading_id ? findReadingRow(ctx.db, row.previous_reading_id) : undefined;
      const { outcome } = evaluate(
        ctx,
        target,
        { readDate: row.read_date, readType: row.read_type, value: input.correctedValue! },
        base ? { readDate: base.read_date, id: base.id } : null,
      );
      sqlRun(
        ctx.db,
        `UPDATE meter_readings SET original_value = COALESCE(original_value, value), value = ?, consumption = ?, exceptions_json = ?,
           status = ?, resolution = 'corrected', review_reason = ?, reviewed_by = ?, reviewed_at = ?, version = version + 1, updated_at = ?
         WHERE id = ?`,
        outcome.value,
        outcome.consumption,
        JSON.stringify(outcome.exceptions),
        // A corrected value that VEE still flags stays in review: correcting is no way around the override gate.
        outcome.exceptions.length ? 'exception' : 'posted',
        input.reason,
        reviewer,
        ctx.nowIso,
        ctx.nowIso,
        row.id,
      );
      relinkSuccessors(ctx, row, { id: row.id, value: outcome.value, read_date: row.read_date });
      break;
    }
    case 'reread': {
      sqlRun(
        ctx.db,
        `UPDATE meter_readings SET status = 'reread', review_reason = ?, reviewed_by = ?, reviewed_at = ?, version = version + 1, updated_at = ?
         WHERE id = ?`,
        input.reason,
        reviewer,
        ctx.nowIso,
        ctx.nowIso,
        row.id,
      );
      const base = row.previous_reading_id ? findReadingRow(ctx.db, row.previous_reading_id) : undefined;
      relinkSuccessors(ctx, { ...row, status: 'reread' }, base ?? null);
      break;
    }
  }
  const after = findReading(ctx.db, row.id)!;
  const action = { accept: 'exception overridden', correct: 'corrected', reread: 'sent for re-reading' }[input.action];
  ctx.audit({ entity: ENTITY.reading, entityId: row.id, action, before: auditImage(before), after: auditImage(after), reason: input.reason });
  return after;
}

/* ---------------- import and export requests ---------------- */

function requestImport(ctx: Ctx, input: Input<typeof C.readingsImport>) {
  const bytes = decodeUpload(input.fileName, input.contentBase64);
  const jobId = ctx.jobs.start(IMPORT_JOB, `Import ${input.fileName}`, { fileName: input.fileName, contentBase64: input.contentBase64 });
  ctx.audit({
    entity: 'meterReadingImport',
    entityId: jobId,
    action: 'import requested',
    after: { fileName: input.fileName, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
  });
  return { jobId };
}

function requestExport(ctx: Ctx, input: Input<typeof C.readingsExport>) {
  checkRange(input);
  const jobId = ctx.jobs.start(EXPORT_JOB, `Meter readings ${input.from} – ${input.to} (${input.format.toUpperCase()})`, input);
  ctx.audit({ entity: 'meterReadingExport', entityId: jobId, action: 'export requested', after: input });
  return { jobId };
}

/* ---------------- registration ---------------- */

export function registerMeterReadings(registry: Registry, jobs: JobRunners): void {
  registry
    .add(C.routesList, (ctx, input) => listRoutes(ctx.db, input.readDate ?? localDateOf(ctx.now, ctx.branch.timeZone)))
    .add(C.routesCreate, createRoute)
    .add(C.routesUpdate, updateRoute)
    .add(C.accountsList, (ctx, input) => listAccounts(ctx.db, input))
    .add(C.accountsCreate, createAccount)
    .add(C.accountsUpdate, updateAccount)
    .add(C.metersCreate, createMeter)
    .add(C.metersGet, (ctx, input) => {
      const meter = findMeter(ctx.db, input.id);
      if (!meter) throw notFound('Meter', input.id);
      return {
        meter: toMeter(meter),
        account: meter.account_id ? (findAccount(ctx.db, meter.account_id) ?? null) : null,
        history: meterHistory(ctx.db, meter.id, HISTORY_OF_METER),
      };
    })
    .add(C.metersExchange, exchangeMeter)
    .add(C.readingsPreview, previewReading)
    .add(C.readingsCreate, createReading)
    .add(C.routeSheet, routeSheet)
    .add(C.readingsList, (ctx, input) => listReadings(ctx.db, input))
    .add(C.readingsGet, (ctx, input) => getReading(ctx, input.id))
    .add(C.readingsReview, reviewReading, { gate: reviewGate })
    .add(C.readingsImport, requestImport)
    .add(C.readingsReport, (ctx, input) => buildReport(ctx.db, ctx.branch, input))
    .add(C.readingsExport, requestExport);
  jobs.set(IMPORT_JOB, runImport);
  jobs.set(EXPORT_JOB, runExport);
}
