/**
 * When to try again after a failed sync: exponential backoff with "equal jitter" — half of the
 * delay is fixed, half random — so a hundred branches cut off by the same outage do not all
 * return in the same second, and none retries in a tight loop.
 */
export const FIRST_RETRY_MS = 15_000;
export const MAX_RETRY_MS = 30 * 60_000;

export function retryDelayMs(consecutiveFailures: number, random: () => number = Math.random): number {
  if (consecutiveFailures <= 0) return 0;
  const exponential = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(consecutiveFailures - 1, 30));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
