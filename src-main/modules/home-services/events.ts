import type { Ctx } from '../../core/rpc/context';
import type { Priority } from '../../../src-shared/contracts/home-services/common';
import type { Channel } from '../../../src-shared/contracts/home-services/scheduling';

/**
 * What the field functions tell the rest of the app, inside the transaction that did it.
 *
 * Service package billing redeems a session when a visit completes (and, where its terms say so,
 * for a late cancellation or a no-show); subscription billing counts included visits. They
 * subscribe here instead of reaching into our tables:
 *
 *   onVisitCompleted('packages.redeem', (ctx, event) => { ... });
 *
 * Listeners run synchronously inside the completing call's write transaction with its `ctx`, so
 * what they write (and audit with `ctx.audit`) commits or rolls back together with the visit. A
 * listener that throws aborts the whole call — only do that for a rule that must stop it; a
 * redemption that is merely refused (package expired) should record the refusal instead.
 *
 * Subscriptions are keyed: subscribing again under the same key replaces the listener, so a
 * module that registers in every process (app, job workers, tests) never ends up subscribed twice.
 *
 * `beforeBooking` guards run before a booking is written (subscription allowances: refuse with
 * `ruleViolation` when a plan allows no more visits this period).
 */

export interface VisitCompleted {
  visitId: string;
  jobId: string;
  appointmentId: string;
  appointmentNumber: string;
  customerId: string;
  customerNo: string;
  serviceId: string;
  serviceSku: string;
  serviceCategory: string;
  /** The booked price, minor units (frozen when booked). */
  priceMinor: number;
  technicianId: string;
  scheduledStart: string;
  checkInAt: string;
  checkOutAt: string;
  /** false when the technician recorded that another visit is needed. */
  firstTimeRight: boolean;
  seriesId: string | null;
  /** True when a supervisor recorded a missed visit as having taken place. */
  viaCorrection: boolean;
}

export interface AppointmentClosed {
  appointmentId: string;
  appointmentNumber: string;
  customerId: string;
  customerNo: string;
  serviceId: string;
  serviceSku: string;
  priceMinor: number;
  scheduledStart: string;
  closedAt: string;
  reasonCode: string | null;
}

/** A cancellation; `late` when inside the late-cancellation window (billing may charge it). */
export interface AppointmentCancelled extends AppointmentClosed {
  late: boolean;
}

export type AppointmentNoShow = AppointmentClosed;

export interface BookingRequested {
  customerId: string;
  serviceId: string;
  serviceSku: string;
  startsAt: string;
  channel: Channel;
  priority: Priority;
  /** Occurrences being booked at once (a recurring series books several). */
  occurrences: number;
}

interface Events {
  visitCompleted: VisitCompleted;
  appointmentCancelled: AppointmentCancelled;
  appointmentNoShow: AppointmentNoShow;
  beforeBooking: BookingRequested;
}

export type Listener<E> = (ctx: Ctx, event: E) => void;

const listeners: { [K in keyof Events]: Map<string, Listener<Events[K]>> } = {
  visitCompleted: new Map(),
  appointmentCancelled: new Map(),
  appointmentNoShow: new Map(),
  beforeBooking: new Map(),
};

function subscribe<K extends keyof Events>(event: K, key: string, listener: Listener<Events[K]>): () => void {
  listeners[event].set(key, listener);
  return () => {
    if (listeners[event].get(key) === listener) listeners[event].delete(key);
  };
}

export const onVisitCompleted = (key: string, listener: Listener<VisitCompleted>) => subscribe('visitCompleted', key, listener);
export const onAppointmentCancelled = (key: string, listener: Listener<AppointmentCancelled>) => subscribe('appointmentCancelled', key, listener);
export const onAppointmentNoShow = (key: string, listener: Listener<AppointmentNoShow>) => subscribe('appointmentNoShow', key, listener);
export const beforeBooking = (key: string, guard: Listener<BookingRequested>) => subscribe('beforeBooking', key, guard);

/** Calls every listener of `event` in subscription order; for the field functions' own use. */
export function publish<K extends keyof Events>(ctx: Ctx, event: K, payload: Events[K]): void {
  for (const listener of listeners[event].values()) listener(ctx, payload);
}
