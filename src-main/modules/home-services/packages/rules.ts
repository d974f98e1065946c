import { addDays, daysBetween } from '../time';
import { divideRounded } from '../subscriptions/rules';

/**
 * Service package rules, pure: validity, which credit a redemption uses, refusals with the
 * reason a customer can understand, refunds, liability and breakage. Dates are branch-local
 * calendar dates (YYYY-MM-DD); "valid for N days" counts the first day, so a package bought on
 * 1 March and valid for 30 days can be used up to and including 30 March.
 *
 * Value: a package's price is spread evenly over its sessions. What N used sessions are worth is
 * `price × N ÷ total`, rounded once; a single redemption is worth the difference between the
 * value used after it and before it, so redemptions always add up to exactly the value used and a
 * package's liability (price − value used) reaches zero with its last session.
 */

export const VALIDITY_KINDS = ['days_from_purchase', 'days_from_first_use', 'fixed_date'] as const;
export type ValidityKind = (typeof VALIDITY_KINDS)[number];

export interface ValidityTerms {
  validityKind: ValidityKind;
  validityDays: number | null;
  validUntil: string | null;
}

/** The last day a package may be used, or null while a first-use package is still unused. */
export function expiryOf(terms: ValidityTerms, purchasedOn: string, firstUsedOn: string | null): string | null {
  switch (terms.validityKind) {
    case 'fixed_date':
      return terms.validUntil;
    case 'days_from_purchase':
      return addDays(purchasedOn, (terms.validityDays ?? 1) - 1);
    case 'days_from_first_use':
      return firstUsedOn === null ? null : addDays(firstUsedOn, (terms.validityDays ?? 1) - 1);
  }
}

/** Value of `sessions` of a package, rounded once. */
export const valueOfSessions = (priceMinor: number, sessionsTotal: number, sessions: number): number =>
  sessionsTotal <= 0 ? 0 : divideRounded(priceMinor * sessions, sessionsTotal);

/** What one more session is worth when `usedBefore` were used: the telescoping difference. */
export const redemptionValue = (priceMinor: number, sessionsTotal: number, usedBefore: number, sessions = 1): number =>
  valueOfSessions(priceMinor, sessionsTotal, usedBefore + sessions) - valueOfSessions(priceMinor, sessionsTotal, usedBefore);

/** Outstanding liability: what is still owed to the customer in sessions, at the package rate. */
export const liabilityOf = (priceMinor: number, sessionsTotal: number, sessionsConsumed: number): number =>
  priceMinor - valueOfSessions(priceMinor, sessionsTotal, sessionsConsumed);

/* ---------------- redemption ---------------- */

export interface CreditLine {
  holdingId: string;
  holdingNo: string;
  name: string;
  balanceId: string;
  /** null: a shared pool usable for any of the package's services. */
  serviceId: string | null;
  eligibleServiceIds: readonly string[];
  remaining: number;
  status: 'active' | 'expired' | 'used_up' | 'refunded' | 'transferred';
  purchasedAt: string;
  expiresOn: string | null;
  /** What the expiry would be if this use were the first one (first-use packages). */
  expiryIfUsedOn: (date: string) => string | null;
  frozenFrom: string | null;
  frozenUntil: string | null;
  consumesOnLateCancel: boolean;
  consumesOnNoShow: boolean;
}

export type RedemptionReason = 'visit' | 'late_cancel' | 'no_show';

export type RedemptionChoice =
  | { kind: 'use'; line: CreditLine }
  | { kind: 'refuse'; rule: string; message: string; line: CreditLine }
  /** No package of the customer's covers this service: nothing to redeem, nothing to refuse. */
  | { kind: 'none' };

const covers = (line: CreditLine, serviceId: string) => (line.serviceId === null ? line.eligibleServiceIds.includes(serviceId) : line.serviceId === serviceId);

const appliesTo = (line: CreditLine, reason: RedemptionReason) =>
  reason === 'visit' || (reason === 'late_cancel' && line.consumesOnLateCancel) || (reason === 'no_show' && line.consumesOnNoShow);

export const isFrozenOn = (line: Pick<CreditLine, 'frozenFrom' | 'frozenUntil'>, date: string): boolean =>
  line.frozenFrom !== null && line.frozenUntil !== null && line.frozenFrom <= date && date <= line.frozenUntil;

/** Why a line cannot be used on `date`, in words for the customer's receipt and the visit record. */
function refusal(line: CreditLine, date: string): { rule: string; message: string } | null {
  if (line.status === 'refunded') return { rule: 'package.refunded', message: `Package ${line.holdingNo} (${line.name}) was refunded` };
  if (line.status === 'transferred') return { rule: 'package.transferred', message: `Package ${line.holdingNo} (${line.name}) was transferred to another customer` };
  const expiry = line.expiresOn;
  if (line.status === 'expired' || (expiry !== null && date > expiry)) {
    return { rule: 'package.expired', message: `Package ${line.holdingNo} (${line.name}) expired on ${expiry}` };
  }
  if (line.remaining <= 0 || line.status === 'used_up') {
    return { rule: 'package.usedUp', message: `Package ${line.holdingNo} (${line.name}) has no sessions left for this service` };
  }
  if (isFrozenOn(line, date)) {
    return { rule: 'package.frozen', message: `Package ${line.holdingNo} (${line.name}) is frozen until ${line.frozenUntil}` };
  }
  return null;
}

/** Sort key: the credit closest to expiry first; unused first-use packages (no expiry yet) last, oldest first among equals. */
function expiryOrder(date: string) {
  return (a: CreditLine, b: CreditLine): number => {
    const ea = a.expiresOn ?? a.expiryIfUsedOn(date) ?? '9999-12-31';
    const eb = b.expiresOn ?? b.expiryIfUsedOn(date) ?? '9999-12-31';
    if (ea !== eb) return ea < eb ? -1 : 1;
    // A service-specific credit before the shared pool, so the pool stays flexible.
    if ((a.serviceId === null) !== (b.serviceId === null)) return a.serviceId === null ? 1 : -1;
    if (a.purchasedAt !== b.purchasedAt) return a.purchasedAt < b.purchasedAt ? -1 : 1;
    return a.balanceId < b.balanceId ? -1 : 1;
  };
}

/**
 * Which credit pays for a session of `serviceId` on `date`: among the customer's packages that
 * cover the service (and, for a late cancellation or a no-show, whose terms say it costs a
 * session), the usable one closest to expiry. When some cover it but none is usable, the refusal
 * names the one that came closest, so the message explains itself ("expired on 31 May").
 */
export function chooseCredit(lines: readonly CreditLine[], serviceId: string, date: string, reason: RedemptionReason): RedemptionChoice {
  const candidates = lines.filter((l) => covers(l, serviceId) && appliesTo(l, reason)).sort(expiryOrder(date));
  if (candidates.length === 0) return { kind: 'none' };
  const usable = candidates.find((l) => refusal(l, date) === null);
  if (usable) return { kind: 'use', line: usable };
  // Explain with the most relevant one: a frozen or used-up package before one long expired.
  const order = ['package.frozen', 'package.usedUp', 'package.expired', 'package.transferred', 'package.refunded'];
  const explained = candidates
    .map((line) => ({ line, why: refusal(line, date)! }))
    .sort((a, b) => order.indexOf(a.why.rule) - order.indexOf(b.why.rule) || (b.line.expiresOn ?? '').localeCompare(a.line.expiresOn ?? ''))[0]!;
  return { kind: 'refuse', rule: explained.why.rule, message: explained.why.message, line: explained.line };
}

/* ---------------- refund, freeze, purchase limit ---------------- */

export const REFUND_BASES = ['package_rate', 'list_price'] as const;
export type RefundBasis = (typeof REFUND_BASES)[number];

/**
 * A refund pays back the price less what the used sessions cost. `package_rate`: used sessions at
 * the package's own rate (price × unused ÷ total, rounded once). `list_price`: used sessions at
 * the catalogue price of their service (the customer loses the package discount), never below zero.
 */
export function refundAmount(input: {
  priceMinor: number;
  sessionsTotal: number;
  sessionsUsed: number;
  basis: RefundBasis;
  /** Catalogue price of each used session's service (list_price basis). */
  usedListPrices?: readonly number[];
}): number {
  if (input.basis === 'list_price') {
    const used = (input.usedListPrices ?? []).reduce((s, p) => s + p, 0);
    return Math.max(0, input.priceMinor - used);
  }
  return liabilityOf(input.priceMinor, input.sessionsTotal, input.sessionsUsed);
}

/** A freeze moves the expiry by the frozen days (both ends included); a package without an expiry yet keeps none. */
export function frozenExpiry(expiresOn: string | null, frozenFrom: string, frozenUntil: string): string | null {
  return expiresOn === null ? null : addDays(expiresOn, daysBetween(frozenFrom, frozenUntil) + 1);
}

/** Purchase limit per customer: null means no limit. */
export function purchaseLimitReached(limit: number | null, alreadyBought: number): boolean {
  return limit !== null && alreadyBought >= limit;
}
