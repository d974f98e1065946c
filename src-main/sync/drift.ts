/**
 * Clock drift against HQ, measured NTP-style from one request: HQ's clock at answer time minus the
 * midpoint of our send and receive instants. Records are ordered by sequence, never by clock, so
 * drift only warns: a wrong clock stamps wrong times on what people enter.
 */
export function clockOffsetMs(sentAtMs: number, receivedAtMs: number, serverTimeIso: string): number | null {
  const server = Date.parse(serverTimeIso);
  if (!Number.isFinite(server)) return null;
  return Math.round(server - (sentAtMs + receivedAtMs) / 2);
}

function duration(ms: number): string {
  const total = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

/** The warning the Sync screen shows, or null when the clocks agree closely enough. */
export function driftWarning(offsetMs: number | null, thresholdSeconds: number): string | null {
  if (offsetMs === null || Math.abs(offsetMs) <= thresholdSeconds * 1000) return null;
  // A positive offset means HQ is ahead: our clock is behind.
  const direction = offsetMs > 0 ? 'behind' : 'ahead of';
  return `This computer's clock is ${duration(offsetMs)} ${direction} HQ's. Times on new records come from it: correct the clock (sync continues meanwhile).`;
}
