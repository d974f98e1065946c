import type { Allowance } from '../../../../src-shared/contracts/home-services/subscriptions';
import { ruleViolation } from '../../../../src-shared/errors';
import type { SqliteDb } from '../../../core/db/store';
import type { Ctx } from '../../../core/rpc/context';
import { newId } from '../../../core/util/ids';
import { localDateOf } from '../../../reporting/periods';
import { sqlAll, sqlGet, sqlRun } from '../../energy/billing/sql';
import { issueInvoice, lastDay, SUBSCRIPTION_ENTITY } from './billing';
import { findVersionRow, versionServiceIds } from './queries';
import { allowanceVerdict, periodContaining, type Period } from './rules';
import type { HsPlanVersionsTable, HsSubscriptionsTable } from './tables';

/**
 * Included visits per period, where scheduling and visits meet subscription billing: the booking
 * guard (beyond the allowance a plan charges or refuses), the allowance query screens show, and
 * the count kept when a visit completes (with the charge for a visit beyond the allowance).
 */

interface Coverage {
  sub: HsSubscriptionsTable;
  version: HsPlanVersionsTable;
  planName: string;
  period: Period;
}

const SERVICE_STATUSES = `('requested', 'confirmed', 'rescheduled', 'completed')`;

/**
 * The customer's subscription whose plan covers `serviceId` on `date`, with the period that date
 * falls in. Paused and cancelled subscriptions cover nothing; a date after a cancellation at the
 * period end is not covered either.
 */
export function coverageOn(db: SqliteDb, customerId: string, serviceId: string, date: string, statuses: readonly string[] = ['active', 'suspended']): Coverage | null {
  const subs = sqlAll<HsSubscriptionsTable & { plan_name: string }>(
    db,
    `SELECT s.*, p.name AS plan_name FROM hs_subscriptions s JOIN hs_plans p ON p.id = s.plan_id
     WHERE s.customer_id = ? AND s.status IN (SELECT value FROM json_each(?)) ORDER BY s.created_at`,
    customerId,
    JSON.stringify(statuses),
  );
  for (const sub of subs) {
    if (!versionServiceIds(db, sub.plan_version_id).includes(serviceId)) continue;
    const period = periodContaining({ start: sub.period_start, end: sub.period_end }, sub.billing_period, sub.bill_cycle_day, date);
    if (!period) continue;
    if (sub.cancel_at_period_end === 1 && period.start >= sub.period_end) continue;
    return { sub, version: findVersionRow(db, sub.plan_version_id)!, planName: sub.plan_name, period };
  }
  return null;
}

/** Visits of the plan's services booked (or done) for the customer in the period. */
function visitsTaken(db: SqliteDb, coverage: Coverage): number {
  return sqlGet<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM hs_appointments WHERE customer_id = ? AND status IN ${SERVICE_STATUSES} AND local_date >= ? AND local_date < ?
       AND service_id IN (SELECT service_id FROM hs_plan_version_services WHERE plan_version_id = ?)`,
    coverage.sub.customer_id,
    coverage.period.start,
    coverage.period.end,
    coverage.version.id,
  )!.n;
}

/** What booking one more visit of `serviceId` on `date` would do for the customer. */
export function allowanceFor(db: SqliteDb, customerId: string, serviceId: string, date: string): Allowance {
  const paused = coverageOn(db, customerId, serviceId, date, ['paused']);
  const coverage = coverageOn(db, customerId, serviceId, date);
  if (!coverage) {
    return {
      covered: false,
      subscriptionId: paused?.sub.id ?? null,
      subscriptionNo: paused?.sub.subscription_no ?? null,
      planName: paused?.planName ?? null,
      periodStart: null,
      periodEnd: null,
      included: 0,
      taken: 0,
      left: 0,
      overAllowance: null,
      verdict: 'not_covered',
      message: paused ? `${paused.sub.subscription_no} is paused: visits are not included until it resumes` : 'No subscription covers this service on that date',
    };
  }
  const { sub, version, period } = coverage;
  const taken = visitsTaken(db, coverage);
  const verdict = allowanceVerdict(version.included_visits, taken, 1, version.over_allowance);
  const base = {
    covered: true,
    subscriptionId: sub.id,
    subscriptionNo: sub.subscription_no,
    planName: coverage.planName,
    periodStart: period.start,
    periodEnd: lastDay(period),
    included: version.included_visits,
    taken,
    left: verdict.left,
    overAllowance: version.over_allowance,
  };
  const span = `${period.start} to ${lastDay(period)}`;
  if (sub.status === 'suspended') {
    return { ...base, verdict: 'refused', message: `${sub.subscription_no} is suspended for unpaid invoices: take payment at the counter to restore it` };
  }
  if (verdict.included > 0) return { ...base, verdict: 'included', message: `Included: ${verdict.left} of ${version.included_visits} visits left for ${span}` };
  if (verdict.refused) {
    return {
      ...base,
      verdict: 'refused',
      message: `${coverage.planName} includes ${version.included_visits} visit${version.included_visits === 1 ? '' : 's'} per period and ${taken} ${taken === 1 ? 'is' : 'are'} already booked for ${span}; book from ${period.end}`,
    };
  }
  return { ...base, verdict: 'charged', message: `Beyond the ${version.included_visits} included visits for ${span}: this visit will be charged` };
}

/**
 * The booking guard scheduling calls before it writes a booking (events.ts `beforeBooking`).
 * A suspended subscription refuses bookings of its services; a plan that refuses visits beyond
 * its allowance refuses the one too many. Scheduling calls it for every occurrence of a series,
 * each after the earlier ones were written, so a series counts in every period it reaches.
 */
export function guardBooking(ctx: Ctx, booking: { customerId: string; serviceId: string; startsAt: string }): void {
  const date = localDateOf(booking.startsAt, ctx.branch.timeZone);
  const verdict = allowanceFor(ctx.db, booking.customerId, booking.serviceId, date);
  if (verdict.verdict !== 'refused') return;
  const suspended = coverageOn(ctx.db, booking.customerId, booking.serviceId, date)?.sub.status === 'suspended';
  throw ruleViolation(suspended ? 'subscription.suspended' : 'subscription.allowanceUsed', verdict.message, { subscriptionNo: verdict.subscriptionNo });
}

export type VisitCount = { outcome: 'included' | 'beyond'; coverage: Coverage } | { outcome: 'not_covered' };

/** Counts a completed visit against the included visits of its period (once per appointment). */
export function countIncludedVisit(ctx: Ctx, visit: { customerId: string; serviceId: string; appointmentId: string; visitId: string; date: string }): VisitCount {
  const coverage = coverageOn(ctx.db, visit.customerId, visit.serviceId, visit.date);
  if (!coverage) return { outcome: 'not_covered' };
  const counted = sqlGet<{ outcome: string }>(ctx.db, 'SELECT outcome FROM hs_subscription_visits WHERE appointment_id = ?', visit.appointmentId);
  if (counted) return { outcome: counted.outcome === 'included' ? 'included' : 'beyond', coverage };
  const included = sqlGet<{ n: number }>(
    ctx.db,
    `SELECT count(*) AS n FROM hs_subscription_visits WHERE subscription_id = ? AND period_start = ? AND outcome = 'included'`,
    coverage.sub.id,
    coverage.period.start,
  )!.n;
  if (included >= coverage.version.included_visits) return { outcome: 'beyond', coverage };
  recordVisit(ctx, coverage, visit, 'included', null);
  return { outcome: 'included', coverage };
}

function recordVisit(
  ctx: Ctx,
  coverage: Coverage,
  visit: { serviceId: string; appointmentId: string; visitId: string },
  outcome: 'included' | 'charged',
  invoiceId: string | null,
): void {
  sqlRun(
    ctx.db,
    `INSERT INTO hs_subscription_visits (id, branch_id, subscription_id, period_start, appointment_id, visit_id, service_id, outcome, invoice_id, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    newId(),
    ctx.branch.id,
    coverage.sub.id,
    coverage.period.start,
    visit.appointmentId,
    visit.visitId,
    visit.serviceId,
    outcome,
    invoiceId,
    ctx.nowIso,
  );
  ctx.audit({
    entity: SUBSCRIPTION_ENTITY,
    entityId: coverage.sub.id,
    action: outcome === 'included' ? 'included visit used' : 'visit beyond the allowance charged',
    after: { appointmentId: visit.appointmentId, periodStart: coverage.period.start, invoiceId },
  });
}

/** A visit beyond the allowance (and not paid by a package): invoiced at the plan's overage price or the booked price. */
export function chargeOverage(
  ctx: Ctx,
  coverage: Coverage,
  visit: { serviceId: string; appointmentId: string; visitId: string; appointmentNumber: string; bookedPriceMinor: number },
): void {
  const price = coverage.version.overage_price_minor ?? visit.bookedPriceMinor;
  const service = sqlGet<{ name: string }>(ctx.db, 'SELECT name FROM hs_services WHERE id = ?', visit.serviceId)!;
  const invoice = issueInvoice(ctx, coverage.sub, 'overage', coverage.period, [
    { description: `${service.name} (${visit.appointmentNumber}) beyond the ${coverage.version.included_visits} included visits`, amountMinor: price },
  ]);
  recordVisit(ctx, coverage, visit, 'charged', invoice.id);
}
