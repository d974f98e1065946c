import { MutationObserver, QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RpcError } from './client';
import { RETRY_WHEN_BUSY, isBusy } from './errors';

/**
 * A save that meets a billing run posting is refused as busy having saved nothing; the mutation
 * hook sends it again by itself (same input, same idempotency key) rather than show the clerk an
 * error, but never retries a real conflict or anything else.
 */
const busy = () => new RpcError('CONFLICT', 'The branch is busy with long work…', { busy: true });
const changedMeanwhile = () => new RpcError('CONFLICT', 'Someone changed this bill meanwhile');

function saveWith(answers: (() => unknown)[]) {
  const sent: unknown[] = [];
  const observer = new MutationObserver(new QueryClient(), {
    mutationFn: async (variables: { idempotencyKey: string }) => {
      sent.push(variables);
      const answer = answers[Math.min(sent.length - 1, answers.length - 1)]!;
      const result = answer();
      if (result instanceof Error) throw result;
      return result;
    },
    ...RETRY_WHEN_BUSY,
  });
  return { sent, observer };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('saves while long work holds the store', () => {
  it('tells a busy refusal from a real conflict', () => {
    expect(isBusy(busy())).toBe(true);
    expect(isBusy(changedMeanwhile())).toBe(false);
    expect(isBusy(new Error('busy'))).toBe(false);
  });

  it('sends a busy save again, unchanged, until the store is free', async () => {
    const { sent, observer } = saveWith([busy, busy, () => ({ receiptNo: 'RC-000001' })]);
    const saved = observer.mutate({ idempotencyKey: 'pay-1' });
    await vi.runAllTimersAsync();
    await expect(saved).resolves.toEqual({ receiptNo: 'RC-000001' });
    expect(sent).toEqual([{ idempotencyKey: 'pay-1' }, { idempotencyKey: 'pay-1' }, { idempotencyKey: 'pay-1' }]);
  });

  it('shows the busy answer after three retries, and never retries a real conflict', async () => {
    const stillBusy = saveWith([busy]);
    const gaveUp = stillBusy.observer.mutate({ idempotencyKey: 'pay-2' });
    const settled = gaveUp.catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    expect(isBusy(await settled)).toBe(true);
    expect(stillBusy.sent).toHaveLength(4);

    const conflict = saveWith([changedMeanwhile]);
    const refused = conflict.observer.mutate({ idempotencyKey: 'pay-3' }).catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    expect(await refused).toBeInstanceOf(RpcError);
    expect(conflict.sent).toHaveLength(1);
  });
});
