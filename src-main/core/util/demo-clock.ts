import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { Kernel } from '../rpc/kernel';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Runs `body` with the store's clock at `localTime` (branch time) on the day `daysAgo` before
 * `today`. Demo history goes through the pipeline as it would have happened, stamped with its own
 * day, instead of being written into the tables behind the journal's back.
 */
export function onDemoDay<T>(kernel: Kernel, today: string, daysAgo: number, localTime: string, body: () => T): T {
  const realClock = kernel.clock;
  const instant = dayjs.tz(`${dayjs.utc(today).subtract(daysAgo, 'day').format('YYYY-MM-DD')} ${localTime}`, kernel.branch().timeZone).toDate();
  kernel.clock = () => new Date(instant);
  try {
    return body();
  } finally {
    kernel.clock = realClock;
  }
}
