import { z } from 'zod';
import type { FunctionKey, Verb } from './permissions';

/**
 * A procedure contract is everything both sides must agree on: name, permission cell, input and
 * output schemas. It lives in src-shared so the renderer validates forms with the very schema the
 * pipeline enforces, and the catalogue (GET /rpc, docs/api.md) is generated from it.
 */
export type Access =
  /** Anyone, even without a session (login, first-run setup, status). */
  | { kind: 'public' }
  /** Any signed-in user (own profile, own approvals). */
  | { kind: 'authenticated' }
  /** One cell of the permission matrix. */
  | { kind: 'permission'; fn: FunctionKey; verb: Verb };

export interface ProcedureContract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  access: Access;
  /** Queries never write; mutations run in one write transaction that appends audit events. */
  kind: 'query' | 'mutation';
  input: I;
  output: O;
  /** Counter transactions: the caller must send an idempotency key; a retry returns the first answer. */
  idempotent?: boolean;
  /** In-process only (demo seeding): transports answer NOT_FOUND for it. */
  internal?: boolean;
}

export const allow = (fn: FunctionKey, verb: Verb): Access => ({ kind: 'permission', fn, verb });
export const PUBLIC: Access = { kind: 'public' };
export const SIGNED_IN: Access = { kind: 'authenticated' };

export function query<I extends z.ZodType, O extends z.ZodType>(
  c: Omit<ProcedureContract<I, O>, 'kind'>,
): ProcedureContract<I, O> {
  return { ...c, kind: 'query' };
}

export function mutation<I extends z.ZodType, O extends z.ZodType>(
  c: Omit<ProcedureContract<I, O>, 'kind'>,
): ProcedureContract<I, O> {
  return { ...c, kind: 'mutation' };
}

/** Per-call metadata that is not part of the business payload. */
export interface CallMeta {
  idempotencyKey?: string;
  /** Run a previously approved request: the payload must hash to what was approved. */
  approvalId?: string;
}

export type RpcResult<T> =
  | { ok: true; result: T }
  | { ok: false; error: { code: import('./errors').ErrorCode; message: string; details?: import('./errors').ErrorDetails } };

export type InputOf<C> = C extends ProcedureContract<infer I, z.ZodType> ? z.input<I> : never;
export type OutputOf<C> = C extends ProcedureContract<z.ZodType, infer O> ? z.output<O> : never;

/* ---------- schema building blocks shared by every function ---------- */

export const id = z.string().min(1).max(64);
export const isoDateTime = z.iso.datetime({ offset: true });
/** A calendar date in the branch's time zone: YYYY-MM-DD. */
export const localDate = z.iso.date();
export const version = z.number().int().nonnegative();
export const reason = z.string().trim().min(3, 'Give a reason of at least 3 characters').max(500);
/** Money is integer minor units (cents). */
export const minorUnits = z.number().int().safe();

export const pageInput = {
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(500).default(50),
};

export function page<T extends z.ZodType>(row: T) {
  return z.object({
    rows: z.array(row),
    nextCursor: z.string().nullable(),
    total: z.number().int().nonnegative(),
  });
}

export const auditEventSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  branchId: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  sessionId: z.string().nullable(),
  shiftId: z.string().nullable(),
  procedure: z.string(),
  entity: z.string(),
  entityId: z.string(),
  action: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  reason: z.string().nullable(),
  approvalId: z.string().nullable(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
