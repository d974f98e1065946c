import { sqlGet, sqlRun } from '../../energy/billing/sql';
import type { Ctx } from '../../../core/rpc/context';
import { newId } from '../../../core/util/ids';
import { localDateOf } from '../../../reporting/periods';
import { creditLines, findHolding } from './queries';
import { chooseCredit, expiryOf, redemptionValue, type RedemptionChoice, type RedemptionReason } from './rules';
import type { HsPackageHoldingsTable } from './tables';

export const HOLDING_ENTITY = 'packageHolding';
export const REDEMPTION_ENTITY = 'packageRedemption';

export interface SessionToRedeem {
  customerId: string;
  serviceId: string;
  appointmentId: string;
  visitId: string | null;
  /** The branch-local day the session took place (or was lost): validity is judged on it. */
  date: string;
  reason: RedemptionReason;
}

export type RedemptionOutcome = { outcome: 'redeemed'; holdingId: string } | { outcome: 'refused'; rule: string; message: string } | { outcome: 'none' };

/**
 * Redeems one session for a completed visit (or a late cancellation / no-show the terms charge),
 * inside the caller's transaction: the credit closest to expiry pays. A refusal (expired, used up,
 * frozen) does not stop the visit: it is recorded with its message for the customer's record.
 * Delivered twice for one appointment, it redeems once.
 */
export function redeemSession(ctx: Ctx, session: SessionToRedeem): RedemptionOutcome {
  const already = sqlGet<{ holding_id: string }>(
    ctx.db,
    `SELECT holding_id FROM hs_package_redemptions WHERE appointment_id = ? AND outcome = 'redeemed'`,
    session.appointmentId,
  );
  if (already) return { outcome: 'redeemed', holdingId: already.holding_id };
  const choice: RedemptionChoice = chooseCredit(creditLines(ctx.db, session.customerId), session.serviceId, session.date, session.reason);
  if (choice.kind === 'none') return { outcome: 'none' };
  const today = localDateOf(ctx.now, ctx.branch.timeZone);
  const id = newId();
  if (choice.kind === 'refuse') {
    sqlRun(
      ctx.db,
      `INSERT INTO hs_package_redemptions (id, branch_id, outcome, reason, holding_id, balance_id, customer_id, service_id, appointment_id, visit_id,
         sessions, value_minor, refusal_rule, message, at, local_date)
       VALUES (?, ?, 'refused', ?, NULL, NULL, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?)`,
      id,
      ctx.branch.id,
      session.reason,
      session.customerId,
      session.serviceId,
      session.appointmentId,
      session.visitId,
      choice.rule,
      choice.message,
      ctx.nowIso,
      session.date,
    );
    ctx.audit({
      entity: REDEMPTION_ENTITY,
      entityId: id,
      action: 'refused',
      after: { appointmentId: session.appointmentId, holdingId: choice.line.holdingId, rule: choice.rule, message: choice.message },
    });
    return { outcome: 'refused', rule: choice.rule, message: choice.message };
  }

  const line = choice.line;
  const holding = sqlGet<HsPackageHoldingsTable>(ctx.db, 'SELECT * FROM hs_package_holdings WHERE id = ?', line.holdingId)!;
  const before = findHolding(ctx.db, holding.id, today)!;
  const value = redemptionValue(holding.price_minor, holding.sessions_total, holding.sessions_used);
  const firstUse = holding.first_used_on ?? session.date;
  const expires =
    holding.expires_on ?? expiryOf({ validityKind: holding.validity_kind, validityDays: holding.validity_days, validUntil: null }, holding.purchased_on, firstUse);
  const usedUp = holding.sessions_used + 1 >= holding.sessions_total;
  sqlRun(ctx.db, 'UPDATE hs_package_balances SET sessions_used = sessions_used + 1 WHERE id = ?', line.balanceId);
  sqlRun(
    ctx.db,
    `UPDATE hs_package_holdings SET sessions_used = sessions_used + 1, value_used_minor = value_used_minor + ?, first_used_on = ?, expires_on = ?,
       status = CASE WHEN ? THEN 'used_up' ELSE status END, closed_at = CASE WHEN ? THEN ? ELSE closed_at END, version = version + 1, updated_at = ?
     WHERE id = ?`,
    value,
    firstUse,
    expires,
    usedUp,
    usedUp,
    ctx.nowIso,
    ctx.nowIso,
    holding.id,
  );
  sqlRun(
    ctx.db,
    `INSERT INTO hs_package_redemptions (id, branch_id, outcome, reason, holding_id, balance_id, customer_id, service_id, appointment_id, visit_id,
       sessions, value_minor, refusal_rule, message, at, local_date)
     VALUES (?, ?, 'redeemed', ?, ?, ?, ?, ?, ?, ?, 1, ?, NULL, NULL, ?, ?)`,
    id,
    ctx.branch.id,
    session.reason,
    holding.id,
    line.balanceId,
    session.customerId,
    session.serviceId,
    session.appointmentId,
    session.visitId,
    value,
    ctx.nowIso,
    session.date,
  );
  ctx.audit({
    entity: HOLDING_ENTITY,
    entityId: holding.id,
    action: session.reason === 'visit' ? 'session redeemed' : session.reason === 'late_cancel' ? 'session used by a late cancellation' : 'session used by a no-show',
    before,
    after: { ...findHolding(ctx.db, holding.id, today)!, redemptionId: id, appointmentId: session.appointmentId, valueMinor: value },
  });
  return { outcome: 'redeemed', holdingId: holding.id };
}
