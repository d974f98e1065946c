import { localDateOf } from '../../../reporting/periods';
import { beforeBooking, onAppointmentCancelled, onAppointmentNoShow, onVisitCompleted } from '../events';
import { chargeOverage, countIncludedVisit, guardBooking } from '../subscriptions/allowance';
import { redeemSession } from './redemption';

/**
 * How package and subscription billing follow the field work, inside the field call's own
 * transaction (src-main/modules/home-services/events.ts):
 *
 * - a completed visit is paid by, in this order: an included visit of the customer's
 *   subscription (those expire with the period), a package session (closest to expiry first),
 *   or an invoice for a visit beyond the subscription's allowance;
 * - a late cancellation or a no-show costs a package session where the package's terms say so;
 * - a booking beyond a subscription's allowance is refused when the plan says so, and any booking
 *   of a suspended subscription's services is refused.
 *
 * Keyed subscriptions: calling this again (every process registers modules) replaces, never adds.
 */
export function subscribeToFieldEvents(): void {
  onVisitCompleted('homeServices.packagesAndSubscriptions.visitCompleted', (ctx, visit) => {
    const date = localDateOf(visit.checkOutAt, ctx.branch.timeZone);
    const counted = countIncludedVisit(ctx, { customerId: visit.customerId, serviceId: visit.serviceId, appointmentId: visit.appointmentId, visitId: visit.visitId, date });
    if (counted.outcome === 'included') return;
    const redeemed = redeemSession(ctx, {
      customerId: visit.customerId,
      serviceId: visit.serviceId,
      appointmentId: visit.appointmentId,
      visitId: visit.visitId,
      date,
      reason: 'visit',
    });
    if (redeemed.outcome === 'redeemed' || counted.outcome !== 'beyond') return;
    chargeOverage(ctx, counted.coverage, {
      serviceId: visit.serviceId,
      appointmentId: visit.appointmentId,
      visitId: visit.visitId,
      appointmentNumber: visit.appointmentNumber,
      bookedPriceMinor: visit.priceMinor,
    });
  });

  onAppointmentCancelled('homeServices.packages.lateCancellation', (ctx, cancelled) => {
    if (!cancelled.late) return;
    redeemSession(ctx, {
      customerId: cancelled.customerId,
      serviceId: cancelled.serviceId,
      appointmentId: cancelled.appointmentId,
      visitId: null,
      date: localDateOf(cancelled.scheduledStart, ctx.branch.timeZone),
      reason: 'late_cancel',
    });
  });

  onAppointmentNoShow('homeServices.packages.noShow', (ctx, noShow) => {
    redeemSession(ctx, {
      customerId: noShow.customerId,
      serviceId: noShow.serviceId,
      appointmentId: noShow.appointmentId,
      visitId: null,
      date: localDateOf(noShow.scheduledStart, ctx.branch.timeZone),
      reason: 'no_show',
    });
  });

  beforeBooking('homeServices.subscriptions.allowance', (ctx, booking) => guardBooking(ctx, booking));
}
