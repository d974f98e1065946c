import type { Reading } from '../../../../src-shared/contracts/energy/meter-readings';
import { sqlGet, sqlRun } from '../../../core/db/store';
import type { Ctx } from '../../../core/rpc/context';
import { newId } from '../../../core/util/ids';
import { findAccount, findReading, meterChain, meterOnAccount, toMeter, usageHistory, type MeterOnAccount } from '../meter-readings/queries';
import { runVee, shiftYears, trailingEstimates } from '../meter-readings/rules';
import { ENTITY } from '../meter-readings/service';
import { veeSettings } from '../meter-readings/settings';
import type { MeterReadingsTable } from '../meter-readings/tables';

/**
 * The account, meter and reading writes commissioning makes, inside the caller's transaction.
 * Meter reading logging owns these tables; it exports its reads and rules but not its writers, so
 * this is the minimal equivalent of its `insertMeter` / `insertReading` / account insert, writing
 * exactly the rows `energy.meters.create` and `energy.meters.exchange` write (an install read that
 * billing measures from; a removal read checked by VEE like any other read), and journalling them
 * under the same entity names so the meter's and account's audit trails show them.
 */

export function nextAccountNo(ctx: Ctx): string {
  const row = sqlGet<{ n: number | null }>(
    ctx.db,
    `SELECT max(CAST(substr(account_no, 5) AS INTEGER)) AS n FROM accounts WHERE account_no LIKE 'ACC-%'`,
  );
  return `ACC-${Math.max(10_000, row?.n ?? 0) + 1}`;
}

export const accountNoTaken = (ctx: Ctx, accountNo: string): boolean => Boolean(sqlGet(ctx.db, 'SELECT 1 FROM accounts WHERE account_no = ?', accountNo));

export const meterSerialTaken = (ctx: Ctx, serial: string): boolean => Boolean(sqlGet(ctx.db, 'SELECT 1 FROM meters WHERE serial = ?', serial));

/** The end of the route's walk, leaving room to slot meters in between later. */
function nextSequence(ctx: Ctx, routeId: string): number {
  const row = sqlGet<{ s: number | null }>(ctx.db, 'SELECT max(sequence) AS s FROM accounts WHERE route_id = ?', routeId);
  return (row?.s ?? 0) + 10;
}

export function openAccount(
  ctx: Ctx,
  a: { accountNo: string; name: string; phone: string | null; address: string; routeId: string; sequence?: number; category: string },
  reason: string,
): string {
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO accounts (id, branch_id, account_no, name, phone, address, route_id, sequence, status, category, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, 0, ?, ?)`,
    id,
    ctx.branch.id,
    a.accountNo,
    a.name,
    a.phone,
    a.address,
    a.routeId,
    a.sequence ?? nextSequence(ctx, a.routeId),
    a.category.toLowerCase(),
    ctx.nowIso,
    ctx.nowIso,
  );
  ctx.audit({ entity: ENTITY.account, entityId: id, action: 'created', after: findAccount(ctx.db, id), reason });
  return id;
}

export function updateAccount(ctx: Ctx, accountId: string, change: { status?: 'active' | 'inactive'; address?: string }, reason: string): void {
  const before = findAccount(ctx.db, accountId)!;
  const status = change.status ?? before.status;
  const address = change.address ?? before.address;
  if (status === before.status && address === before.address) return;
  sqlRun(
    ctx.db,
    'UPDATE accounts SET status = ?, address = ?, version = version + 1, updated_at = ? WHERE id = ?',
    status,
    address,
    ctx.nowIso,
    accountId,
  );
  ctx.audit({ entity: ENTITY.account, entityId: accountId, action: 'updated', before, after: findAccount(ctx.db, accountId), reason });
}

const INSERT_READING = `INSERT INTO meter_readings (id, branch_id, meter_id, account_id, route_id, register, value, original_value,
  read_date, read_type, purpose, skip_code, remark, consumption, previous_reading_id, previous_value, previous_read_date,
  status, resolution, exceptions_json, review_reason, reviewed_by, reviewed_at, reader_id, source, version, created_at, updated_at)
  VALUES (@id, @branch_id, @meter_id, @account_id, @route_id, '1', @value, NULL, @read_date, 'actual', @purpose, NULL, @remark,
  @consumption, @previous_reading_id, @previous_value, @previous_read_date, @status, NULL, @exceptions_json, NULL, NULL, NULL,
  @reader_id, 'manual', 0, @created_at, @created_at)`;

function insertRead(
  ctx: Ctx,
  target: MeterOnAccount,
  read: Pick<MeterReadingsTable, 'value' | 'read_date' | 'purpose' | 'remark' | 'consumption' | 'previous_reading_id' | 'previous_value' | 'previous_read_date' | 'status' | 'exceptions_json'>,
): Reading {
  const id = newId();
  sqlRun(ctx.db, INSERT_READING, {
    ...read,
    id,
    branch_id: ctx.branch.id,
    meter_id: target.meter.id,
    account_id: target.account.id,
    route_id: target.account.route_id,
    reader_id: ctx.user().userId,
    created_at: ctx.nowIso,
  });
  const reading = findReading(ctx.db, id)!;
  ctx.audit({ entity: ENTITY.reading, entityId: id, action: 'created', after: reading, reason: read.remark });
  return reading;
}

/** Puts a meter up on the account with its install read: the read the next billing run measures from. */
export function installMeter(
  ctx: Ctx,
  m: { accountId: string; serial: string; dials: number; multiplier: number; installedOn: string; initialRead: number },
  reason: string,
): { meterId: string; reading: Reading } {
  const meterId = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO meters (id, branch_id, serial, dials, multiplier, account_id, status, installed_on, removed_on, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'installed', ?, NULL, 0, ?, ?)`,
    meterId,
    ctx.branch.id,
    m.serial,
    m.dials,
    m.multiplier,
    m.accountId,
    m.installedOn,
    ctx.nowIso,
    ctx.nowIso,
  );
  const target = meterOnAccount(ctx.db, meterId)!;
  ctx.audit({ entity: ENTITY.meter, entityId: meterId, action: 'installed', after: toMeter(target.meter), reason });
  const reading = insertRead(ctx, target, {
    value: m.initialRead,
    read_date: m.installedOn,
    purpose: 'install',
    remark: reason,
    consumption: 0,
    previous_reading_id: null,
    previous_value: null,
    previous_read_date: null,
    status: 'posted',
    exceptions_json: '[]',
  });
  return { meterId, reading };
}

/**
 * Takes the meter off with its removal read. VEE runs on that read as on any other (as in a meter
 * exchange): a strange final read is saved with its exceptions and waits in the review queue.
 */
export function removeMeter(ctx: Ctx, target: MeterOnAccount, removedOn: string, removalRead: number, reason: string): Reading {
  const settings = veeSettings(ctx.settings);
  const chain = meterChain(ctx.db, target.meter.id, Math.max(1, settings.maxConsecutiveEstimates + 1));
  const previous = chain[0] ?? null;
  const earliest = previous && previous.read_date < removedOn ? previous.read_date : removedOn;
  const outcome = runVee({
    register: { dials: target.meter.dials, multiplier: target.meter.multiplier },
    accountActive: target.account.status === 'active',
    readDate: removedOn,
    readType: 'actual',
    value: removalRead,
    previous: previous && { value: previous.value, readDate: previous.read_date },
    history: usageHistory(ctx.db, target.account.id, shiftYears(earliest, -1), removedOn),
    trailingEstimates: trailingEstimates(chain.map((r) => ({ readType: r.read_type }))),
    settings,
  });
  const reading = insertRead(ctx, target, {
    value: outcome.value,
    read_date: removedOn,
    purpose: 'removal',
    remark: reason,
    consumption: outcome.consumption,
    previous_reading_id: previous?.id ?? null,
    previous_value: previous?.value ?? null,
    previous_read_date: previous?.read_date ?? null,
    status: outcome.exceptions.length ? 'exception' : 'posted',
    exceptions_json: JSON.stringify(outcome.exceptions),
  });
  const before = toMeter(target.meter);
  sqlRun(
    ctx.db,
    `UPDATE meters SET status = 'removed', removed_on = ?, version = version + 1, updated_at = ? WHERE id = ?`,
    removedOn,
    ctx.nowIso,
    target.meter.id,
  );
  ctx.audit({ entity: ENTITY.meter, entityId: target.meter.id, action: 'removed', before, after: toMeter(meterOnAccount(ctx.db, target.meter.id)!.meter), reason });
  return reading;
}

/** The meter on the wall of an account, if any. */
export function installedMeterOf(ctx: Ctx, accountId: string): MeterOnAccount | undefined {
  const row = sqlGet<{ id: string }>(ctx.db, `SELECT id FROM meters WHERE account_id = ? AND status = 'installed'`, accountId);
  return row ? meterOnAccount(ctx.db, row.id) : undefined;
}
