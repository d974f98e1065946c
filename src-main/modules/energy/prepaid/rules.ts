import type { PricingMode, Tier } from '../../../../src-shared/contracts/energy/billing';
import { roundMinor } from '../billing/rules';

/**
 * Prepaid rules as pure functions: how a payment splits at the counter, how many units a value
 * buys, the low-credit estimate, and the 20-digit token format.
 */

/* ---------------- the vend split ---------------- */

export interface VendTerms {
  /** What the customer pays now. */
  amount: number;
  /** Credit left by a reversed vend; used up first, on top of the payment. */
  credit: number;
  debt: number;
  /** Share of the money that goes to arrears, in basis points (2500 = 25%). */
  recoveryBp: number;
  /** The month's fixed service charge, if this month's is not collected yet. */
  serviceChargeDue: number;
  emergencyOutstanding: number;
  taxRateBp: number;
}

export interface VendSplitResult {
  creditUsed: number;
  debt: number;
  serviceCharge: number;
  emergencyRecovered: number;
  tax: number;
  value: number;
}

/**
 * amount paid → debt recovery → fixed service charge → emergency credit recovery → tax → value.
 * Debt recovery takes its percentage of the money, never more than is owed (DOMAIN.md: 100 at 25%
 * with 60 owed → 25 to debt; with 10 owed → 10 to debt). The remainder is tax-inclusive: value =
 * remainder / (1 + tax rate), rounded once; tax is what is left, so the parts always add up.
 */
export function splitVend(t: VendTerms): VendSplitResult {
  const funds = t.amount + t.credit;
  const debt = Math.min(t.debt, roundMinor((funds * t.recoveryBp) / 10_000));
  let left = funds - debt;
  const serviceCharge = Math.min(t.serviceChargeDue, left);
  left -= serviceCharge;
  const emergencyRecovered = Math.min(t.emergencyOutstanding, left);
  left -= emergencyRecovered;
  const value = roundMinor((left * 10_000) / (10_000 + t.taxRateBp));
  return { creditUsed: t.credit, debt, serviceCharge, emergencyRecovered, tax: left - value, value };
}

/** Tokens carry 0.1-unit steps; units are rounded down so a token never gives more than was paid. */
export const floorToTenth = (units: number): number => Math.floor(units * 10 + 1e-9) / 10;

/**
 * Units a value buys on a prepaid tariff. Block tariffs count the units already bought this
 * month (an inclining block tariff gets dearer as the month's purchases rise).
 */
export function unitsForValue(value: number, tiers: readonly Tier[], mode: PricingMode, boughtThisMonth = 0): number {
  if (value <= 0) return 0;
  if (mode === 'volume') {
    for (let i = 0; i < tiers.length; i += 1) {
      const tier = tiers[i]!;
      const units = value / tier.rate;
      if (tier.upTo === null || boughtThisMonth + units <= tier.upTo) return floorToTenth(units);
    }
    return 0;
  }
  let position = boughtThisMonth;
  let left = value;
  let units = 0;
  for (const tier of tiers) {
    if (tier.upTo !== null && position >= tier.upTo) continue;
    const room = tier.upTo === null ? Infinity : tier.upTo - position;
    const cost = room * tier.rate;
    if (left <= cost) {
      units += left / tier.rate;
      left = 0;
      break;
    }
    units += room;
    left -= cost;
    position = tier.upTo!;
  }
  return floorToTenth(units);
}

/** What is left of today's limit for an account that already bought `vendedToday`. */
export const remainingDailyLimit = (limit: number, vendedToday: number): number => Math.max(0, limit - vendedToday);

/* ---------------- low credit ---------------- */

export interface CreditEstimateInput {
  /** Units put on the meter since enrolment (vends and emergency credit, reversals excluded). */
  unitsCredited: number;
  /** Consumption measured by posted readings since enrolment, and the date of the latest. */
  unitsMeasured: number;
  measuredThrough: string | null;
  enrolledOn: string;
  /** Average daily use from readings (0 when there are too few). */
  readingsDailyUse: number;
  /** The purchases of the recent window (60 days), oldest first: when, and how many units. */
  recentVends: readonly { at: string; units: number }[];
  today: string;
}

/**
 * Daily use from buying habits: what was bought *before* the latest purchase, over the days from
 * the first purchase to the latest (what one buys is, over weeks, what one uses). The latest
 * purchase has not been used yet, so it is no evidence of use; with one purchase there is no rate.
 */
function buyingRate(vends: readonly { at: string; units: number }[]): number {
  if (vends.length < 2) return 0;
  const days = (Date.parse(vends.at(-1)!.at) - Date.parse(vends[0]!.at)) / 86_400_000;
  if (days < 1) return 0;
  return vends.slice(0, -1).reduce((sum, v) => sum + v.units, 0) / days;
}

const dayDiff = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * Units left now = credited − measured − daily use × days since the last measurement; days to
 * empty = units left / daily use. Use comes from readings where the meter is read, else from how
 * fast the customer buys (what one buys is, over weeks, what one uses).
 */
export function creditEstimate(x: CreditEstimateInput): { remainingUnits: number; dailyUse: number; daysToEmpty: number | null; basis: 'readings' | 'vends' | 'none' } {
  const vendRate = buyingRate(x.recentVends);
  const basis = x.readingsDailyUse > 0 ? 'readings' : vendRate > 0 ? 'vends' : 'none';
  const dailyUse = basis === 'readings' ? x.readingsDailyUse : vendRate;
  const since = x.measuredThrough ?? x.enrolledOn;
  const unmeasuredDays = Math.max(0, dayDiff(since, x.today));
  const remaining = Math.max(0, x.unitsCredited - x.unitsMeasured - dailyUse * unmeasuredDays);
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return {
    remainingUnits: round1(remaining),
    dailyUse: round1(dailyUse),
    daysToEmpty: dailyUse > 0 ? round1(remaining / dailyUse) : null,
    basis,
  };
}

/* ---------------- the 20-digit token ---------------- */

/**
 * The STS (IEC 62055-41) token layout, 66 bits shown as 20 decimal digits:
 *
 *   class (2) | subclass (4) | random (4) | token id (24) | amount (16) | CRC (16)
 *
 * Token id = minutes since the base date; amount = 2-bit exponent + 14-bit mantissa in 0.1-unit
 * steps; CRC-16 (polynomial 0x8005 reflected, initial 0xFFFF) over the fields before it.
 * A real STS token encrypts the 64 bits after the class with the meter's decoder key inside a
 * licensed secure module; the development generator below does NOT, so its tokens load no real
 * meter. Swap in a vending-module client behind `TokenGenerator` for production.
 */
export const STS_BASE_DATE = Date.UTC(2014, 0, 1); // base date 2014: the 1993 base ran out of 24-bit minutes in Nov 2024
export const TOKEN_ID_LIMIT = 2 ** 24;
const MANTISSA_LIMIT = 2 ** 14;

export interface TokenFields {
  tokenClass: number;
  subclass: number;
  random: number;
  tokenId: number;
  /** Encoded amount field (exponent << 14 | mantissa). */
  amount: number;
}

export const tokenIdAt = (at: Date): number => {
  const minutes = Math.floor((at.getTime() - STS_BASE_DATE) / 60_000);
  if (minutes < 0 || minutes >= TOKEN_ID_LIMIT) throw new Error('Date outside the token id range of the base date');
  return minutes;
};
export const tokenIdDate = (tokenId: number): Date => new Date(STS_BASE_DATE + tokenId * 60_000);

/** Tenth-units below which each exponent starts: 0, 16384, 180224, 1818624. */
const exponentOffset = (e: number): number => {
  let offset = 0;
  for (let i = 1; i <= e; i += 1) offset += MANTISSA_LIMIT * 10 ** (i - 1);
  return offset;
};

/** Encodes units (0.1 steps) into the 16-bit amount field, rounding down to what it can carry. */
export function encodeAmount(units: number): number {
  const tenths = Math.floor(units * 10 + 1e-9);
  for (let e = 0; e <= 3; e += 1) {
    const mantissa = Math.floor((tenths - exponentOffset(e)) / 10 ** e);
    if (mantissa >= 0 && mantissa < MANTISSA_LIMIT) return (e << 14) | mantissa;
  }
  throw new Error(`${units} units is more than one token can carry`);
}

export function decodeAmount(field: number): number {
  const e = field >> 14;
  const mantissa = field & (MANTISSA_LIMIT - 1);
  return (mantissa * 10 ** e + exponentOffset(e)) / 10;
}

/** CRC-16 with polynomial 0x8005 (reflected 0xA001), initial 0xFFFF: the check "123456789" → 0x4B37. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** The 50 bits before the CRC, as 7 big-endian bytes. */
function crcInput(f: TokenFields): Uint8Array {
  let data = (BigInt(f.tokenClass) << 48n) | (BigInt(f.subclass) << 44n) | (BigInt(f.random) << 40n) | (BigInt(f.tokenId) << 16n) | BigInt(f.amount);
  const bytes = new Uint8Array(7);
  for (let i = 6; i >= 0; i -= 1) {
    bytes[i] = Number(data & 0xffn);
    data >>= 8n;
  }
  return bytes;
}

function checkField(name: string, value: number, bits: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) throw new Error(`${name} must fit in ${bits} bits`);
}

export function encodeToken(f: TokenFields): string {
  checkField('class', f.tokenClass, 2);
  checkField('subclass', f.subclass, 4);
  checkField('random', f.random, 4);
  checkField('token id', f.tokenId, 24);
  checkField('amount', f.amount, 16);
  const crc = crc16(crcInput(f));
  const value =
    (BigInt(f.tokenClass) << 64n) |
    (BigInt(f.subclass) << 60n) |
    (BigInt(f.random) << 56n) |
    (BigInt(f.tokenId) << 32n) |
    (BigInt(f.amount) << 16n) |
    BigInt(crc);
  return value.toString().padStart(20, '0');
}

export interface DecodedToken extends TokenFields {
  crc: number;
  crcValid: boolean;
  units: number;
}

export function decodeToken(token: string): DecodedToken | null {
  const digits = token.replace(/[\s-]/g, '');
  if (!/^\d{20}$/.test(digits)) return null;
  const value = BigInt(digits);
  if (value >= 1n << 66n) return null;
  const field = (shift: bigint, bits: bigint) => Number((value >> shift) & ((1n << bits) - 1n));
  const fields: TokenFields = {
    tokenClass: field(64n, 2n),
    subclass: field(60n, 4n),
    random: field(56n, 4n),
    tokenId: field(32n, 24n),
    amount: field(16n, 16n),
  };
  const crc = field(0n, 16n);
  return { ...fields, crc, crcValid: crc16(crcInput(fields)) === crc, units: decodeAmount(fields.amount) };
}

/** 20 digits in five groups of four, as printed on the receipt and keyed into the meter. */
export const formatToken = (token: string): string => token.replace(/(\d{4})(?=\d)/g, '$1 ');

/* ---------------- the generator seam ---------------- */

export interface TokenRequest {
  stsMeterNo: string;
  units: number;
  at: Date;
  /** The meter's last token id: ids must rise per meter, so two vends in one minute differ. */
  lastTokenId: number;
  /** 0 electricity, 1 water, 2 gas (class 0, credit transfer). */
  subclass: number;
}

export interface IssuedToken {
  token: string;
  tokenId: number;
  /** The units the token carries (the amount field may round down). */
  units: number;
}

/** Where tokens come from. Production plugs a licensed STS vending module in here. */
export interface TokenGenerator {
  /** True for a generator whose tokens load no real meter; receipts say so. */
  readonly development: boolean;
  issue(request: TokenRequest): IssuedToken;
}

/**
 * DEVELOPMENT ONLY: the STS token layout without STS encryption. Tokens decode and check (CRC)
 * but load no real meter.
 */
export class DevelopmentTokenGenerator implements TokenGenerator {
  readonly development = true;

  constructor(private readonly random: () => number = Math.random) {}

  issue(request: TokenRequest): IssuedToken {
    const tokenId = Math.max(tokenIdAt(request.at), request.lastTokenId + 1);
    const amount = encodeAmount(request.units);
    const token = encodeToken({ tokenClass: 0, subclass: request.subclass, random: Math.floor(this.random() * 16), tokenId, amount });
    return { token, tokenId, units: decodeAmount(amount) };
  }
}
