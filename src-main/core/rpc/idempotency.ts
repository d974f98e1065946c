import { AppError } from '../../../src-shared/errors';
import { sqlGet, sqlRun } from '../db/store';
import type { Ctx } from './context';

/**
 * Counter calls carry a client key. Seen before with the same payload: the first answer is
 * returned and nothing runs again. Seen with a different payload: the key was reused by mistake.
 */
export function claimIdempotencyKey(ctx: Ctx, key: string, hash: string): unknown {
  const row = sqlGet<{ procedure: string; payload_hash: string; result_json: string }>(
    ctx.db,
    'SELECT procedure, payload_hash, result_json FROM idempotency_keys WHERE key = ?',
    key,
  );
  if (!row) return undefined;
  if (row.procedure !== ctx.procedure || row.payload_hash !== hash) {
    throw new AppError('CONFLICT', 'This idempotency key was already used for a different request', {
      issues: [{ path: 'idempotencyKey', message: 'Already used with another payload' }],
    });
  }
  return JSON.parse(row.result_json) as unknown;
}

export function storeIdempotentResult(ctx: Ctx, key: string, hash: string, result: unknown): void {
  sqlRun(
    ctx.db,
    'INSERT INTO idempotency_keys (key, procedure, user_id, payload_hash, result_json, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    key,
    ctx.procedure,
    ctx.principal?.userId ?? null,
    hash,
    JSON.stringify(result ?? null),
    ctx.nowIso,
  );
}
